"""Tables flattened to lines (自评表 cells split by `|`, tabs or runs of spaces): column totals and row rates.

- A row whose first cell is 合计/总计/小计 is the total of the other rows of its column
  (rows written `其中：…` are its parts too); columns headed by a rate, an average or a
  share (率, 平均, 占比, %) are not added up.
- A rate column (执行率, 完成率) is, row by row, the spent/done column over the budget/plan
  column (`全年预算数` preferred over `年初预算数`).
Cells are read as written; a stated total matches any exact sum that rounds to it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Optional

from extractors.tables import has_row_marks, row_cells
from pipeline.checks import Ctx, Iv, amount_iv, approx, fmt_amount, fmt_pct

_NUM = re.compile(r"^[<>≤≥约近]?\s*(-?\d[\d,，]*(?:\.\d+)?)\s*(%|％)?$")
_TOTAL = re.compile(r"^(?:合\s*计|总\s*计|小\s*计)$")
_NOT_ADDITIVE = re.compile(r"率|平均|占比|比例|%|％|指标值|完成值|标准|单价|均")
_SPENT_COL = re.compile(r"执行数|执行金额|实际支出|支出数|完成值|实际完成|已支出|累计支出|月支出|^支出$")  # (1-6月支出)
_BUDGET_COL = re.compile(r"全年预算|调整后预算|预算数|预算金额|计划")
_RATE_COL = re.compile(r"执行率|完成率|支出率")
_RANK = re.compile(r"序号|序號|编号|排名")
_SCORE_COL = re.compile(r"得分|评分|評分|分数|分數|等级|等級")
_SPACES = re.compile(r" {2,}|\u3000+")
_TOTAL_LINE = re.compile(r"[ \u3000]*(?:合|总|小)[ \u3000]?计(?: {2,}|\u3000)")


@dataclass
class Cell:
    text: str
    start: int
    end: int
    value: Optional[Decimal] = None
    decimals: int = 0
    pct: bool = False
    qualifier: Optional[str] = None


def _cells(text: str, s: int, e: int, sep: str) -> list[Cell]:
    out, pos = [], s
    for part in text[s:e].split(sep):
        raw = part
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        c = Cell(text=body, start=pos + lead, end=pos + lead + len(body))
        m = _NUM.match(body)
        if m:
            num = m.group(1).replace(",", "").replace("，", "")
            try:
                c.value = Decimal(num)
                c.decimals = len(num.split(".")[1]) if "." in num else 0
                c.pct = bool(m.group(2))
                c.qualifier = "bound" if body[:1] in "<>≤≥约近" else None
            except InvalidOperation:
                pass
        out.append(c)
        pos += len(part) + len(sep)
    return out


def _space_cells(text: str, s: int, e: int) -> list[Cell]:
    """A row whose cells are split by runs of spaces: its cells as `_cells` makes them."""
    out = []
    for body, cs, _ in row_cells(text[s:e], s):
        lead = len(body) - len(body.lstrip())
        out.extend(c for c in _cells(text, cs + lead, cs + lead + len(body.strip()), "\0"))
    return out


def _tables(text: str):
    """Blocks of consecutive lines with the same separator and at least three cells."""
    # one pass over the lines (a last empty one closes the last block); a line has no two |
    # or tabs when the text has none: counted only then
    bars, tabs = "|" in text, "\t" in text
    lines = text.split("\n")
    lines.append("")
    block, sep, pos = [], None, 0
    for line in lines:
        s, e = pos, pos + len(line)
        pos = e + 1
        runs = len(_SPACES.findall(line.strip())) if "  " in line or "\u3000" in line else 0
        this = "|" if bars and line.count("|") >= 2 else ("\t" if tabs and line.count("\t") >= 2 else
                                                           "  " if runs >= 2 or runs == 1 and sep == "  " and _TOTAL_LINE.match(line)
                                                           else None)  # (合计      4,590.50: a total row with its empty cells left out)
        if this and (sep is None or this == sep):
            block.append((s, e))
            sep = this
            continue
        if len(block) >= 3:
            yield sep, [_cells(text, a, b, sep) if sep != "  " else _space_cells(text, a, b) for a, b in block]
        block, sep = ([(s, e)], this) if this else ([], None)


_NONE_CELL = re.compile(r"^(?:—+|-+|－+|–+|/|／)$")  # a cell that says there is none


def _split_headers(sep: str, rows: list[list[Cell]]):
    """A block of rows with one separator may hold several tables, one under the other (the
    sheet's 主管部门 row, its money block, its indicators): each row without a figure that is
    as wide as the rows after it opens a table of its own."""
    start = 0
    for i in range(1, len(rows)):
        r = rows[i]
        if (len(r) >= 3 and all(c.value is None for c in r[1:]) and i + 1 < len(rows) and len(rows[i + 1]) == len(r)
                and (len(r) != len(rows[start]) or any(c.value is not None for c in rows[i - 1][1:]))):
            # (a header row under rows of figures opens a new table even at the same width)
            if i - start >= 1:
                yield sep, rows[start:i]
            start = i
    yield sep, rows[start:]


def _half(c: Cell) -> Decimal:
    return Decimal(1).scaleb(-c.decimals) / 2


_WEIGHT_COL = re.compile(r"^(?:分值|分值（分）|分值\(分\)|权重|權重|标准分|標準分)$")
_GOT_COL = re.compile(r"^(?:得分|得分（分）|得分\(分\)|评分|評分|自评得分|自評得分)$")
_SHEET_TOTAL = re.compile(r"^(?:总\s*分|總\s*分|总\s*计|總\s*計|合\s*计|合\s*計)$")


def _col(header: list[Cell], pat: re.Pattern) -> Optional[int]:
    return next((j for j, c in enumerate(header) if pat.match(c.text.replace(" ", ""))), None)


def _scored_rows(header: list[Cell], body: list[list[Cell]]) -> list[tuple[Cell, Cell]]:
    """The (分值, 得分) cells of a table's rows that have both, total rows aside."""
    w, g = _col(header, _WEIGHT_COL), _col(header, _GOT_COL)
    if w is None or g is None:
        return []
    return [(r[w], r[g]) for r in body if len(r) == len(header) and not _SHEET_TOTAL.match(r[0].text)
            and r[w].value is not None and r[g].value is not None and not r[w].pct and not r[g].pct]


def _score_sheet(ctx: Ctx, header: list[Cell], body: list[list[Cell]], carried: list[tuple[Cell, Cell]]) -> None:
    """A 自评表's 总分 row: its 得分 is the sum of the rows' 得分, the 分值 column being the witness
    of which rows count. The standard sheet scores the budget execution (年度资金总额 … 分值 10 …
    得分 9.51) in the money block above the indicators, so the rows of the nearest table above
    with 分值 and 得分 columns are added when the indicators' 分值 alone fall short of the total's.
    When the 分值 do not add up either way, the sheet is not understood and nothing is said."""
    w, g = _col(header, _WEIGHT_COL), _col(header, _GOT_COL)
    if w is None or g is None:
        return
    totals = [r for r in body if len(r) == len(header) and r[0].text.replace("\u3000", "").startswith(("总分", "總分"))]
    if len(totals) != 1:
        return
    tw, tg = totals[0][w], totals[0][g]
    if tw.value is None or tg.value is None:
        return
    rows = _scored_rows(header, body)
    if len(rows) < 2 or any(x.qualifier or y.qualifier for x, y in rows):
        return
    if sum(x.value for x, _ in rows) != tw.value:
        rows = carried + rows
        if not carried or sum(x.value for x, _ in rows) != tw.value:
            return
    got = sum(y.value for _, y in rows)
    if abs(got - tg.value) > _half(tg):
        exp = f"{got:.{tg.decimals}f}"
        ctx.add("arithmetic.sum", "error",
                f"自评表各项“{header[g].text}”相加为{exp}，而总分栏为{tg.text}，请核实。",
                [y for _, y in rows] + [tg], expected=exp, actual=tg.text)


# The whole-funds row of a 自评表 money block, and what its columns are called in the prose.
_WHOLE_ROW = re.compile(r"^(?:年度)?(?:项目)?资金总额|^年度資金總額|^合\s*计$|^總\s*計$|^总\s*计$")
_PROSE_OF_COLUMN = (  # (column header, the words right before the same figure in a sentence)
    (re.compile(r"全年执行数|全年執行數|实际执行数|全年支出数"),
     re.compile(r"(?:全年|年度)(?:实际)?(?:支出|执行)(?:数|金额)?(?:为|是|达|共计)?$")),
    (re.compile(r"全年预算数|全年預算數|调整后预算"),
     re.compile(r"(?:全年预算数?|调整后预算数?|全年預算數?)(?:为|是|达|共计)?$")),
    (re.compile(r"年初预算数|年初預算數"), re.compile(r"年初预算数?(?:为|是|达|共计)?$")),
)
def _label(r: list[Cell]) -> Cell:
    """A row's label: its first cell, or the second when the first is empty (the 项目资金（万元）
    stub of a money block spans its rows: `\t年度资金总额\t1,280.00\t…`)."""
    return r[1] if not r[0].text.strip() and len(r) > 1 else r[0]


_OTHER_SCOPE = re.compile(r"上年|去年|同期|较|比|其中|基本支出|项目支出|人员|公用|省级|市级|县级|中央|本级")


def _sheet_vs_prose(ctx: Ctx, header: list[Cell], body: list[list[Cell]], amounts: dict) -> None:
    """The one money block of a 自评表 and the report's prose state the same whole-year
    figures: `年度资金总额 | 3,200.00 | 3,586.50 | 3,412.38` against `全年实际支出3,421.38万元`.
    Each column read as budget or spending is set against the prose figures introduced by the
    same words (全年实际支出, 全年预算数, 年初预算) outside any table, when they agree among
    themselves and speak of no part (其中, 基本支出) and no other year."""
    whole = [r for r in body if len(r) == len(header) and _WHOLE_ROW.match(_label(r).text.replace(" ", ""))]
    if len(whole) != 1:
        return
    row = whole[0]
    for col_pat, prose_pat in _PROSE_OF_COLUMN:
        j = next((j for j in range(1, len(header)) if col_pat.search(header[j].text)), None)
        if j is None:
            continue
        cell = amounts.get((row[j].start, row[j].end))
        if cell is None or cell.qualifier:
            continue
        said = []
        for a in ctx.amounts:
            w = ctx.window(a, 12)
            if a is cell or a.qualifier or a.bound or not prose_pat.search(w) or _OTHER_SCOPE.search(w):
                continue
            if not _is_row_line(ctx, a.start):  # (a table's cell is not prose)
                said.append(a)
        if not said or len({x.value_yuan for x in said}) > 1:
            continue
        ctx.touch(cell, *said)
        a = said[0]
        if amount_iv(cell).meets(amount_iv(a)):
            continue
        d = abs(a.value_yuan - cell.value_yuan)
        ctx.add("repeated_total", "warning" if approx(cell, a) else "error",
                f"自评表“{_label(row).text}”一行{header[j].text}为{cell.text}{cell.unit if not cell.text.endswith(cell.unit) else ''}，"
                f"正文为{a.text}，相差{fmt_amount(d, a, max(a.decimals, cell.decimals))}，请核实。",
                [cell, a], expected="两处金额相同", actual=f"{cell.text} / {a.text}")


_ACTUAL_COL = re.compile(r"实际完成值|实际完成|实际值|完成值|實際完成值|實際值")
_NAME_COL = re.compile(r"三级指标|三級指標|指标名称|指標名稱|绩效指标|績效指標")
_COUNT_SUFFIX = re.compile(r"(?:数量|數量|个数|個數|总数|總數|数|數)$")
_LEAD_IN = re.compile(r"(?:达到|达|为|是|共|共计|：|:)?\s*$")


def _is_row_line(ctx: Ctx, pos: int) -> bool:
    ls, le = ctx.layout.line(pos)
    line = ctx.text[ls:le]
    return "\t" in line or line.count("|") >= 2 or "  " in line.strip() or "\u3000" in line.strip()


def _value(f):
    return f.value_yuan if hasattr(f, "value_yuan") else f.value


def _indicators_vs_prose(ctx: Ctx, header: list[Cell], body: list[list[Cell]]) -> None:
    """An indicator's 实际完成值 in the sheet and the same indicator named in the prose with
    its figure: `受益农户 | ≥8000户 | 8,326户` against `受益农户8,362户`."""
    a = next((j for j, c in enumerate(header) if _ACTUAL_COL.search(c.text)), None)
    n = next((j for j, c in enumerate(header) if _NAME_COL.search(c.text)), None)
    if a is None or n is None:
        return
    facts = [*ctx.counts, *ctx.amounts, *ctx.rates]
    by_span = {(f.start, f.end): f for f in facts}
    prose = [f for f in facts if not f.qualifier and not f.bound and not _is_row_line(ctx, f.start)]  # (once a table)
    for r in body:
        if len(r) != len(header):
            continue
        name = r[n].text.strip()
        cell = by_span.get((r[a].start, r[a].end))
        if cell is None or len(name) < 3 or getattr(cell, "qualifier", None):
            continue
        said = []
        for f in prose:
            if type(f) is not type(cell):
                continue
            if getattr(f, "classifier", None) != getattr(cell, "classifier", None):
                continue
            for nm in (name, _COUNT_SUFFIX.sub("", name)):  # (实施衔接资金项目数 | 146个 … 共实施衔接资金项目164个)
                k = ctx.text.rfind(nm, max(0, f.start - len(nm) - 4), f.start)
                if k >= 0 and _LEAD_IN.fullmatch(ctx.text, k + len(nm), f.start):
                    break
            else:
                continue
            if _OTHER_SCOPE.search(ctx.text, max(0, k - 4), k):
                continue
            said.append(f)
        if not said:
            continue
        if hasattr(cell, "value_yuan"):
            ctx.touch(cell, *said)  # (coverage counts amounts)
        for f in said:
            if _value(f) != _value(cell):
                ctx.add("repeated_total", "error",
                        f"自评表“{name}”一行{header[a].text}为{cell.text}，正文为{f.text}，请核实。",
                        [cell, f], expected="两处数值相同", actual=f"{cell.text} / {f.text}")
                break


def run(ctx: Ctx) -> None:
    t = ctx.text
    if not has_row_marks(t):  # a row has two separators at least
        return
    amounts = {(a.start, a.end): a for a in ctx.amounts}
    carried: list[tuple[Cell, Cell]] = []  # the scored rows of the table above (the sheet's money block)
    carried_end = -1
    sheets = []  # the money blocks with a whole-funds row: one of them is compared with the prose
    for sep, rows in (t for block in _tables(ctx.text) for t in _split_headers(*block)):
        header, body = rows[0], rows[1:]
        width = len(header)
        if header[0].start - carried_end > 400:
            carried = []  # (only a table just above is the same sheet's)
        _score_sheet(ctx, header, body, carried)
        _indicators_vs_prose(ctx, header, body)
        if any(len(r) == width and _WHOLE_ROW.match(_label(r).text.replace(" ", "")) for r in body) \
                and any(p.search(c.text) for p, _ in _PROSE_OF_COLUMN for c in header):
            sheets.append((header, body))
        scored = _scored_rows(header, body)
        if scored:
            carried, carried_end = scored, body[-1][-1].end if body else header[-1].end
        if sep == "  ":
            # runs of spaces swallow empty cells: a short total row (合计  100  89.0) is read
            # when its figures are exactly as many as the columns every full row has figures in
            full = [r for r in body if len(r) == width]
            num_cols = [j for j in range(1, width) if full and all(r[j].value is not None for r in full)
                        and not _RANK.search(header[j].text)]
            if any(len(r) < width and len(r) - 1 < len(num_cols) and _TOTAL.match(r[0].text.replace("\u3000", "")) for r in body):
                # (项目 | 评价金额 | 得分 with 合计  4,590.50: projects' scores are not summed, their money is)
                num_cols = [j for j in num_cols if not _SCORE_COL.search(header[j].text)]
            for i, r in enumerate(body):
                if len(r) < width and _TOTAL.match(r[0].text.replace("\u3000", "")) and len(r) - 1 == len(num_cols):
                    row = [r[0]] + [Cell(text="", start=r[0].end, end=r[0].end) for _ in range(width - 1)]
                    for j, c in zip(num_cols, r[1:]):
                        row[j] = c
                    body[i] = row
        elif sep != "  ":
            # a total row a cell short (合计 | | | | 10,566.00 | 549.60 under seven columns): its
            # figures stand under the last columns, the missing cell among the empty ones
            for i, r in enumerate(body):
                if width - 3 <= len(r) < width and _TOTAL.match(r[0].text.replace("\u3000", "")) \
                        and any(not c.text for c in r[1:]):
                    body[i] = [r[0]] + [Cell(text="", start=r[0].end, end=r[0].end) for _ in range(width - len(r))] + r[1:]
        body = [r for r in body if len(r) == width]
        totals = [r for r in body if _TOTAL.match(r[0].text.replace("\u3000", ""))]
        if not totals and len(body) >= 3 and _WHOLE_ROW.match(_label(body[0]).text.replace(" ", "")) \
                and _label(body[1]).text.startswith("其中"):
            # 年度资金总额 | 12,600.00 … over 其中：中央补助资金 | 8,400.00 …, 省级… , 县级…: the
            # whole first, its parts after it
            totals = [body[0]]
        if len(totals) == 1:
            total = totals[0]
            parts = [r for r in body if r is not total and _label(r).text and not _TOTAL.match(_label(r).text)]
            for j in range(1, width):
                if _NOT_ADDITIVE.search(header[j].text):
                    continue
                cells = [r[j] for r in parts]
                if any(c.value is not None for c in cells):  # a dash among figures is none of it
                    cells = [c for c in cells if not _NONE_CELL.match(c.text)]
                t = total[j]
                if t.value is None or t.pct or len(cells) < 2 or any(c.value is None or c.pct or c.qualifier for c in cells):
                    continue
                s = sum(c.value for c in cells)
                for c in (*cells, t):
                    a = amounts.get((c.start, c.end))
                    if a is not None:
                        ctx.touch(a)
                what = "合计"
                if _SCORE_COL.search(header[j].text) and t.value <= max(c.value for c in cells):
                    # projects' scores: the total row gives their average (85.67 under 92.3, 88.5…)
                    s, what = s / len(cells), "平均"
                if abs(s - t.value) > _half(t):
                    exp = f"{s:,.{t.decimals}f}" if "," in t.text else f"{s:.{t.decimals}f}"  # written as the total is
                    ctx.add("arithmetic.sum", "error",
                            f"表中“{header[j].text}”一栏各行{what}为{exp}，而合计行为{t.text}，请核实。",
                            [*cells, t], expected=exp, actual=t.text)
        # rates row by row
        rcol = next((j for j in range(width) if _RATE_COL.search(header[j].text)), None)
        scol = next((j for j in range(width) if _SPENT_COL.search(header[j].text)), None)
        bcols = [j for j in range(width) if _BUDGET_COL.search(header[j].text) and j != scol]
        bcol = next((j for j in bcols if "全年" in header[j].text or "调整" in header[j].text), bcols[-1] if bcols else None)
        if rcol is None or scol is None or bcol is None:
            continue
        for r in body:
            rc, sc, bc = r[rcol], r[scol], r[bcol]
            if rc.value is None or sc.value is None or bc.value is None or bc.value <= 0 or sc.qualifier or bc.qualifier:
                continue
            frac = sc.value / bc.value
            rate = rc.value / 100 if rc.pct or rc.value > 1 else rc.value
            half = _half(rc) / (100 if rc.pct or rc.value > 1 else 1)
            for c in (sc, bc):
                a = amounts.get((c.start, c.end))
                if a is not None:
                    ctx.touch(a)
            if not Iv(rate - half, rate + half).meets(Iv(frac, frac)):
                exp = fmt_pct(frac, rc.decimals)
                ctx.add("arithmetic.rate", "error",
                        f"表中“{r[0].text}”一行{header[scol].text}{sc.text}占{header[bcol].text}{bc.text}的比例应为{exp}，"
                        f"而{header[rcol].text}为{rc.text}，请核实。",
                        [sc, bc, rc], expected=exp, actual=rc.text)
    if len(sheets) == 1:
        _sheet_vs_prose(ctx, *sheets[0], amounts)
