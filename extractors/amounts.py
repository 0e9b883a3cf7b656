"""amounts: every sum of money, exact in 元.

`1,930万元` `4.9亿元` `三千万元` `6200余万元` `约1000万元` `近2400万元` `100万元以上的项目`
`21.73亿的支出` (bare 亿 in a money clause) `3100元/㎡` `5000万至1亿元` (the range's first end
takes the second's unit) `萬元` `億元`; and bare numbers in table columns whose header
states the unit (`金额（万元）`, `单位：元`)."""
from __future__ import annotations

from decimal import Decimal
from typing import Optional

import re

from extractors.context import BAD_BEFORE_ARABIC, BAD_BEFORE_CN, clause_bounds, far_qualifier, is_bound, preceded_ok
from extractors.numbers import (
    AR,
    CN,
    MULT,
    MULTIPLIER,
    PREFIX_LAST,
    RUN_LAST,
    RUN_NEXT,
    number_runs,
    prefix_before,
    SUFFIX_RE,
    combine_qualifiers,
    decimals_of,
    interval,
    parse_number,
    grouped_head,
)
from extractors.spans import EMPTY, Mask, contains
from schemas.models import trusted
from extractors.tables import lines_with_offsets, row_cells
from schemas import Amount

_AMOUNT_NEXT = frozenset("元圆圓万萬亿億千仟百佰十拾")
assert _AMOUNT_NEXT <= RUN_NEXT and _AMOUNT_NEXT <= RUN_LAST  # number_runs keeps the runs read here
_URL = re.compile(r"(?:https?://|www\.)[\x21-\x7e]+")


def url_mask(text: str) -> Mask:
    """URLs and e-mail-like runs hold digits that are never figures (`id=18558`)."""
    if not contains(text, "http", 0) and not contains(text, "www.", 0):
        return EMPTY  # ~10x cheaper than a regex scan of the whole text
    return Mask((m.start(), m.end()) for m in _URL.finditer(text))


# number + optional 余/多 + optional space + unit (with 元) + optional 左右/以上/…
_AMOUNT = re.compile(
    rf"(?P<num>{AR}|{CN})"
    rf"(?P<inf>[余多餘])?"
    rf"(?:[ \u00a0\u3000]|\n(?=[万萬亿億千元圆圓]))?"  # (a line wrapped between the figure and its unit: 28.64⏎亿元)
    rf"(?:(?P<unit>{MULT}?\n?[元圆圓])|(?P<mid>{MULT})(?P<inf2>[余多餘])(?P<unit2>[元圆圓])"  # 1.2亿余元; 30 797.20万⏎元
    rf"|(?P<bare>万亿|萬億|亿|億|万|萬)(?![元圆圓]))"
    rf"(?P<suf>{SUFFIX_RE})?"
)
# a range whose first end has no unit: 5000万至1亿元, 3-5万元, 100～500万元
_RANGE_HEAD = re.compile(rf"(?P<num>{AR})(?P<mult>{MULT})?[ ]?(?:至|到|-|－|~|～|—|–)[ ]?$")

_RANGE_SEPARATORS = frozenset("至到-－~～—–")
_MONEY_WORDS = re.compile(
    r"资金|金额|预算|支出|经费|投资|收入|财政|拨付|安排|审减|核减|压减|收回|调减|规模|总额|资产|债券|债务|"
    r"费用|成本|补助|补贴|税|款|元|价|基金|开支|营收|产值|资本|额度"
)
# after a bare 万/亿: things that make it a count or a measure, not money
_NOT_MONEY_AFTER = re.compile(
    r"[余多]?(?:[人户个家项次名份条台辆套件株头只吨亩平米㎡公千字册张位所座间处批场篇本轮期]|平方|公里|千瓦)"
)

_T2S_UNIT = str.maketrans("萬億圓", "万亿元")


_SCALES: dict[str, Decimal] = {}  # unit as written -> its scale (a pure function of a few dozen units)


