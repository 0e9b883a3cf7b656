"""Masks: spans already claimed by one extractor (文号, dates, URLs) that others must skip;
and what the extractors share for speed: the trusted (unvalidated) fact constructor and a
substring test that searches from a rare character."""
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

_new = object.__new__
_setattr = object.__setattr__


def trusted(cls, given: tuple[str, ...]):
    """A constructor for facts whose values the extractor already made in the field's exact
    type (str, int, bool, Decimal, None, a fresh list): it skips pydantic's validation (~3 µs
    a fact, ~60 facts a report) and sets what `cls(**values)` would (fields set, no extras).

    `build(values)`: `values` holds every field of `cls` in declaration order (defaults
    included, so `model_dump` reads them in the usual order); `given` names the fields the
    validated call would have been passed (its fields set). Checked against `cls` here, so a
    schema change fails at import, and against validation in the extractor tests."""
    fields = tuple(cls.model_fields)
    config = cls.model_config
    # only for plain models: no extras kept, no private attributes, no model validators
    assert config.get("extra") == "forbid" and not cls.__private_attributes__
    assert not cls.__pydantic_decorators__.model_validators and not cls.__pydantic_decorators__.field_validators
    required = {name for name, f in cls.model_fields.items() if f.is_required()}
    assert required <= set(given) <= set(fields), (cls.__name__, given)
    fields_set = set(given)  # copied for every fact (pydantic adds to it on assignment)

    def build(values: dict):
        obj = _new(cls)
        _setattr(obj, "__dict__", values)
        _setattr(obj, "__pydantic_fields_set__", fields_set.copy())
        _setattr(obj, "__pydantic_extra__", None)
        _setattr(obj, "__pydantic_private__", None)
        return obj

    build.fields = fields
    return build


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
