"""Dates and date spans.

    2023年8月23日 (day)   2023年8月 / 8月份 / 10月初 / 7月末 / 5月中旬 / 3月底前 (month)
    2023年 / 2023年度 / 2022年初 (year)   2023年8月7日至9月7日, 1月18日-2月10日,
    2023年6月-7月, 1-8月, 2021-2025年 (spans: iso + iso_end)   2023.8.23 / 2023-08-23

A month or day written without a year takes the nearest explicit year before it in the
text (else the first year of the document; when the text has no year at all, the ISO 8601
truncated forms `--08` / `--08-23`). `2023年` and `2023年度` are dates of precision year:
in this genre they name the (fiscal) year, and the span must be masked so that no other
extractor reads `2023年` as a quantity. Years are 4 digits from 1949 to 2099; `5年内`,
`两个月内`, `3个月`, `次月10日前` are durations or relative days, not dates. A bare month
needs Arabic digits (`7月`) or a marker (`十月份`, `三月底`): `统一月报` is no date. An
impossible day (`2月30日`) keeps the span masked at month precision.

Dates are also masks (see pipeline.run.extract_facts), so the patterns cover years and
months generously.
"""
from __future__ import annotations

import re

from extractors.spans import Mask
from schemas.models import trusted
from schemas import Date

_FW = str.maketrans("０１２３４５６７８９", "0123456789")
_CNY = str.maketrans("〇零一二三四五六七八九", "00123456789")
_CN_MONTH = {
    "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    "十": 10, "十一": 11, "十二": 12, "正": 1,
}

_SP = r"[ \t\u3000]*"
_Y = r"(?:(?:19|20|１９|２０)[0-9０-９]{2}|[二][〇零○][〇零○一二三四五六七八九]{2})"
_M = r"(?:1[0-2]|0?[1-9]|１[０-２]|０?[１-９]|十[一二]?|[一二三四五六七八九正])"
_DD = r"(?:3[01]|[12][0-9]|0?[1-9]|[１２][０-９]|３[０１]|０?[１-９]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])"
_SUFFIX = r"(?:底前|末前|初前|上旬|中旬|下旬|前后|以前|之前|以后|以来|底|末|初|前|后|起)?"
_TO = rf"{_SP}(?:至|到|—+|–|－+|-+|~|～){_SP}"

# one point: Y年M月D日 / Y年M月 / Y年(度) / M月D日 / M月(份)
_POINT = (
    rf"(?:(?P<{{p}}y>{_Y}){_SP}年(?P<{{p}}du>度)?{_SP})?"
    rf"(?:(?P<{{p}}m>{_M}){_SP}月(?P<{{p}}fen>份)?{_SP}(?:(?P<{{p}}d>{_DD}){_SP}[日号])?)?"
)


def _point(p: str) -> str:
    return _POINT.replace("{p}", p)


_PAT = re.compile(
    # numeric: 2023.8.23 / 2023-08-23 / 2023/8/23
    rf"(?P<ny>(?:19|20)\d{{2}})(?P<nsep>[./\-])(?P<nm>1[0-2]|0?[1-9])(?P=nsep)(?P<nd>3[01]|[12]\d|0?[1-9])(?![\d.])"
    # month span inside a year: 1-8月, 6至7月, 2023年1-8月
    rf"|(?:(?P<sy>{_Y}){_SP}年(?:度)?{_SP})?(?<![\d０-９.])(?P<sm1>1[0-2]|0?[1-9]){_TO}(?P<sm2>1[0-2]|0?[1-9]){_SP}月(?:份)?(?P<ssuf>{_SUFFIX})"
    # year span: 2021-2025年, 2021年至2023年
    rf"|(?P<yy1>(?:19|20)\d{{2}}){_SP}(?:年{_SP})?(?:至|到|—+|–|－|-|~|～){_SP}(?P<yy2>(?:19|20)\d{{2}}){_SP}年(?:度)?"
    # points, optionally joined into a span
    rf"|(?=[0-9０-９二一三四五六七八九十正])(?P<a>{_point('a')})(?P<asuf>{_SUFFIX})(?:(?P<to>{_TO})(?P<b>{_point('b')})(?P<bsuf>{_SUFFIX}))?"
)

# the common case, a bare year (2023年, 2022年度, 2023年初) with no month or span after it
_YEAR_ONLY = re.compile(
    r"((?:19|20)[0-9]{2})年(度|初|底|末)?(?![0-9０-９一二三四五六七八九十正 \t\u3000至到~～—–－\-前以之后起度底初末])"
)
# what must not follow a bare month (a duration): 7月内
_NOT_AFTER_MONTH = re.compile(r"(?:内|来|之内|以内)")


