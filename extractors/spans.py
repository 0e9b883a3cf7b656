"""Masks: spans already claimed by one extractor (文号, dates, URLs) that others must skip;
and a substring test, shared by the extractors for speed, that searches from a rare character."""
from __future__ import annotations

import bisect
from typing import Iterable


class Mask:
    """A set of half-open character spans; `hit(s, e)` tells whether [s, e) touches any."""

    __slots__ = ("_starts", "_ends")

    def __init__(self, spans: Iterable[tuple[int, int]] = ()):
        starts: list[int] = []
        ends: list[int] = []
        for s, e in sorted(spans):
            if ends and s <= ends[-1]:  # overlaps or touches the previous span: merge
                if e > ends[-1]:
                    ends[-1] = e
            else:
                starts.append(s)
                ends.append(e)
        self._starts = starts
        self._ends = ends

    def hit(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self._starts, end - 1) - 1
        return i >= 0 and self._ends[i] > start

    def __add__(self, other: "Mask") -> "Mask":
        if not other._starts:  # masks are never changed after construction: share, don't rebuild
            return self
        if not self._starts:
            return other
        return Mask(list(zip(self._starts, self._ends)) + list(zip(other._starts, other._ends)))

    def __len__(self) -> int:
        return len(self._starts)


EMPTY = Mask()


# --------------------------------------------------------------------------- building facts

# --------------------------------------------------------------------------- text tests

def contains(text: str, needle: str, at: int = -1) -> bool:
    """`needle in text`, searched from its character at index `at` (choose a rare one): on
    Chinese text a multi-character `in` reads the whole report at ~1 ns a character (~3 µs),
    a one-character find skips along at a tenth of that."""
    k = at % len(needle)
    c = needle[k]
    p = text.find(c, k)
    while p >= 0:
        if text.startswith(needle, p - k):
            return True
        p = text.find(c, p + 1)
    return False
