"""What the words around a number say: the clause it sits in, a qualifier standing
away from it (`不低于本部门…总额20%`), and whether it is a threshold or rule (`bound`)
rather than a reported figure. Shared by amounts, rates and counts."""
from __future__ import annotations

import re
from typing import Optional


# Clause boundaries: sentence and clause punctuation, line breaks, table cell separators.
CLAUSE_END = "，。；;！？!?\n\t|：:"
_CLAUSE_END_SET = frozenset(CLAUSE_END)
PUNCT_AFTER = frozenset("，。；;、）)】」”’\n\t|：:,.!?！？ ")

# A comparative qualifier that may stand some words before its number.
_FAR_QUALIFIER = re.compile(r"(不得?(?:低|少|高)[于於]|不得?超[过過])")
def _far_kind(word: str) -> str:
    return "at_least" if ("低" in word or "少" in word) else "at_most"
_DIGIT = re.compile(r"[0-9０-９]")
# the last match of _FAR_QUALIFIER in a window (no match can overlap another: each starts with 不)
_FAR_QUALIFIER_LAST = re.compile(r".*" + _FAR_QUALIFIER.pattern, re.S)
_YEAR_WORD = re.compile(r"[0-9０-９]{4}年度?")

# Before a number, a character that makes it part of a word or an ordinal, not a quantity.
BAD_BEFORE_ARABIC = frozenset("0123456789０１２３４５６７８９.．第#＃/_=&?%％AaBbCcDdEeFfGgHhIiJjKkLlMmNnOoPpQqRrSsTtUuVvWwXxYyZz")
BAD_BEFORE_CN = frozenset("第统唯同单专逐每周初星万千百十零〇一二两三四五六七八九之")


_CLAUSE_END_RE = re.compile("[" + re.escape(CLAUSE_END) + "]")

# the last clause punctuation of a window: greedy `.*` backs off from the window's end
_LAST_CLAUSE_END = re.compile(rf".*[{re.escape(CLAUSE_END)}]", re.S)


def clause_bounds(text: str, start: int, end: int, limit: int = 80) -> tuple[int, int]:
    """[s, e) of the clause around [start, end): back to the previous and on to the next
    clause punctuation, at most `limit` characters each way. Only the two windows are
    read: listing every punctuation of the text (~50 µs) costs more than the few
    lookups a report needs."""
    lo = max(0, start - limit)
    back = _LAST_CLAUSE_END.match(text, lo, start)
    fwd = _CLAUSE_END_RE.search(text, end, end + limit)
    return (back.end() if back else lo), (fwd.start() if fwd else min(len(text), end + limit))


def far_qualifier(text: str, start: int, window: int = 30) -> Optional[str]:
    """`选择不低于本部门单位2022年度项目预算安排总额20%的项目`: the comparative word governs
    the number when nothing but words (and masked years) stands between them in the clause."""
    if text.find("不", max(0, start - window), start) < 0:
        return None  # the common case, decided without slicing
    s, _ = clause_bounds(text, start, start, limit=window)
    # the last comparative word of the clause before the number
    m = _FAR_QUALIFIER_LAST.match(text, s, start)
    if m is None:
        return None
    between = text[m.end():start]
    # another figure between them takes the qualifier for itself (years are fine)
    if _DIGIT.search(_YEAR_WORD.sub("", between)):
        return None
    return _far_kind(m.group(1))


def is_bound(text: str, start: int, end: int, qualifier: Optional[str], suffix: Optional[str], prefix: Optional[str]) -> bool:
    """A threshold or rule (`100万元以上的项目`, `超500万元的预算项目`, `不少于10个`),
    not a reported figure."""
    if qualifier in ("at_least", "at_most"):
        return True
    if suffix is None and prefix is None:
        return False  # the common case: nothing below can apply
    nxt = text[end] if end < len(text) else ""
    if suffix is not None and suffix[-2:] in ("以上", "以下", "以内", "以內"):
        # `100万元以上项目`, `100万以上的项目` modify a noun; `达100万元以上。` reports
        return nxt not in PUNCT_AFTER and nxt != ""
    if prefix in ("超", "超过", "超過", "高于", "高於", "低于", "低於", "不足", "不到", "少于", "少於", "多于", "多於", "逾") and nxt == "的":
        return True
    return False


def preceded_ok(text: str, start: int, chinese: bool) -> bool:
    if start == 0:
        return True
    prev = text[start - 1]
    return prev not in (BAD_BEFORE_CN if chinese else BAD_BEFORE_ARABIC)
