"""Masks: spans already claimed by one extractor (文号, dates, URLs) that others must skip."""
from __future__ import annotations

import bisect
from typing import Iterable


class Mask:
    """A set of half-open character spans; `hit(s, e)` tells whether [s, e) touches any."""

    __slots__ = ("_starts", "_ends")

    def __init__(self, spans: Iterable[tuple[int, int]] = ()):
        merged: list[list[int]] = []
        for s, e in sorted(spans):
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self._starts = [s for s, _ in merged]
        self._ends = [e for _, e in merged]

    def hit(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self._starts, end - 1) - 1
        return i >= 0 and self._ends[i] > start

    def __add__(self, other: "Mask") -> "Mask":
        return Mask(list(zip(self._starts, self._ends)) + list(zip(other._starts, other._ends)))

    def __len__(self) -> int:
        return len(self._starts)


EMPTY = Mask()
