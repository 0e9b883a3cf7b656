"""The shared number grammar: Arabic (ASCII and full-width), thousands separators
(`,` and `，`, decided by digit grouping), decimals, Chinese numerals (两, 〇/零, 十百千,
万/亿 multipliers, financial forms 壹贰叁…), mixes like `1.5万` / `3千万`, qualifiers
and the intervals they imply.

Everything is exact `Decimal`: values are composed digit by digit, never through float
(`16.4亿` is 1640000000, not 1639999999).

One obvious entry point for a string: `parse_number("三千五百万") == Decimal(35000000)`.
The regex fragments (`AR`, `CN`, `NUM`) are shared by every extractor.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

# --------------------------------------------------------------------------- regex fragments

_D = "0-9０-９"
# Arabic: grouped by thousands (`137,784.25`, `36，055`), or plain digits; decimal point . or ．
AR = (
    rf"(?:[{_D}]{{1,3}}(?:[,，][{_D}]{{3}})+(?![{_D}])(?:[.．][{_D}]+)?"
    rf"|[{_D}]+(?:[.．][{_D}]+)?)"
)
CN_DIGITS = "零〇一二两三四五六七八九壹贰貳叁參肆伍陆陸柒捌玖兩"
CN_UNITS = "十拾百佰千仟万萬亿億"
# Chinese numeral: starts with a digit or 十; may carry 点 decimals (一点五)
CN = rf"(?:[{CN_DIGITS}十拾][{CN_DIGITS}{CN_UNITS}]*(?:[点點][{CN_DIGITS}]+)?)"  # (點: Traditional)
# a multiplier written after Arabic digits: 1.5万, 3千万, 2.1亿
MULT = "(?:万亿|萬億|十万|百万|千万|十亿|百亿|千亿|十萬|百萬|千萬|十億|百億|千億|万|萬|亿|億|千|仟|百|佰)"
NUM = rf"(?:{AR}|{CN})"

# --------------------------------------------------------------------------- values

_FW = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
_CN_DIGIT = {
    "零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "貳": 2, "两": 2, "兩": 2,
    "三": 3, "叁": 3, "參": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6,
    "陸": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}
_SMALL_UNIT = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNIT = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}

MULTIPLIER = {
    "": 1, "十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000,
    "万": 10**4, "萬": 10**4, "十万": 10**5, "十萬": 10**5, "百万": 10**6, "百萬": 10**6,
    "千万": 10**7, "千萬": 10**7, "亿": 10**8, "億": 10**8, "十亿": 10**9, "十億": 10**9,
    "百亿": 10**10, "百億": 10**10, "千亿": 10**11, "千億": 10**11,
    "万亿": 10**12, "萬億": 10**12,
}


def parse_arabic(s: str) -> Decimal:
    """`137,784.25` / `３６，０５５` / `5291.39` -> Decimal (separators dropped)."""
    return Decimal(s.translate(_FW).replace(",", ""))


def arabic_decimals(s: str) -> int:
    s = s.translate(_FW)
    return len(s.split(".", 1)[1]) if "." in s else 0


def _below_wan(s: str) -> int:
    """Compose a numeral below 万: 三千五百 -> 3500, 十五 -> 15, 一百零五 -> 105,
    and digit strings without units (二〇二三 -> 2023)."""
    if not s:
        return 0
    if not any(c in _SMALL_UNIT for c in s):
        # digits only: positional (二〇二三, 五) — 零 is a placeholder
        v = 0
        for c in s:
            v = v * 10 + _CN_DIGIT[c]
        return v
    total, digit = 0, None
    for c in s:
        if c in _CN_DIGIT:
            digit = _CN_DIGIT[c]
        elif c in _SMALL_UNIT:
            total += (1 if digit is None else digit) * _SMALL_UNIT[c]
            digit = None
        else:
            raise ValueError(c)
    if digit:
        total += digit
    return total


def _compose(s: str) -> int:
    """Split on the largest multiplier first: 一亿五千万 = 1*10^8 + 5000*10^4."""
    for big in ("亿", "億"):
        if big in s:
            left, _, right = s.rpartition(big)
            lv = _compose(left) if left else 1
            return lv * 10**8 + _compose(right.lstrip("零〇"))
    for big in ("万", "萬"):
        if big in s:
            left, _, right = s.rpartition(big)
            lv = _below_wan(left) if left else 1
            return lv * 10**4 + _below_wan(right.lstrip("零〇"))
    return _below_wan(s)


def parse_chinese(s: str) -> Decimal:
    """Chinese numeral -> Decimal. `两` `十五` `三千五百万` `一点五` `二〇二三` `壹佰万`."""
    if s[0] not in _CN_DIGIT and s[0] not in "十拾":
        raise ValueError(s)
    s = s.replace("點", "点")
    if "点" in s:
        whole, _, frac = s.partition("点")
        digits = "".join(str(_CN_DIGIT[c]) for c in frac)
        return Decimal(_compose(whole) if whole else 0) + Decimal("0." + digits)
    return Decimal(_compose(s))


def parse_number(s: str) -> Optional[Decimal]:
    """Any written number -> Decimal, or None when it is not one.

    `137,784.25`, `３６，０５５`, `十五`, `两`, `三千五百万`, `1.5万`, `3千万`, `2.1亿`."""
    if s.isascii():
        t = s.replace(",", "")
        if t and t.replace(".", "", 1).isdigit():
            return Decimal(t)
    s = s.strip()
    if not s:
        return None
    try:
        t = s.translate(_FW)
        if t[0].isdigit():
            i = len(t)
            while i > 0 and not t[i - 1].isdigit():
                i -= 1
            head, tail = t[:i], t[i:]
            if tail and tail not in MULTIPLIER:
                return None
            return parse_arabic(head) * MULTIPLIER[tail]
        return parse_chinese(s)
    except (ValueError, KeyError, ArithmeticError):
        return None


def decimals_of(s: str) -> int:
    """Decimals as written (precision of the stated figure): `5,291.39` -> 2, `一点五` -> 1."""
    if s.isascii():  # the common case, without a translate: digits after the first `.`
        i = s.find(".")
        return 0 if i < 0 else len(s) - i - 1
    s = s.translate(_FW).replace("點", "点")
    if "." in s:
        return len(s.split(".", 1)[1].rstrip("万亿千百十萬億仟佰拾"))
    if "点" in s:
        return len(s.split("点", 1)[1])
    return 0


def is_chinese(s: str) -> bool:
    # full-width digits are digits to str.isdigit too: only the first character matters
    return bool(s) and not s[0].isdigit()


# --------------------------------------------------------------------------- qualifiers

# Words before a figure, longest first. `达` alone is not a qualifier (only `达…以上`).
PREFIX_QUALIFIERS = {
    "大约": "about", "约为": "about", "约": "about", "将近": "about", "接近": "about",
    "近": "about", "超过": "over", "超出": "over", "超": "over", "逾": "over",
    "多于": "over", "高于": "over", "不足": "under", "不到": "under", "少于": "under",
    "低于": "under", "不低于": "at_least", "不少于": "at_least", "至少": "at_least",
    "不高于": "at_most", "不超过": "at_most", "最多": "at_most", "最高": "at_most",
    # Traditional script
    "約": "about", "約為": "about", "大約": "about", "將近": "about", "超過": "over",
    "不低於": "at_least", "不少於": "at_least", "不高於": "at_most", "不超過": "at_most",
    "多於": "over", "高於": "over", "少於": "under", "低於": "under",
    # signs, as written in the target cells of a 自评表 (年度指标值 `≥95%`, `≤1400元`)
    "≥": "at_least", "≧": "at_least", "⩾": "at_least", ">=": "at_least",
    "≤": "at_most", "≦": "at_most", "⩽": "at_most", "<=": "at_most",
    ">": "over", "＞": "over", "<": "under", "＜": "under",
}
_PREFIX_LENGTHS = sorted({len(w) for w in PREFIX_QUALIFIERS}, reverse=True)
PREFIX_LAST = frozenset(w[-1] for w in PREFIX_QUALIFIERS)  # a qualifier ends in one of these


def prefix_before(text: str, start: int) -> Optional[str]:
    """The qualifier word ending right before a number (`约`, `不低于`), longest first.
    Looked up after the match rather than inside the pattern: an optional group at the
    head of a pattern makes the engine try it at every position of the text."""
    if start == 0 or text[start - 1] not in PREFIX_LAST:
        return None  # most numbers have no qualifier: one set lookup decides
    for n in _PREFIX_LENGTHS:
        if start >= n and text[start - n:start] in PREFIX_QUALIFIERS:
            word = text[start - n:start]
            if n == 1 and start >= 2 and text[start - 2] in _WORD_BEFORE.get(word, ""):
                return None  # 节约15万元, 最近3年: the character ends a word, it qualifies nothing
            return word
    return None


# A one-character qualifier is a word's tail after these characters (节约, 附近, 赶超 …).
_WORD_BEFORE = {
    "约": "节简制契预公条合邀特签履集", "約": "節簡制契預公條合邀特簽履集",
    "近": "最附就临臨邻鄰靠贴貼亲親", "超": "赶趕高", "逾": "",
}
# Between number and unit: 6200余万元, 70余人, 20多条
INFIX_QUALIFIERS = {"余": "over", "多": "over", "餘": "over"}
# After the unit: 1000万元左右, 100万元以上, 10%以内
SUFFIX_QUALIFIERS = {"左右": "about", "上下": "about", "以上": "over", "以下": "under", "以内": "under", "以內": "under"}
# (`300万元（含）以上`: the bracket that says the bound is included stays in the fact's text;
# every suffix word is two characters, so `suffix[-2:]` is the word)
SUFFIX_RE = "左右|上下|(?:[（(]含[）)])?(?:以上|以下|以内|以內)"


def combine_qualifiers(prefix: Optional[str], infix: Optional[str], suffix: Optional[str]) -> Optional[str]:
    """The qualifier nearest the number wins (`约10余万元` is `over`), then the suffix
    (`达100万元以上` is `over`), then the prefix."""
    if infix:
        return INFIX_QUALIFIERS[infix]
    if prefix is not None and PREFIX_QUALIFIERS[prefix] in ("at_least", "at_most"):
        return PREFIX_QUALIFIERS[prefix]
    if suffix:
        return SUFFIX_QUALIFIERS[suffix[-2:]]
    if prefix:
        return PREFIX_QUALIFIERS[prefix]
    return None


def last_digit_unit(number_text: str) -> Decimal:
    """Half the place value of the last written digit is the rounding tolerance; the place
    value itself is the width of a `余` interval: `6200` -> 100, `10` -> 10, `5.5` -> 0.1."""
    t = number_text.translate(_FW).replace(",", "").replace("點", "点")
    if t and not t[0].isdigit():
        # a Chinese numeral: 余 after a closing 万/亿 leaves less than one of it (两千万余元 is
        # 2000–2001万, 十八亿余元 18–19亿); else the place of the last non-zero digit
        # (两千余万元 is 2000–3000万), read from the composed value
        if t[-1] in "万萬亿億":
            mult = Decimal(10**12) if t[-2:] in ("万亿", "萬億") else Decimal(10**8 if t[-1] in "亿億" else 10**4)
            if "点" in t:  # 一点五亿余元: less than one more tenth of 亿
                return mult.scaleb(-len(t.split("点", 1)[1].rstrip("万萬亿億")))
            return mult
        v = parse_number(t)
        if v is None or v == 0:
            return Decimal(1)
        if v != v.to_integral_value():
            return Decimal(1).scaleb(v.normalize().as_tuple().exponent)
        digits = str(int(v))
        return Decimal(10) ** (len(digits) - len(digits.rstrip("0")))
    if "." in t:
        return Decimal(1).scaleb(-len(t.split(".", 1)[1]))
    stripped = t.rstrip("0")
    return Decimal(10) ** (len(t) - len(stripped)) if stripped else Decimal(1)


def interval(value: Decimal, qualifier: Optional[str], number_text: str, scale: Decimal = Decimal(1), infix: bool = False):
    """The interval an approximate figure stands for (None = unbounded on that side).

    about: ±10% (约, 近, 左右); over: `余/多` up to the next unit of the last digit
    (`6200余` -> [6200, 6300]), `超/以上` unbounded; under: [0, v]; at_least/at_most likewise."""
    if qualifier is None:
        return None, None
    if qualifier == "about":
        return value * Decimal("0.9"), value * Decimal("1.1")
    if qualifier == "over":
        return (value, value + last_digit_unit(number_text) * scale) if infix else (value, None)
    if qualifier in ("under", "at_most"):
        return Decimal(0), value
    if qualifier == "at_least":
        return value, None
    return None, None



# --------------------------------------------------------------------------- one scan for all

import functools  # noqa: E402
import re  # noqa: E402

# A cheap first pass: every run that starts like a number and that some extractor may
# read. `re` skips to candidate characters with a charset scan, ~15x faster than trying
# the full grammar at every position; each extractor then runs its anchored pattern only
# where the characters after a run can begin its kind (元/万/亿 for amounts, % for rates, a
# classifier for counts).
_START = f"{_D}{CN_DIGITS}十拾"
_BODY = f"{_D}{CN_DIGITS}{CN_UNITS}点"
# What a reader of runs looks at: the character after the run (past 余/多 and one space) or
# the run's last character. Only runs where one of them is a unit (amounts), a classifier's
# first character (counts) or %/成 (rates) are kept: two thirds of the runs (一 in 进一步,
# 2023 in 2023年) are dropped inside the scan instead of becoming tuples every reader skips.
# Each reader asserts at import that the characters it tests are listed here.
RUN_NEXT = frozenset(
    "元圆圓万萬亿億千仟百佰十拾"  # amounts
    "个人件份位例個冊册台名场場处套宗家屆届幢座张張戶户所批支期本条栋條棟次片种種稿笔筆篇类組组處起輛輪轮辆間间項類项眼艘架只"  # counts
    "%％成"  # rates
)
RUN_LAST = frozenset("元圆圓万萬亿億千仟百佰十拾")
# a separator belongs to the run only when a digit follows it (`36，055`, not `5，`); the run
# is possessive (*+: never shortened to pass the filter); the last lookahead reads the
# character after the run, past 余/多 and one space (or a line break: 28.64⏎亿元 wrapped), without consuming it.
# A run never starts right after a start character: one starting there is the tail of the run
# before it, with the same end and so the same fate, and re would otherwise try every tail of
# a rejected run (2023 in 2023年: four tries). The test stands after the first character so
# that re still skips to candidates with its charset scan (a leading lookbehind disables it).
_TOKEN = re.compile(
    rf"[{_START}](?<![{_START}].)(?:[{_BODY}]|[,，.．](?=[{_BODY}]))*+"
    rf"(?:(?<=[{''.join(sorted(RUN_LAST))}])|(?=[余多餘 \u00a0\u3000]{{0,2}}\n?[{''.join(sorted(RUN_NEXT))}]))"
    rf"(?=[余多餘 \u00a0\u3000]{{0,2}}\n?(.?))",
    re.S,
)


@functools.lru_cache(maxsize=8)
def number_runs(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, next_char) of every number-like run a reader may want (see RUN_NEXT);
    next_char skips 余/多 and one space."""
    return tuple([(m.start(), m.end(), m.group(1)) for m in _TOKEN.finditer(text)])  # a list comprehension: ~20% faster than a generator


