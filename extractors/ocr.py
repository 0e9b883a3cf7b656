"""OCR's letters for digits: `l2座` (twelve), `3O0份` (three hundred). A same-length view of the
text with such letters read as the digits they stand for, for the extractors to find numbers
in; every fact keeps the source's characters (`text` is sliced from the original).

Only letters inside a figure are read so: l, I, O or o between two digits, and l or I right
before a digit where no letter or digit precedes it (`改造l2座`). `ISO9001`, `Vol2`, `O2O`
and words stay as they are.

A space after a decimal point (`平均得分83. 6分`, as OCR and copy-and-paste leave it) is moved
behind the fraction (`83.6 分`, still the same length), when a word precedes the figure (not a
list label at a line's start, `1. 5万元…`) and a unit follows it (分 % 万 元 亿): the fact's
span then ends at the unit and slices the source's `83. 6分`.

A long line wrapped inside a score or grade cue (`得⏎分分别为88.5分`, `等⏎级为“良”`) has the
line break moved before the cue's first character (`⏎得分…`, `⏎等级…`), so the cue reads whole;
no fact covers a cue's characters, so no fact's span moves."""
from __future__ import annotations

import re

_CANDIDATE = re.compile(r"[lIOo](?=[0-9０-９])")  # (a letter that a digit follows: the rare case)
_DIGIT = frozenset("0123456789０１２３４５６７８９")
_AS_DIGIT = {"l": "1", "I": "1", "O": "0", "o": "0"}
_SPACED_POINT = re.compile(r"(?<=[\u4e00-\u9fff])([0-9０-９](?:[0-9０-９]|[,，](?=[0-9０-９])){0,14}[.．])([ \u00a0]{1,2})([0-9０-９]{1,4})(?=[ \t\u3000]*[分%％万萬元圆亿億])")


# two-character cues of scores and grades that a width wrap may split (the first character
# ends a long line, the second opens the next)
_SPLIT_CUE = re.compile(r"(?<=[^\n]{20})([得评評总總均等评評])\n(?=[分级級次])")
_CUE_PAIRS = frozenset(("得分", "评分", "評分", "总分", "總分", "均分", "等级", "等級", "等次", "评级", "評級"))


def digit_view(text: str) -> str:
    """`text` with OCR letters inside figures read as digits, a space after a decimal point
    moved behind the fraction and a wrap inside a score or grade cue moved before it (same
    length), or `text` itself."""
    if (". " in text or "． " in text or ".\u00a0" in text) and _SPACED_POINT.search(text):
        text = _SPACED_POINT.sub(lambda m: m.group(1) + m.group(3) + m.group(2), text)
    if "\n" in text and _SPLIT_CUE.search(text):
        text = _SPLIT_CUE.sub(lambda m: "\n" + m.group(1) if m.group(1) + text[m.end()] in _CUE_PAIRS else m.group(0), text)
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