def _unit_scale(unit: str) -> Decimal:
    scale = _SCALES.get(unit)
    if scale is None:
        scale = _SCALES[unit] = Decimal(MULTIPLIER[unit.translate(_T2S_UNIT).rstrip("元")])
    return scale


_ONE = Decimal(1)


def _normal(d: Decimal) -> Decimal:
    """Exact, without a spurious exponent or trailing zeros: 1640000000.0 -> 1640000000."""
    d = d.normalize()
    # integral: exponent 0 (normalize gave 1.64E+9); else the normalized digits (as_tuple is ~3x slower)
    return d.quantize(_ONE) if d == d.to_integral_value() else d


_amount = trusted(Amount, ("text", "start", "end", "value_yuan", "unit", "qualifier", "bound", "low", "high", "decimals"))


def _make(text: str, m_start: int, m_end: int, num: str, num_start: int, unit_written: str,
          scale: Decimal, pre: Optional[str], inf: Optional[str], suf: Optional[str]) -> Optional[Amount]:
    value = parse_number(num)
    if value is None:
        return None
    value_yuan = _normal(value * scale)
    # (the calls are skipped when they have nothing to work on: most figures are unqualified)
    qualifier = None if pre is None and inf is None and suf is None else combine_qualifiers(pre, inf, suf)
    if qualifier is None and text.find("不", num_start - 30 if num_start > 30 else 0, num_start) >= 0:
        qualifier = far_qualifier(text, num_start)  # (it needs a 不 within 30 characters before)
    low, high = (None, None) if qualifier is None else interval(value_yuan, qualifier, num, scale, infix=bool(inf))
    return _amount({
        "text": text[m_start:m_end],
        "start": m_start,
        "end": m_end,
        "section": None,
        "value_yuan": value_yuan,
        "unit": unit_written,
        "qualifier": qualifier,
        # (without a prefix or suffix, is_bound tests only the qualifier)
        "bound": (qualifier == "at_least" or qualifier == "at_most") if suf is None and pre is None
        else is_bound(text, m_start, m_end, qualifier, suf, pre),
        "low": None if low is None else _normal(low),
        "high": None if high is None else _normal(high),
        "decimals": decimals_of(num),
    })


def _money_clause(text: str, start: int, end: int) -> bool:
    s, e = clause_bounds(text, start, end, limit=24)
    return bool(_MONEY_WORDS.search(text, s, start)) or bool(_MONEY_WORDS.search(text, end, e))