# --------------------------------------------------------------------------- broken grouping

_DIGITS = frozenset("0123456789０１２３４５６７８９")
_WRAPPED_DECIMAL = re.compile(r"(?<![\d０-９,，.．])[\d０-９]{1,5}[.．][\d０-９]*$")


def grouped_head(text: str, start: int, num: str) -> Optional[tuple[int, str]]:
    """`1 356.20 万元`, `28, 764.50万元`: thousands groups split by a space (or a comma and a
    space), as PDF copy-and-paste and OCR leave them. When the number at `start` has exactly
    three integer digits and groups of one to three digits stand right before it across such
    gaps, return (the first group's start, the joined digits); else None. Only the amount
    reader asks: the money unit after the number is what makes the join safe."""
    dot = num.find(".")
    if dot < 0:
        dot = num.find("．")
    k = dot if dot >= 0 else len(num)
    if dot < 0 and text[start - 1:start] == "\n" and all(c in _DIGITS for c in num):
        # a line wrapped inside a decimal (`涉及资金2.3⏎7亿元`): a line of prose ends in the integer
        # digits and the point (no sentence ends so), the fraction opens the next, a unit after it
        ls = text.rfind("\n", 0, start - 1) + 1
        m = _WRAPPED_DECIMAL.search(text, max(ls, start - 12), start - 1)
        if m and m.start() > ls and "\t" not in text[ls:m.start()] and "|" not in text[ls:m.start()]:
            return m.start(), m.group() + num
    if 0 < k < 3 and all(c in _DIGITS for c in num[:k]) and text[start - 1:start] in (" ", "\u00a0", "\n"):
        # a space inside a group (`8,6 40条`), or a line wrapped there (`6,4⏎35.20万元`): the
        # digits after the comma before it and the number make one group of three
        e = start - 1
        s = e
        while s > 0 and text[s - 1] in _DIGITS and e - s < 3:
            s -= 1
        if e - s + k == 3 and s > 1 and text[s - 1] in ",，" and text[s - 2] in _DIGITS:
            h = s - 1
            while h > 0 and (text[h - 1] in _DIGITS or text[h - 1] in ",，"):
                h -= 1
            head = text[h:s - 1].replace(",", "").replace("，", "")
            if head and (h == 0 or text[h - 1] not in ".．"):
                return h, head + text[s:e] + num
        return None
    if k != 3 or not all(c in _DIGITS for c in num[:3]):
        return None
    pos, joined = start, num
    while True:
        if text[pos - 1:pos] not in (" ", "\u00a0"):
            break
        e = pos - 2 if pos >= 2 and text[pos - 2] in ",，" else pos - 1
        s = e
        while s > 0 and text[s - 1] in _DIGITS and e - s <= 3:
            s -= 1
        if not 1 <= e - s <= 3 or (s > 0 and text[s - 1] in ".．"):
            break  # four or more digits (`2023 356万元`), or a decimal's tail: not a group
        pos, joined = s, text[s:e] + joined
        if e - s < 3:
            break  # a short group is the head
    return None if pos == start else (pos, joined)