_I = _PAT.groupindex
_I_NY, _I_NM, _I_ND = _I["ny"], _I["nm"], _I["nd"]
_I_SY, _I_SM1, _I_SM2, _I_YY1, _I_YY2 = _I["sy"], _I["sm1"], _I["sm2"], _I["yy1"], _I["yy2"]
_I_AY, _I_AM, _I_AD, _I_AFEN, _I_ASUF, _I_TO = _I["ay"], _I["am"], _I["ad"], _I["afen"], _I["asuf"], _I["to"]
_I_BY, _I_BM, _I_BD = _I["by"], _I["bm"], _I["bd"]


def _num(s: str | None) -> int | None:
    if s is None:
        return None
    if s[-1] in _DIGIT:
        return int(s)  # int() reads full-width digits too
    if s in _CN_MONTH:
        return _CN_MONTH[s]
    if "十" in s and len(s) <= 3:  # 二十五, 三十一, 十九 (days)
        a, _, b = s.partition("十")
        return (_CN_MONTH.get(a, 0) if a else 1) * 10 + (_CN_MONTH.get(b, 0) if b else 0)
    s = s.translate(_FW).translate(_CNY)
    return int(s) if s.isdigit() else None


_new_date = trusted(Date, ("text", "start", "end", "iso", "iso_end", "precision"))


def _date(text: str, start: int, end: int, iso: str, iso_end, precision: str) -> Date:
    """Date(...) without validation: every caller passes str/int/None values (see schemas.models.trusted)."""
    return _new_date({"text": text, "start": start, "end": end, "section": None,
                                 "iso": iso, "iso_end": iso_end, "precision": precision})


_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _days_in_month(y: int, m: int) -> int:
    if m == 2 and (y % 4 == 0 and y % 100 != 0 or y % 400 == 0):
        return 29
    return _DAYS[m - 1]


def _iso(y, m=None, d=None) -> str:
    if y is None:  # no year anywhere before it: ISO 8601 truncated forms --MM / --MM-DD
        return f"--{m:02d}" if d is None else f"--{m:02d}-{d:02d}"
    if m is None:
        return f"{y:04d}"
    if d is None:
        return f"{y:04d}-{m:02d}"
    return f"{y:04d}-{m:02d}-{d:02d}"


_YEAR_ANY = re.compile(rf"({_Y}){_SP}年")

# Where a date can start. Trying the full pattern at every character costs ~1 µs per
# character, so candidates are found from the rare characters 年/月 (str.find, in C) by
# walking back over the numerals before them, plus a plain scan for numeric dates.
_NUMERIC_20 = re.compile(r"20(?=[0-9]{2}[./-][0-9]{1,2}[./-][0-9])")
_NUMERIC_19 = re.compile(r"19(?=[0-9]{2}[./-][0-9]{1,2}[./-][0-9])")
_NUMERIC_END = re.compile(
    rf"{_TO}((?:19|20)[0-9]{{2}})([./-])(1[0-2]|0?[1-9])\2(3[01]|[12][0-9]|0?[1-9])(?![0-9.])"
)
_NUMERAL = frozenset("0123456789０１２３４５６７８９〇零○一二三四五六七八九十正 \t\u3000")
_DIGIT = frozenset("0123456789０１２３４５６７８９")
_CONNECT = frozenset("-至到~～—–－")


def _starts(text: str) -> list[int]:
    # numeric dates: 2023-08-23 / 2023.8.23 / 2023/8/23, then 19xx ones (a literal head is
    # found by a fast string search; only 2 characters are consumed, so no start is skipped)
    # (no `"19" in text` first: a two-character `in` reads the report slower than the pattern's literal scan)
    out = [m.start() for m in _NUMERIC_20.finditer(text)]
    out += [m.start() for m in _NUMERIC_19.finditer(text)]
    for ch in "年月":
        p = text.find(ch)
        while p >= 0:
            i = p
            while i > 0 and p - i < 8 and text[i - 1] in _NUMERAL:
                i -= 1
            # a span written backwards from its end: 1-8月, 6至7月, 2021-2025年
            if i > 1 and text[i - 1] in _CONNECT and text[i - 2] in _DIGIT:
                j = i - 1
                while j > 0 and i - j < 6 and text[j - 1] in _NUMERAL:
                    j -= 1
                out.append(j)
            while i < p and text[i] in " \t\u3000":
                i += 1
            if i < p:
                out.append(i)
            p = text.find(ch, p + 1)
    out.sort()
    return out