def extract(text: str, mask: Mask = EMPTY) -> list[Amount]:
    out: list[Amount] = []
    for rs, re_, nxt in number_runs(text):
        if nxt not in _AMOUNT_NEXT and text[re_ - 1] not in _AMOUNT_NEXT:
            continue
        m = _AMOUNT.match(text, rs)
        if m is None:
            continue
        # one groups() call instead of a call per group; the number is the head of the match
        num, inf, unit, mid, inf2, unit2, bare, suf = m.groups()
        if mid is not None:  # 1.2亿余元, 3000万多元: the 余 stands between the multiplier and 元
            unit, inf = mid + unit2, inf or inf2
        elif unit is not None and "\n" in unit:  # a line wrapped inside the unit (万⏎元): the unit is 万元
            unit = unit.replace("\n", "")
        ns = rs
        mend = m.end()
        chinese = not num[0].isdigit()  # is_chinese
        if not chinese and ns > 1 and text[ns - 1] in " \u00a0\n":
            joined = grouped_head(text, ns, num)  # `1 356.20 万元`: a group split by a space (or a wrap)
            if joined is not None:
                ns, num = joined
        # preceded_ok, inline (this runs for every candidate)
        if ns and text[ns - 1] in (BAD_BEFORE_CN if chinese else BAD_BEFORE_ARABIC) or mask.hit(ns, ns + len(num)):
            continue
        pre = prefix_before(text, ns) if ns and text[ns - 1] in PREFIX_LAST else None  # (its first test)
        mstart = ns - len(pre) if pre else ns
        if unit:
            unit_written = unit
        else:
            bare_end = mend - len(suf) if suf else mend
            after = text[bare_end:bare_end + 2]
            if _NOT_MONEY_AFTER.match(after) or not _money_clause(text, ns, mend):
                continue
            unit_written = bare
        if chinese and len(num) == 1 and num not in "十拾" and unit in ("元", "圆", "圓"):
            continue  # 一元化, 二元结构: a lone numeral before a bare 元 is a word, not money
        if chinese:
            # the numeral run is composed whole (一亿五千万 is one number); the unit shown
            # is what was written after the last digit: 三千五百万元 -> 万元
            run = num + (bare or "")
            scale = _unit_scale(unit) if unit else Decimal(1)
            trailing = len(run) - len(run.rstrip("万萬亿億"))
            shown = run[len(run) - trailing:] + (unit or "") if trailing else unit_written
            a = _make(text, mstart, mend, run, ns, shown, scale, pre, inf, suf)
        else:
            a = _make(text, mstart, mend, num, ns, unit_written, _unit_scale(unit_written), pre, inf, suf)
        if a is None:
            continue
        if mid is not None and "." not in num and "．" not in num and "点" not in num:
            a.high = a.low + _unit_scale(unit)  # 3000万余元: less than one more 万, not 1000万 more
        # the first end of a range takes this end's unit: 5000万至1亿元, 3-5万元
        sep = text[mstart - 1] if mstart else ""
        if sep == " " and mstart > 1:
            sep = text[mstart - 2]
        head = _RANGE_HEAD.search(text, max(0, mstart - 24), mstart) if sep in _RANGE_SEPARATORS else None
        if head and pre is None and not mask.hit(*head.span("num")) and preceded_ok(text, head.start(), False):
            first_unit = head.group("mult") or ""
            hs, he = head.span("num")
            if first_unit:
                scale1, unit1, te = Decimal(MULTIPLIER[first_unit.translate(_T2S_UNIT)]), first_unit, head.end("mult")
            else:
                scale1, unit1, te = _unit_scale(unit_written), unit_written, he
            first = _make(text, hs, te, head.group("num"), hs, unit1, scale1, None, None, None)
            if first is not None and not any(o.start <= hs < o.end for o in out):
                first.bound = a.bound
                out.append(first)
        out.append(a)
    if "百万" in text or "千万" in text or "百萬" in text or "千萬" in text:
        out.extend(_implicit_one(text, mask, out))
    out.extend(_table_amounts(text, mask, out))
    out.sort(key=lambda f: f.start)
    return out


# 逾百万元, 近千万元, 百万元以上: 百/千 with no numeral before it means one of them
_IMPLICIT_ONE = re.compile(rf"(?P<num>[百千])(?P<mult>万|萬|亿|億)(?P<yuan>[元圆圓])(?P<suf>{SUFFIX_RE})?")
_NUMERAL_BEFORE = frozenset("0123456789０１２３４５６７８９零〇一二两兩三四五六七八九十几數数")


def _implicit_one(text: str, mask: Mask, found: list[Amount]) -> list[Amount]:
    taken = [(f.start, f.end) for f in found]
    out = []
    for m in _IMPLICIT_ONE.finditer(text):
        ns = m.start()
        if ns and text[ns - 1] in _NUMERAL_BEFORE or mask.hit(ns, m.end()) or any(a < m.end() and ns < b for a, b in taken):
            continue
        pre = prefix_before(text, ns)
        suf = m.group("suf")
        if pre is None and suf is None:
            continue  # a bare 百万元 reads as an amount only with its qualifier (逾百万元, 百万元以上)
        unit = m.group("mult") + m.group("yuan")
        a = _make(text, ns - len(pre) if pre else ns, m.end(), "一" + m.group("num"), ns, unit, _unit_scale(unit),
                  pre, None, suf)
        if a is not None:
            out.append(a)
    return out


# --------------------------------------------------------------------------- tables

