"""OCR's letters for digits: `l2座` (twelve), `3O0份` (three hundred). A same-length view of the
text with such letters read as the digits they stand for, for the extractors to find numbers
in; every fact keeps the source's characters (`text` is sliced from the original).

Only letters inside a figure are read so: l, I, O or o between two digits, and l or I right
before a digit where no letter or digit precedes it (`改造l2座`). `ISO9001`, `Vol2`, `O2O`
and words stay as they are."""
from __future__ import annotations

import re

_CANDIDATE = re.compile(r"[lIOo](?=[0-9０-９])")  # (a letter that a digit follows: the rare case)
_DIGIT = frozenset("0123456789０１２３４５６７８９")
_AS_DIGIT = {"l": "1", "I": "1", "O": "0", "o": "0"}


def digit_view(text: str) -> str:
    """`text` with OCR letters inside figures read as digits (same length), or `text` itself."""
    m = _CANDIDATE.search(text)
    if m is None:
        return text
    chars = None
    while m is not None:
        i = m.start()
        c = text[i]
        prev = text[i - 1] if i else ""
        if prev in _DIGIT or (c in "lI" and not (prev.isascii() and prev.isalnum())):
            if chars is None:
                chars = list(text)
            chars[i] = _AS_DIGIT[c]
        m = _CANDIDATE.search(text, i + 1)
    return text if chars is None else "".join(chars)