def extract(text: str, mask: Mask | None = None) -> list[Date]:
    out: list[Date] = []
    first = _YEAR_ANY.search(text)
    ctx_year = _num(first.group(1)) if first else None
    last_year = None
    pos = 0
    for st in _starts(text):
        if st < pos:
            continue
        q = _YEAR_ONLY.match(text, st)
        if q is not None:
            iso = q.group(1)  # four ASCII digits: what f"{y:04d}" writes
            pos = q.end()
            last_year = int(iso)
            if mask is None or not mask.hit(st, pos):
                # (the most common date: built in place, without the keyword call)
                out.append(_new_date({"text": q.group(), "start": st, "end": pos, "section": None,
                                                 "iso": iso, "iso_end": None, "precision": "year"}))
            continue
        m = _PAT.match(text, st)
        if m is None:
            continue
        s, e = m.span()
        pos = e
        if s == e:
            continue
        gs = (None,) + m.groups()
        if gs[_I_NY]:
            y, mo, d = int(gs[_I_NY]), int(gs[_I_NM]), int(gs[_I_ND])
            iso_end = None
            sp = _NUMERIC_END.match(text, e)  # 2023.10.9—2023.10.31
            if sp is not None:
                iso_end = _iso(int(sp.group(1)), int(sp.group(3)), int(sp.group(4)))
                if iso_end > _iso(y, mo, d):
                    e = pos = sp.end()
                else:
                    iso_end = None
            f = _date(text=text[s:e], start=s, end=e, iso=_iso(y, mo, d), iso_end=iso_end, precision="day")
            last_year = y
        elif gs[_I_SM1]:
            sy = _num(gs[_I_SY])
            y = sy or last_year or ctx_year
            m1, m2 = int(gs[_I_SM1]), int(gs[_I_SM2])
            if m2 <= m1:
                continue
            if sy:
                last_year = sy
            f = _date(text=text[s:e], start=s, end=e, iso=_iso(y, m1), iso_end=_iso(y, m2), precision="month")
        elif gs[_I_YY1]:
            y1, y2 = int(gs[_I_YY1]), int(gs[_I_YY2])
            if not (1949 <= y1 < y2 <= 2099):
                continue
            f = _date(text=text[s:e], start=s, end=e, iso=_iso(y1), iso_end=_iso(y2), precision="year")
            last_year = y2
        else:
            ay, am, ad = _num(gs[_I_AY]), _num(gs[_I_AM]), _num(gs[_I_AD])
            if ay is None and am is None:
                continue
            has_to = gs[_I_TO] is not None
            marked = bool(gs[_I_AFEN] or gs[_I_ASUF])
            if ay is None and ad is None and not marked:
                # a bare month is a date unless it reads as a duration (3个月, 月内) or is a
                # Chinese numeral (三月 without 份/底/日 is too often part of a word)
                if gs[_I_AM][-1] not in _DIGIT:
                    continue
                if not has_to and (s > 0 and text[s - 1] in "个個每逐按次当本上下该" or _NOT_AFTER_MONTH.match(text, e)):
                    continue
            if ay is not None and not (1949 <= ay <= 2099):
                continue
            if ay is not None:
                last_year = ay
            y = ay if ay is not None else (last_year or ctx_year)
            if am is not None and not 1 <= am <= 12 or ad is not None and not 1 <= ad <= 31:
                continue
            if ad is not None and y is not None and ad > _days_in_month(y, am):
                ad = None  # 2023年2月30日: keep the span masked, trust only the month
            iso = _iso(y, am, ad)
            prec = "day" if ad is not None else "month" if am is not None else "year"
            iso_end = None
            end = e
            if has_to:
                by, bm, bd = _num(gs[_I_BY]), _num(gs[_I_BM]), _num(gs[_I_BD])
                ey = by if by is not None else y
                if bd is not None and (bm or am):
                    iso_end = _iso(ey, bm or am, bd)
                elif bm is not None:
                    iso_end = _iso(ey, bm)
                elif by is not None:
                    iso_end = _iso(by)
                if by is not None:
                    last_year = by
                if iso_end is None or iso_end < iso or iso_end[:1] != iso[:1] or (y is None and by is not None):
                    iso_end, end = None, m.end(_I_ASUF)
            f = _date(text=text[s:end], start=s, end=end, iso=iso, iso_end=iso_end, precision=prec)
        if mask is not None and mask.hit(f.start, f.end):
            continue
        out.append(f)
    return out