_UNIT_NOTE = re.compile(r"(?:金额单位|金額單位|单位|單位)[：:]\s*(?P<u>万亿元|亿元|万元|千元|元|萬元|億元)")
_HEADER_UNIT = re.compile(r"[（(](?P<u>万亿元|亿元|万元|千元|元|萬元|億元)[）)]")
_BARE_NUMBER = re.compile(rf"^\s*(?P<cmp>>=|<=|[≥≤＞＜><])?\s*(?P<num>-?{AR})\s*$")
_CMP = {"≥": "at_least", ">=": "at_least", "≤": "at_most", "<=": "at_most", ">": "over", "＞": "over", "<": "under", "＜": "under"}
_MONEY_HEADER = re.compile(
    r"金额|金額|資金|资金|预算|預算|支出|投资|投資|數額|数额|合计|合計|小计|小計|总计|總計|拨款|撥款|执行数|執行數"
    r"|决算|決算|批复|批覆|申报|申報|审定|審定|核定|审减|審減|调整|調整"
)
_OWN_UNIT = re.compile(r"[（(][^）)]*[）)]")  # a header cell's own unit note (`面积（亩）`)
_RANK_HEADER = re.compile(r"序号|序號|编号|編號|排名")
# the label of a total row
_TOTAL_LABEL = re.compile(r"^[ \t\u3000]*(?:合计|合計|小计|小計|总计|總計|共计|共計)[ \t\u3000]*$")
# columns that hold weights, scores, ranks and counts, never money
_NOT_MONEY_HEADER = re.compile(r"分值|得分|权重|權重|分数|分數|序号|序號|比例|率|个数|個數|数量|數量|人数|人數|编号|編號")

def _unit_stated(text: str) -> bool:
    """Whether _UNIT_NOTE or _HEADER_UNIT matches anywhere: tried only where a match must
    be (the ：/: after 单位, 元 before ）/)), found with plain string searches; a scan
    of the whole text with either pattern costs ~30 µs, and most reports have neither."""
    for colon in "：:":
        p = text.find(colon, 2)
        while p >= 0:
            if (text.startswith("单位", p - 2) or text.startswith("單位", p - 2)) and _UNIT_NOTE.match(text, p - 2):
                return True
            p = text.find(colon, p + 1)
    p = text.find("元）")  # (元 and ） are both common: the pair is the rarer thing to look for)
    while p >= 0:
        if _HEADER_UNIT.search(text, max(0, p - 3), p + 2):
            return True
        p = text.find("元）", p + 1)
    p = text.find(")", 1)
    while p >= 0:
        if text[p - 1] == "元" and _HEADER_UNIT.search(text, max(0, p - 4), p + 1):
            return True
        p = text.find(")", p + 1)
    return False


