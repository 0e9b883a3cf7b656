"""The two page kinds of the review site: one page per document, and the index.

Pure functions from (text, ExtractRecord) to HTML strings; `pipeline.report.build_site`
writes them. All document-derived strings are escaped with `esc`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Optional

from pipeline.report.markup import Anchor, Mark, attrs_html, esc, render
from schemas import ExtractRecord

# Content-Security-Policy: only our own bundled script and stylesheet run; no inline
# script, no network. A second line of defence behind the escaping.
CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'"

KINDS = [  # (record field, css kind, Chinese label)
    ("amounts", "amount", "金额"),
    ("rates", "rate", "比率"),
    ("counts", "count", "数量"),
    ("doc_numbers", "doc_number", "文号"),
    ("grades", "grade", "等级"),
    ("scores", "score", "得分"),
    ("dates", "date", "日期"),
]
SEVERITIES = [("error", "错误"), ("warning", "警告"), ("info", "提示")]
SEV_LABEL = dict(SEVERITIES)
QUALIFIER = {"about": "约数（约、近、左右）", "over": "以上（余、多、超过）", "under": "以下（不足、不到）",
             "at_least": "不低于", "at_most": "不超过"}
RULES = {
    "arithmetic.difference": "差额不符",
    "arithmetic.rate": "比率不符",
    "arithmetic.sum": "合计不符",
    "repeated_total": "同一总额前后不一",
    "enumeration_count": "列举数目不符",
    "doc_number.conflict": "文号冲突",
    "grade_score": "等级与得分矛盾",
}
METRICS = {  # SPEC's vocabulary, in the order of the budget cycle
    "ex_ante.projects": "事前绩效评估 项目数",
    "ex_ante.amount": "事前绩效评估 金额",
    "ex_ante.cut_amount": "事前绩效评估 核减金额",
    "targets.projects": "绩效目标审核 项目数",
    "targets.departments": "绩效目标审核 部门数",
    "targets.amount_declared": "绩效目标审核 申报金额",
    "targets.amount_approved": "绩效目标审核 核定金额",
    "targets.cut_amount": "绩效目标审核 审减金额",
    "targets.cut_rate": "绩效目标审核 审减率",
    "monitoring.projects": "绩效运行监控 项目数",
    "monitoring.amount": "绩效运行监控 金额",
    "monitoring.recovered_amount": "绩效运行监控 收回金额",
    "self_eval.projects": "绩效自评 项目数",
    "self_eval.amount": "绩效自评 金额",
    "key_eval.projects": "财政重点评价 项目数",
    "key_eval.departments": "财政重点评价 部门数",
    "key_eval.amount": "财政重点评价 金额",
    "key_eval.grade.优": "重点评价 等级为优",
    "key_eval.grade.良": "重点评价 等级为良",
    "key_eval.grade.中": "重点评价 等级为中",
    "key_eval.grade.差": "重点评价 等级为差",
    "key_eval.avg_score": "财政重点评价 平均得分",
    "execution.budget": "预算执行 预算数",
    "execution.spent": "预算执行 支出数",
    "execution.rate": "预算执行 执行率",
}
STAGES = {"ex_ante": "事前绩效评估", "targets": "绩效目标审核", "monitoring": "绩效运行监控",
          "self_eval": "绩效自评", "key_eval": "财政重点评价", "execution": "预算执行"}
PARTS = {"projects": "项目数", "departments": "部门数", "amount": "金额", "amount_declared": "申报金额",
         "amount_approved": "核定金额", "cut_amount": "审减金额", "cut_rate": "审减率", "recovered_amount": "收回金额",
         "avg_score": "平均得分", "budget": "预算数", "spent": "支出数", "rate": "执行率", "project": "项目支出",
         "basic": "基本支出", "department": "部门整体", "grade": "等级", "units": "单位数", "score": "得分"}
GRADES = ["优", "良", "中", "差"]


def metric_label(name: str) -> str:
    """Chinese gloss of a metric name: SPEC's table, else composed from its parts
    (`targets.project.amount_declared` -> 绩效目标审核 项目支出 申报金额)."""
    if name in METRICS:
        return METRICS[name]
    parts = name.split(".")
    if parts[0] not in STAGES:
        return ""
    return " ".join([STAGES[parts[0]]] + [PARTS.get(p, p) for p in parts[1:]])
# the comparison table on the index: metrics a researcher compares first
KEY_METRICS = [
    "targets.amount_declared", "targets.cut_amount", "targets.cut_rate", "ex_ante.cut_amount",
    "key_eval.projects", "key_eval.amount", "key_eval.avg_score", "self_eval.projects", "execution.rate",
]


# --------------------------------------------------------------------------- numbers


def plain(d: Decimal | int | str) -> str:
    """A decimal without exponent or trailing zeros: 52913900.00 -> 52913900, 0.0200 -> 0.02."""
    d = Decimal(d)
    if d == d.to_integral_value():
        return format(d.quantize(Decimal(1)), "f")
    return format(d.normalize(), "f")


def grouped(d: Decimal | int) -> str:
    """Thousands separators, exact decimals: 13568900 -> 13,568,900."""
    s = plain(d)
    neg = s.startswith("-")
    s = s.lstrip("-")
    whole, _, frac = s.partition(".")
    whole = f"{int(whole):,}"
    return ("-" if neg else "") + whole + ("." + frac if frac else "")


def wan(d: Decimal) -> str:
    """元 -> 万元, two decimals at most (for charts and tables): 13568900 -> 1,356.89 万元."""
    q = (Decimal(d) / 10000).quantize(Decimal("0.01"))
    if q == q.to_integral_value():
        return grouped(q) + " 万元"
    return f"{q:,f}" + " 万元"  # two decimals throughout a column: 34,556.40, not 34,556.4


def percent(d: Decimal) -> str:
    return plain(Decimal(d) * 100) + "%"


def metric_value(name: str, value: Decimal, unit: str) -> str:
    if unit == "yuan":
        return wan(value)
    if unit == "fraction":
        return percent(value)
    if unit == "count":
        return plain(value)
    return plain(value) + (" 分" if unit == "score" else "")


def metric_sort(value: Decimal) -> str:
    return plain(value)


# --------------------------------------------------------------------------- facts


def fact_value(kind: str, f) -> tuple[str, list[tuple[str, str]]]:
    """(the parsed value in one line, extra label/value rows for the popover)."""
    extra: list[tuple[str, str]] = []
    if kind == "amount":
        v = f"{grouped(f.value_yuan)} 元"
        if abs(f.value_yuan) >= 10000 and f.unit not in ("万元", "万"):
            extra.append(("折合", wan(f.value_yuan)))
        extra.append(("单位", f.unit))
        if f.low is not None or f.high is not None:
            extra.append(("区间", f"{grouped(f.low) if f.low is not None else '…'} – {grouped(f.high) if f.high is not None else '…'} 元"))
        return v, extra
    if kind == "rate":
        if f.low is not None or f.high is not None:
            extra.append(("区间", f"{percent(f.low) if f.low is not None else '…'} – {percent(f.high) if f.high is not None else '…'}"))
        return f"{percent(f.value)}（{plain(f.value)}）", extra
    if kind == "count":
        if f.subject:
            extra.append(("对象", f.subject))
        return f"{f.value} {f.classifier}", extra
    if kind == "doc_number":
        extra += [("发文机关代字", f.issuer), ("年份", str(f.year)), ("序号", "、".join(map(str, f.serials)))]
        if f.title:
            extra.append(("文件标题", f"《{f.title}》"))
        if f.repaired:
            extra.append(("注意", "原文文号残缺，此为修复后的写法"))
        return f.canonical, extra
    if kind == "grade":
        if f.subject:
            extra.append(("对象", f.subject))
        return f.level + (f" × {f.count}" if f.count is not None else ""), extra
    if kind == "score":
        return f"{plain(f.value)} 分（{'平均分' if f.kind == 'average' else '单项得分'}）", extra
    if kind == "date":
        span = f.iso + (f" 至 {f.iso_end}" if f.iso_end else "")
        return span, [("精度", {"day": "日", "month": "月", "year": "年"}.get(f.precision, f.precision))]
    return f.text, extra


def _locate(text: str, start: int, end: int, want: str) -> Optional[tuple[int, int]]:
    """Where an evidence span really is: its own offsets when they hold, else the nearest
    occurrence of its text (offsets from an older text version), else None."""
    if 0 <= start <= end <= len(text) and text[start:end] == want:
        return start, end
    if not want:
        return None
    best = None
    for m in re.finditer(re.escape(want), text):
        d = abs(m.start() - start)
        if best is None or d < best[0]:
            best = (d, m.start())
    return (best[1], best[1] + len(want)) if best else None


# --------------------------------------------------------------------------- summaries


@dataclass
class DocSummary:
    href: str  # relative to the index
    title: str
    source: str
    jurisdiction: Optional[str]
    province: Optional[str]
    fiscal_year: Optional[int]
    format: str
    facts: int
    severities: dict[str, int]
    error: Optional[str]
    label: str = ""
    metrics: dict[str, tuple[Decimal, str]] = field(default_factory=dict)  # name -> (value, unit)
    doc_id: str = ""


def title_for(r: ExtractRecord, text: str = "") -> str:
    """The record's title; else the document's first non-blank line (reports open with
    their title); else the file name."""
    if r.title:
        return r.title
    for line in text.splitlines()[:5]:
        line = line.strip()
        if line:
            return line if len(line) <= 60 else line[:59] + "…"
    return PurePosixPath(r.source.replace("\\", "/")).name


def label_for(r: ExtractRecord) -> str:
    name = r.jurisdiction or r.title or PurePosixPath(r.source.replace("\\", "/")).stem
    return f"{name} {r.fiscal_year}" if r.fiscal_year else name


def summarise(r: ExtractRecord, href: str, text: str = "") -> DocSummary:
    sev = {k: 0 for k, _ in SEVERITIES}
    for f in r.findings:
        sev[f.severity] = sev.get(f.severity, 0) + 1
    metrics: dict[str, tuple[Decimal, str]] = {}
    for m in r.metrics:
        metrics.setdefault(m.name, (m.value, m.unit))  # the first statement of a metric
    return DocSummary(
        href=href,
        title=title_for(r, text),
        source=r.source,
        jurisdiction=r.jurisdiction,
        province=r.province,
        fiscal_year=r.fiscal_year,
        format=r.format,
        facts=sum(len(getattr(r, k)) for k, _, _ in KINDS),
        severities=sev,
        error=r.error.code if r.error else None,
        metrics=metrics,
        doc_id=r.doc_id,
    )


# --------------------------------------------------------------------------- page shell


def page(title: str, body: str, *, root: str, body_class: str) -> str:
    return (
        "<!doctype html>\n"
        '<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{esc(title)}</title>"
        f'<link rel="stylesheet" href="{root}assets/report.css">'
        f'</head><body class="{body_class}">{body}'
        f'<script src="{root}assets/report.js"></script></body></html>\n'
    )


# --------------------------------------------------------------------------- document page


def document_page(text: str, r: ExtractRecord, *, generated: str = "") -> str:
    sections = [s for s in r.sections if 0 <= s.start <= len(text)]
    sec_names = {s.path: f"{s.label} {s.title}".strip() for s in sections}

    def sec_label(path: Optional[str]) -> str:
        if not path:
            return ""
        parts = path.split("/")
        names = [sec_names.get("/".join(parts[: i + 1]), parts[i]) for i in range(len(parts))]
        return " › ".join(names)

    # metrics by the span of the fact they came from
    metric_at: dict[tuple[int, int], list[str]] = {}
    for m in r.metrics:
        for sp in m.evidence:
            metric_at.setdefault((sp.start, sp.end), []).append(m.name)

    marks: list[Mark] = []
    anchors: list[Anchor] = []
    for i, s in enumerate(sections):
        anchors.append(Anchor(s.start, f'<span class="anchor" id="s-{i}"></span>'))
        nl = text.find("\n", s.start)
        hend = len(text) if nl < 0 else nl
        if hend - s.start > 40:
            # a numbered paragraph ("1、指导园区……。正文……") rather than a heading line: bold its
            # first sentence when it is short, else only the label
            stop = re.compile(r"[。；;：:]").search(text, s.start, s.start + 41)
            hend = stop.end() if stop else s.start + len(s.label)
        marks.append(Mark(s.start, hend, "span", {"class": f"hd lv{min(s.level, 4)}"}, order=0))

    counts: dict[str, int] = {}
    n = 0
    for field_name, kind, label in KINDS:
        for f in getattr(r, field_name):
            if not (0 <= f.start < f.end <= len(text)):
                continue
            n += 1
            counts[kind] = counts.get(kind, 0) + 1
            value, extra = fact_value(kind, f)
            names = metric_at.get((f.start, f.end), [])
            a = {
                "class": f"fact k-{kind}" + (" bound" if getattr(f, "bound", False) else ""),
                "tabindex": "0",
                "data-kind": label,
                "data-val": value,
                "data-extra": "\n".join(f"{k}\t{v}" for k, v in extra) or None,
                "data-q": QUALIFIER.get(getattr(f, "qualifier", None) or "", None),
                "data-bound": "是（阈值或规则，不是报告的数字）" if getattr(f, "bound", False) else None,
                "data-metric": "\n".join(f"{nm}\t{metric_label(nm)}" for nm in names) or None,
                "data-sec": sec_label(f.section) or None,
            }
            marks.append(Mark(f.start, f.end, "mark", a, id=f"x{n}", order=30))

    # findings: errors first; each evidence span is an element with an id to scroll to
    order = {k: i for i, (k, _) in enumerate(SEVERITIES)}
    findings = sorted(enumerate(r.findings), key=lambda t: (order.get(t[1].severity, 9), t[0]))
    cards = []
    for fi, (_, f) in enumerate(findings):
        links = []
        for j, sp in enumerate(f.spans):
            where = _locate(text, sp.start, sp.end, sp.text)
            eid = f"f{fi}-e{j}"
            if where is None:
                links.append(f'<span class="evlink missing" title="原文中找不到这段证据">{esc(sp.text)}</span>')
                continue
            marks.append(Mark(where[0], where[1], "span",
                              {"class": f"ev sev-{esc(f.severity)}", "data-f": f"f{fi}"}, id=eid, order=10))
            links.append(f'<a class="evlink" href="#{eid}" data-target="{eid}">{esc(sp.text)}</a>')
        ea = ""
        if f.expected or f.actual or f.suspect:
            rows = [("应为", f.expected), ("文中", f.actual), ("可疑", f.suspect)]
            ea = '<dl class="ea">' + "".join(f"<dt>{k}</dt><dd>{esc(v)}</dd>" for k, v in rows if v) + "</dl>"
        first = f' href="#f{fi}-e0" data-target="f{fi}-e0"' if links and "missing" not in links[0] else ""
        cards.append(
            f'<li class="finding sev-{esc(f.severity)}" id="f{fi}" data-rule="{esc(f.rule)}">'
            f'<div class="fhead"><span class="badge sev-{esc(f.severity)}">{esc(SEV_LABEL.get(f.severity, f.severity))}</span>'
            f'<span class="rule">{esc(RULES.get(f.rule, ""))}</span> <code>{esc(f.rule)}</code></div>'
            f'<a class="msg"{first}>{esc(f.message)}</a>{ea}'
            f'<div class="evidence"><span class="evlabel">证据</span>{"".join(links) or "<em>无</em>"}</div></li>'
        )

    # metric evidence targets
    mrows = []
    for mi, m in enumerate(r.metrics):
        links = []
        for j, sp in enumerate(m.evidence):
            where = _locate(text, sp.start, sp.end, sp.text)
            if where is None:
                links.append(f"<span>{esc(sp.text)}</span>")
                continue
            mid = f"m{mi}-e{j}"
            marks.append(Mark(where[0], where[1], "span", {"class": "mev"}, id=mid, order=20))
            links.append(f'<a class="evlink" href="#{mid}" data-target="{mid}">{esc(sp.text)}</a>')
        mrows.append(
            f'<tr><td><code>{esc(m.name)}</code></td><td>{esc(metric_label(m.name))}</td>'
            f'<td class="num">{esc(metric_value(m.name, m.value, m.unit))}</td>'
            f'<td>{esc(QUALIFIER.get(m.qualifier or "", ""))}</td><td>{"".join(links)}</td></tr>'
        )

    body_text = render(text, marks, anchors)
    title = title_for(r, text)

    meta = [
        ("辖区", r.jurisdiction), ("省份", r.province), ("地市", r.prefecture),
        ("年度", r.fiscal_year), ("格式", r.format),
    ]
    meta_html = "".join(f'<span><b>{k}</b> {esc(v)}</span>' for k, v in meta if v not in (None, ""))
    meta_html += f'<span class="src" title="{esc(r.doc_id)}"><b>文件</b> {esc(r.source)}</span>'

    notes = []
    if r.error:
        notes.append(f'<p class="note bad">无法读取：{esc(r.error.message)}（{esc(r.error.code)}）</p>')
    if r.pages_unreliable:
        notes.append(f'<p class="note">第 {esc("、".join(map(str, r.pages_unreliable)))} 页的文字层不可靠，数字可能有误。</p>')
    for w in r.warnings:
        notes.append(f'<p class="note">{esc(w)}</p>')

    cov = r.coverage
    cov_html = ""
    if cov.amounts_reported:
        cov_html = (f'<p class="coverage">核对覆盖：{cov.amounts_checked} / {cov.amounts_reported} 个报告金额参与了至少一项检查。</p>')

    sev_counts = {k: sum(1 for f in r.findings if f.severity == k) for k, _ in SEVERITIES}
    summary = "，".join(f"{lab} {sev_counts[k]}" for k, lab in SEVERITIES if sev_counts[k])
    if cards:
        findings_html = (f'<section class="findings" aria-label="发现的问题"><h2>发现的问题 <small>{esc(summary)}</small></h2>'
                         f'<ol>{"".join(cards)}</ol>{cov_html}</section>')
    else:
        findings_html = ('<section class="findings none"><h2>发现的问题</h2>'
                         f'<p>自洽性检查没有发现前后矛盾之处。</p>{cov_html}</section>')

    metrics_html = ""
    if mrows:
        metrics_html = (f'<details class="metrics"><summary>指标（{len(mrows)}）</summary><table class="mtable">'
                        "<thead><tr><th>指标</th><th>含义</th><th>值</th><th>限定</th><th>依据</th></tr></thead>"
                        f'<tbody>{"".join(mrows)}</tbody></table></details>')

    legend = "".join(
        f'<label class="lg"><input type="checkbox" checked data-kind="{kind}">'
        f'<span class="sw k-{kind}">{label}</span><span class="n">{counts.get(kind, 0)}</span></label>'
        for _, kind, label in KINDS
    )
    legend_html = (f'<div class="legend" role="group" aria-label="图例"><span class="lgt">高亮（{n} 个事实）</span>{legend}'
                   '<span class="lg"><span class="sw bound-sw">虚线</span>阈值/规则</span>'
                   '<span class="hint">悬停或点击高亮查看解析结果</span></div>')

    nav_items = "".join(
        f'<li class="lv{min(s.level, 4)}"><a href="#s-{i}" title="{esc(s.label + " " + s.title)}">'
        f'<span class="sl">{esc(s.label)}</span>{esc(s.title)}</a></li>'
        for i, s in enumerate(sections)
    )
    nav = (f'<nav class="outline" aria-label="目录"><h2>目录</h2><ol>{nav_items}</ol></nav>' if nav_items
           else '<nav class="outline empty" aria-label="目录"><h2>目录</h2><p>未识别出章节结构。</p></nav>')

    body = (
        '<header class="top"><a class="back" href="../index.html">← 全部文档</a>'
        f'<h1>{esc(title)}</h1><div class="meta">{meta_html}</div></header>'
        f'<div class="layout">{nav}<main>{findings_html}{"".join(notes)}{metrics_html}{legend_html}'
        f'<article class="doctext" id="text" lang="zh-CN">{body_text}</article>'
        f'<footer>生成于 {esc(generated)} · 流水线版本 {esc(r.pipeline_version)} · doc_id {esc(r.doc_id)}</footer>'
        '</main></div><div id="pop" class="pop" role="tooltip" hidden></div>'
    )
    return page(f"{title} · 绩效报告审阅", body, root="../", body_class="docpage")


# --------------------------------------------------------------------------- index page


def _num_td(v, shown: Optional[str] = None, cls: str = "num") -> str:
    if v is None:
        return f'<td class="{cls} na" data-sort="">—</td>'
    return f'<td class="{cls}" data-sort="{esc(v)}">{esc(shown if shown is not None else v)}</td>'


@dataclass
class CrossGroup:
    """Findings across documents (from the store), grouped by rule and set of documents."""

    rule: str
    severity: str
    doc_ids: list[str]
    count: int
    example: str


CROSS_RULES = {"cross.jurisdiction_year": "同一辖区年度的多份报告数值不同", "cross.doc_number_title": "同一文号在不同报告中标题不同"}


def cross_section(groups: list[CrossGroup], total: int, docs: list[DocSummary]) -> str:
    if not groups:
        return ""
    by_id = {d.doc_id: d for d in docs}
    rows = []
    for g in groups:
        links = "、".join(
            f'<a href="{esc(by_id[i].href)}">{esc(by_id[i].label or by_id[i].title)}</a>' if i in by_id else esc(i[:12])
            for i in g.doc_ids
        )
        rows.append(
            f'<tr><td data-sort="{esc(g.rule)}"><span class="badge sev-{esc(g.severity)}">{esc(SEV_LABEL.get(g.severity, g.severity))}</span> '
            f'{esc(CROSS_RULES.get(g.rule, ""))} <code>{esc(g.rule)}</code></td><td>{links}</td>'
            f'<td class="num" data-sort="{g.count}">{g.count}</td><td class="ex">{esc(g.example)}</td></tr>'
        )
    shown = sum(g.count for g in groups)
    more = f"（显示涉及问题最多的 {len(groups)} 组，共 {total} 条）" if shown < total else f"（共 {total} 条）"
    return (f'<section class="cross"><h2>跨文档问题 <small>{esc(more)}</small></h2>'
            '<p class="sub">只有把多份报告放在一起才能发现的矛盾：同一辖区同一年度的两份报告数字不同，或同一文号在不同报告中对应不同标题。</p>'
            '<div class="tablewrap"><table class="sortable"><thead><tr>'
            '<th data-type="str" aria-sort="none"><button type="button">规则</button></th>'
            '<th data-type="str" aria-sort="none"><button type="button">涉及文档</button></th>'
            '<th data-type="num" aria-sort="none"><button type="button">条数</button></th>'
            '<th data-type="str" aria-sort="none"><button type="button">示例</button></th>'
            f'</tr></thead><tbody>{"".join(rows)}</tbody></table></div></section>')


def index_page(docs: list[DocSummary], *, generated: str = "", cross: tuple[list[CrossGroup], int] = ([], 0)) -> str:
    from pipeline.report import charts

    # unique chart labels (the same jurisdiction and year can come in twice)
    seen: dict[str, int] = {}
    for d in docs:
        base = d.label or d.title
        seen[base] = seen.get(base, 0) + 1
        d.label = base if seen[base] == 1 else f"{base}（{seen[base]}）"

    def metric_rows(name: str):
        have = [(d.label, d.metrics[name][0], d.href) for d in docs if name in d.metrics]
        have.sort(key=lambda t: -t[1])
        return have

    def missing(name: str) -> str:
        miss = [d.label for d in docs if name not in d.metrics and not d.error]
        if not miss:
            return ""
        shown = "、".join(miss[:12]) + (f" 等 {len(miss)} 份" if len(miss) > 12 else "")
        return f'<p class="miss">未报告此项：{esc(shown)}</p>'

    def figure(title: str, metric: str, svg: str, note: str, n: int) -> str:
        more = f"（显示前 {charts.MAX_ROWS} 个，共 {n} 个）" if n > charts.MAX_ROWS else ""
        return (f'<figure class="card"><figcaption><h3>{esc(title)}</h3><code>{esc(metric)}</code>'
                f"{esc(more)}</figcaption>{svg}{note}</figure>")

    def empty(title: str, metric: str) -> str:
        return (f'<figure class="card empty"><figcaption><h3>{esc(title)}</h3><code>{esc(metric)}</code></figcaption>'
                f'<p class="nodata">本批报告中还没有抽取到这项指标。</p></figure>')

    figs = []
    rows = metric_rows("targets.cut_rate")
    figs.append(figure("绩效目标审核 审减率", "targets.cut_rate",
                       charts.bar_chart(rows, percent, title="绩效目标审核审减率", css="bar c1"), missing("targets.cut_rate"), len(rows))
                if rows else empty("绩效目标审核 审减率", "targets.cut_rate"))
    rows = metric_rows("key_eval.amount")
    figs.append(figure("财政重点评价 金额（万元）", "key_eval.amount",
                       charts.bar_chart(rows, wan, title="财政重点评价金额（万元）", css="bar c2",
                                        tick_fmt=lambda v: grouped((v / 10000).quantize(Decimal("0.01")))), missing("key_eval.amount"), len(rows))
                if rows else empty("财政重点评价 金额", "key_eval.amount"))
    grade_rows = []
    for d in docs:
        cs = [int(d.metrics[f"key_eval.grade.{g}"][0]) if f"key_eval.grade.{g}" in d.metrics else 0 for g in GRADES]
        if any(cs):
            grade_rows.append((d.label, cs, d.href))
    grade_rows.sort(key=lambda t: -sum(t[1]))
    figs.append(figure("财政重点评价 等级分布", "key_eval.grade.优 / 良 / 中 / 差",
                       charts.stacked_chart(grade_rows, [(g, f"g-{i}") for i, g in enumerate(GRADES)], title="重点评价等级分布"),
                       "", len(grade_rows))
                if grade_rows else empty("财政重点评价 等级分布", "key_eval.grade.优 / 良 / 中 / 差"))

    provinces = sorted({d.province for d in docs if d.province})
    years = sorted({d.fiscal_year for d in docs if d.fiscal_year})
    trs = []
    for d in docs:
        sev = d.severities
        flags = " ".join([k for k, _ in SEVERITIES if sev.get(k)] + (["readerr"] if d.error else []))
        status = (f'<span class="badge sev-error" title="无法读取">{esc(d.error)}</span>' if d.error else "")
        trs.append(
            f'<tr{attrs_html({"data-province": d.province or "", "data-year": d.fiscal_year or "", "data-flags": flags})}>'
            f'<td class="doc" data-sort="{esc(d.title)}"><a href="{esc(d.href)}">{esc(d.title)}</a>{status}'
            f'<div class="srcname">{esc(PurePosixPath(d.source.replace(chr(92), "/")).name)}</div></td>'
            f'<td data-sort="{esc(d.jurisdiction or "")}">{esc(d.jurisdiction or "—")}</td>'
            f'<td data-sort="{esc(d.province or "")}">{esc(d.province or "—")}</td>'
            + _num_td(d.fiscal_year)
            + f'<td data-sort="{esc(d.format)}"><span class="fmt">{esc(d.format)}</span></td>'
            + _num_td(d.facts)
            + "".join(
                f'<td class="num sevcell{" hot-" + k if sev.get(k) else ""}" data-sort="{sev.get(k, 0)}">{sev.get(k, 0) or "·"}</td>'
                for k, _ in SEVERITIES
            )
            + "</tr>"
        )
    heads = [("文档", "str"), ("辖区", "str"), ("省份", "str"), ("年度", "num"), ("格式", "str"), ("事实", "num"),
             ("错误", "num"), ("警告", "num"), ("提示", "num")]
    thead = "".join(f'<th data-type="{t}" aria-sort="none"><button type="button">{h}</button></th>' for h, t in heads)

    # comparison table: key metrics that at least one document reports
    present = [m for m in KEY_METRICS if any(m in d.metrics for d in docs)]
    comp = ""
    if present:
        ctrs = []
        for d in docs:
            if not any(m in d.metrics for m in present):
                continue
            cells = []
            for m in present:
                if m in d.metrics:
                    v, u = d.metrics[m]
                    cells.append(_num_td(metric_sort(v), metric_value(m, v, u)))
                else:
                    cells.append(_num_td(None))
            ctrs.append(f'<tr><td class="doc" data-sort="{esc(d.label)}"><a href="{esc(d.href)}">{esc(d.label)}</a></td>{"".join(cells)}</tr>')
        cth = '<th data-type="str" aria-sort="none"><button type="button">辖区 年度</button></th>' + "".join(
            f'<th data-type="num" aria-sort="none" title="{esc(m)}"><button type="button">{esc(metric_label(m) or m)}</button></th>'
            for m in present
        )
        comp = (f'<section class="compare"><h2>关键指标对比</h2><p class="sub">每份报告首次陈述的数值；点击表头排序，点击辖区查看原文依据。</p>'
                f'<div class="tablewrap"><table class="sortable"><thead><tr>{cth}</tr></thead><tbody>{"".join(ctrs)}</tbody></table></div></section>')

    tot_facts = sum(d.facts for d in docs)
    tot = {k: sum(d.severities.get(k, 0) for d in docs) for k, _ in SEVERITIES}
    n_err_docs = sum(1 for d in docs if d.severities.get("error"))
    unread = sum(1 for d in docs if d.error)
    stats = [
        ("文档", len(docs), ""), ("事实", tot_facts, ""), ("错误", tot["error"], "sev-error"),
        ("警告", tot["warning"], "sev-warning"), ("含错误的文档", n_err_docs, ""),
    ] + ([("无法读取", unread, "sev-error")] if unread else [])
    stats_html = "".join(f'<div class="stat {c}"><b>{v}</b><span>{k}</span></div>' for k, v, c in stats)

    opt = lambda vals: "".join(f'<option value="{esc(v)}">{esc(v)}</option>' for v in vals)  # noqa: E731
    filters = (
        '<div class="filters" role="search">'
        '<input type="search" id="q" placeholder="筛选：文档名、辖区、省份…" aria-label="筛选">'
        f'<select id="fprov" aria-label="省份"><option value="">全部省份</option>{opt(provinces)}</select>'
        f'<select id="fyear" aria-label="年度"><option value="">全部年度</option>{opt(years)}</select>'
        '<select id="fflag" aria-label="问题"><option value="">全部文档</option><option value="error">有错误</option>'
        '<option value="any">有错误或警告</option><option value="clean">无问题</option><option value="readerr">无法读取</option></select>'
        '<span id="shown" class="shown" aria-live="polite"></span></div>'
    )
    body = (
        '<header class="top"><h1>预算绩效管理报告 · 审阅</h1>'
        '<p class="sub">每份报告抽取的金额、比率、数量、文号等事实及其自洽性检查结果。</p>'
        f'<div class="stats">{stats_html}</div></header>'
        '<main class="index">'
        f'<section class="docs"><h2>文档</h2>{filters}<div class="tablewrap"><table class="sortable" id="docs">'
        f'<thead><tr>{thead}</tr></thead><tbody>{"".join(trs)}</tbody></table></div></section>'
        f'<section class="charts"><h2>跨辖区比较</h2><div class="cards">{"".join(figs)}</div></section>'
        f"{cross_section(cross[0], cross[1], docs)}{comp}"
        f"<footer>生成于 {esc(generated)} · 所有内容均为本地静态文件，无需联网。</footer></main>"
    )
    return page("预算绩效管理报告 · 审阅", body, root="", body_class="indexpage")