def _table_amounts(text: str, mask: Mask, found: list[Amount]) -> list[Amount]:
    """Bare numbers in table rows (cells split by tab, `|` or runs of spaces) whose column
    header, a `单位：万元` note above the table, or the row's own label
    (`单个终端年均运维成本（元）	≤17000	16806`) states the money unit. Columns of
    weights, scores and counts (分值, 得分, 个数 …) are never money."""
    if not _unit_stated(text):
        return []
    taken = {f.start for f in found}
    out: list[Amount] = []
    columns: dict[int, str] = {}  # column index -> unit, from the current table's header
    excluded: set[int] = set()  # columns of weights, scores, counts
    table_unit: Optional[str] = None
    header_len = 0  # cells in the current table's header row
    header_cells: list[str] = []
    figure_cols: set[int] = set()  # the columns the table's full rows hold figures in
    for line, offset in lines_with_offsets(text):
        note = _UNIT_NOTE.search(line)
        cells = [(c, cs) for c, cs, _ in row_cells(line, offset)]
        if len(cells) < 2:
            if note:
                table_unit = note.group("u")
            elif line.strip():
                table_unit = None  # prose ends a table
            columns, excluded, header_len = {}, set(), 0
            continue
        numeric = [bool(_BARE_NUMBER.match(c)) for c, _ in cells]
        if note and not any(numeric):  # 表1  …结果（金额单位：万元）: a title that states the unit
            table_unit = note.group("u")
            columns, excluded, header_len = {}, set(), 0
            continue
        if not any(numeric):  # a header row
            header_hits = {i: h.group("u") for i, (c, _) in enumerate(cells) if (h := _HEADER_UNIT.search(c))}
            excluded = {i for i, (c, _) in enumerate(cells) if _NOT_MONEY_HEADER.search(c) and i not in header_hits}
            header_len = len(cells)
            header_cells = [c for c, _ in cells]
            figure_cols = set()
            if list(header_hits) == [0] and len(cells) > 2:
                # `项目资金（万元）  年初预算数  全年预算数  全年执行数  分值  执行率  得分`: a unit in
                # the stub cell is the table's, for every column that is not weights, scores,
                # rates or counts and states no unit of its own (`面积（亩）`)
                unit = header_hits[0]
                columns = {0: unit} | {i: unit for i, (c, _) in enumerate(cells)
                                       if i and i not in excluded and not _OWN_UNIT.search(c)}
            elif header_hits:
                columns = header_hits
            elif table_unit:
                columns = {i: table_unit for i, (c, _) in enumerate(cells) if _MONEY_HEADER.search(c)}
            else:
                columns = {}
            continue
        if header_len and len(cells) != header_len and columns and _TOTAL_LABEL.match(cells[0][0]):
            # a total row with merged or left-out cells (`合计      41,368.60`, `合计  1,464  234,132.40`):
            # its figures fill, in order, the columns the rows above held figures in (序号 aside)
            figures = [k for k, is_num in enumerate(numeric) if is_num]
            fill = sorted(c for c in figure_cols if not _RANK_HEADER.search(header_cells[c]))
            money_fill = [c for c in fill if c not in excluded]
            if len(figures) == len(money_fill) < len(fill):
                fill = money_fill  # (合计 | | | | 10,566.00 | 549.60 under 得分 … 预算 … 压减: the money columns)
            if figures and len(figures) <= len(fill):
                cols = {k: columns[c] for k, c in enumerate(fill[:len(figures)]) if c in columns}
                out.extend(_cell_amounts(text, [cells[k] for k in figures], cols, set(), None, taken, mask))
            continue
        if len(cells) == header_len:
            figure_cols.update(k for k, is_num in enumerate(numeric) if is_num)
        # a money unit in the row's own label applies to its figures outside excluded columns
        row_unit = None
        for (c, _), is_num in zip(cells, numeric):
            if not is_num and (h := _HEADER_UNIT.search(c)):
                row_unit = h.group("u")
        out.extend(_cell_amounts(text, cells, columns, excluded, row_unit, taken, mask))
    return out


def _cell_amounts(text: str, cells: list, columns: dict[int, str], excluded: set[int], row_unit: Optional[str],
                  taken: set[int], mask: Mask) -> list[Amount]:
    """The amounts in one table row: each bare number whose column (or, outside excluded
    columns, the row's own label) states a money unit."""
    out: list[Amount] = []
    for i, (cell, cstart) in enumerate(cells):
        unit = columns.get(i) or (row_unit if i not in excluded and i not in columns else None)
        if unit is None:
            continue
        bm = _BARE_NUMBER.match(cell)
        if not bm:
            continue
        ns, ne = cstart + bm.start("num"), cstart + bm.end("num")
        fs = cstart + bm.start("cmp") if bm.group("cmp") else ns
        if ns in taken or fs in taken or mask.hit(ns, ne):
            continue
        num = bm.group("num").lstrip("-")
        a = _make(text, fs, ne, num, ns, unit, _unit_scale(unit), None, None, None)
        if a is not None:
            if bm.group("cmp"):
                a.qualifier = _CMP[bm.group("cmp")]
                a.bound = True  # a target value (年度指标值), not a reported figure
                a.low, a.high = (a.value_yuan, None) if a.qualifier in ("at_least", "over") else (Decimal(0), a.value_yuan)
            out.append(a)
    return out
