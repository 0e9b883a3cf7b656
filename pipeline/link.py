"""Facts → metrics: each reported figure tied to the stage of the budget-performance cycle
it reports, with SPEC's vocabulary (ex_ante.*, targets.*, monitoring.*, self_eval.*,
key_eval.*, execution.*).

The stage comes from the clause's cue words (事前/评估, 绩效目标/一上, 监控, 自评, 重点评价/
第三方, 执行率) and, failing those, the enclosing section titles; the role of an amount
from the words just before it (申报, 建议安排/核定, 审减/核减, 收回, 调减, 涉及/评价金额 …).
Bounds and rules never become metrics; items of an itemised list are not metrics (their
total is). A metric stated twice with the same value is one row with two pieces of
evidence; with a different value the first statement stays the metric and, when both
statements are explicit about their role, an `info` finding `metric.conflict` says so
(contradictions between the same subject are `repeated_total`'s job).

Vocabulary extensions (stable names): `ex_ante.investment` (项目总投资),
`ex_ante.declared_amount`, `ex_ante.grade.<级>`, `ex_ante.avg_score`, `ex_ante.cut_rate`,
`targets.amount` (amount under target review), `targets.basic.*` / `targets.project.*`
(基本支出 / 项目支出 sub-totals of a target review), `monitoring.reduced_amount` (调减),
`key_eval.departments_grade.<级>`, `self_eval.departments`.
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Optional

from pipeline.checks import Ctx, _CUT_RATE, _EXEC_RATE, category, span_of
from schemas.models import Finding, Metric, Span, trusted

# Metric(...) / Span(...) without validation: every value below is made in its field's type
# (Decimal value, str unit/name, str-or-None qualifier and section, int offsets, str text)
_metric = trusted(Metric, ("name", "value", "unit", "qualifier", "section", "evidence"))
_span = trusted(Span, ("start", "end", "text"))

_INVEST = re.compile(r"总投资|投资总额")
_BASIC = re.compile(r"基本支出")
_PROJECT = re.compile(r"项目支出")
# "基本支出" in text or "项目支出" in text, in one read: from each 支出 (a literal the engine skips to), looking back
_GROUPS = re.compile(r"支出(?<=基本支出|项目支出)")
_DELTA = re.compile(r"较|比上年|增加|减少|增长|下降")
_LEVELS = {"优", "良", "中", "差"}
_SCORE_IN = re.compile(r"\d+分")

# (stage, role) → metric name
_AMOUNT_NAMES = {
    ("ex_ante", "cut"): "ex_ante.cut_amount",
    ("ex_ante", "declared"): "ex_ante.amount",
    ("ex_ante", "scope"): "ex_ante.amount",
    ("targets", "declared"): "targets.amount_declared",
    ("targets", "approved"): "targets.amount_approved",
    ("targets", "cut"): "targets.cut_amount",
    ("targets", "scope"): "targets.amount",
    ("monitoring", "recovered"): "monitoring.recovered_amount",
    ("monitoring", "reduced"): "monitoring.reduced_amount",
    ("monitoring", "scope"): "monitoring.amount",
    ("monitoring", "approved"): "monitoring.amount",
    ("self_eval", "scope"): "self_eval.amount",
    ("key_eval", "scope"): "key_eval.amount",
    ("execution", "approved"): "execution.budget",
    ("execution", "scope"): "execution.budget",
    ("execution", "spent"): "execution.spent",
    # money taken back or cut while budgets run (发现执行进度缓慢…，收回统筹资金4 820万元) is what
    # monitoring records, whichever of the two the sentence names
    ("execution", "recovered"): "monitoring.recovered_amount",
    ("execution", "reduced"): "monitoring.reduced_amount",
}


_STAGE_LABELS = {
    "ex_ante": "事前绩效评估", "targets": "绩效目标审核", "monitoring": "绩效运行监控",
    "self_eval": "绩效自评", "key_eval": "财政重点评价", "execution": "预算执行",
}
_ROLE_LABELS = {
    "projects": "项目数", "departments": "部门数", "amount": "涉及金额", "cut_amount": "审减金额",
    "amount_declared": "申报金额", "amount_approved": "建议安排金额", "cut_rate": "审减率",
    "recovered_amount": "收回金额", "reduced_amount": "调减金额", "avg_score": "平均得分",
    "budget": "预算数", "spent": "支出数", "rate": "执行率", "investment": "项目总投资",
    "declared_amount": "申报金额", "basic": "基本支出", "project": "项目支出", "grade": "评价等级",
    "departments_grade": "部门评价等级",
}


def metric_label(name: str) -> str:
    """A metric's name as reviewers read it: `targets.cut_amount` -> 绩效目标审核·审减金额."""
    stage, _, rest = name.partition(".")
    parts = [_STAGE_LABELS.get(stage, stage)] + [_ROLE_LABELS.get(p, p) for p in rest.split(".") if p]
    return "·".join(parts)


def _stage_around(ctx: Ctx, f) -> Optional[str]:
    """For counts: the action after the count in its sentence part decides (`选取6个项目开展
    事前评估`), then the words before it, then the section titles."""
    gs, ge = ctx.layout.segments[ctx.layout.segment(f.start)]
    after = ctx.first_cue(f.end, ge)
    if after == "execution":
        # 监控项目856个，预算执行率78.62%: the rate is of the money; what was counted is named
        # in the count's own sentence part, if anywhere
        return ctx.last_cue(gs, f.start) or after
    return after or ctx.stage(f.start) or ctx.last_cue(f.end, ge)


def _group(ctx: Ctx, f) -> Optional[str]:
    """basic / project when 基本支出 / 项目支出 is named before f in its sentence part."""
    gs, _ = ctx.layout.segments[ctx.layout.segment(f.start)]
    if _BASIC.search(ctx.text, gs, f.start):
        return "basic"
    if _PROJECT.search(ctx.text, gs, f.start):
        return "project"
    return None


class _Rows:
    """Metric rows as plain lists while the facts are read; the Metric models are built at
    the end without validation (the values are already of the fields' types)."""

    def __init__(self, ctx: Ctx):
        self.ctx = ctx
        self.rows: dict[str, list] = {}  # name -> [value, unit, qualifier, section, evidence, explicit]
        self.findings: list[Finding] = []

    def value(self, name: str):
        return self.rows[name][0]

    def add(self, name: str, value: Decimal, unit: str, fact, explicit: bool = True) -> None:
        row = self.rows.get(name)
        if row is None:
            # (__dict__: a fact kind without the field would make getattr raise and catch inside pydantic)
            self.rows[name] = [value, unit, fact.__dict__.get("qualifier"), fact.section,
                               [{"start": fact.start, "end": fact.end, "text": fact.text}], explicit]
            return
        if row[0] == value:
            if all(e["start"] != fact.start for e in row[4]):
                row[4].append({"start": fact.start, "end": fact.end, "text": fact.text})
            return
        if explicit and row[5] and unit == "yuan":
            first = Span(**row[4][0])
            self.findings.append(Finding(
                rule="metric.conflict", severity="info",
                message=f"{metric_label(name)}在文中先后为{first.text}和{fact.text}，口径可能不同，请留意。".replace("\n", ""),
                values=[first.text, fact.text], spans=[first, span_of(fact)],
                expected=first.text, actual=fact.text))

    def metrics(self) -> list[Metric]:
        return [_metric({"name": name, "value": v, "unit": u, "qualifier": q, "section": sec,
                         "evidence": [_span(e) for e in ev]})
                for name, (v, u, q, sec, ev, _) in self.rows.items()]


def link(ctx: Ctx) -> tuple[list[Metric], list[Finding]]:
    rows = _Rows(ctx)
    items = {id(p) for _, parts, _ in ctx.lists for p in parts}  # filled by arithmetic when it ran first

    # sub-totals: sentences with several declared/approved/cut groups (worked out only for the
    # few amounts that can be in one, not for every amount of every report naming 项目支出)
    grouped = _GROUPS.search(ctx.text) is not None  # else no amount can be in a group

    execution = {}
    for spent, budget, _ in ctx.execution:
        execution[id(spent)] = "execution.spent"
        execution[id(budget)] = "execution.budget"
    for a in ctx.amounts:
        if id(a) in items:
            continue
        if id(a) in execution:
            rows.add(execution[id(a)], a.value_yuan, "yuan", a)
            continue
        stage, role = ctx.stage_of(a), ctx.role(a)
        w = ctx.window(a)
        if stage == "ex_ante" and _INVEST.search(w):
            rows.add("ex_ante.investment", a.value_yuan, "yuan", a)
            continue
        name = _AMOUNT_NAMES.get((stage, role))
        if name is None:
            continue
        if role == "scope" and a.text[-1:].isdigit():
            continue  # a bare table cell (`年度资金总额  3,200.00  3,586.50…`): its column says what it is, not its row's 资金
        if stage == "targets" and role in ("declared", "approved", "cut") and grouped:
            group = _group(ctx, a)
            if group is not None:
                name = name.replace("targets.", f"targets.{group}.")
        rows.add(name, a.value_yuan, "yuan", a, explicit=role != "scope")

    for r in ctx.rates:
        w = ctx.window(r, 12)
        if _EXEC_RATE.search(w):
            rows.add("execution.rate", r.value, "fraction", r)
        elif _CUT_RATE.search(w):
            stage = ctx.stage(r.start) or "targets"
            name = "targets.cut_rate" if stage != "ex_ante" else "ex_ante.cut_rate"
            if stage == "targets":
                group = _group(ctx, r)
                if group is not None:
                    name = f"targets.{group}.cut_rate"
            rows.add(name, r.value, "fraction", r)

    for c in ctx.counts:
        cat = ctx.count_category(c)
        if cat not in ("项目", "部门"):
            continue
        if ctx.in_grade(c):
            continue
        w = ctx.window(c, 30)
        if _DELTA.search(w[-8:]) or ("分" in w and _SCORE_IN.search(w)):  # a change, or a score band
            continue
        stage = _stage_around(ctx, c)
        if stage is None or stage == "execution":
            continue
        name = f"{stage}.{'projects' if cat == '项目' else 'departments'}"
        if name not in rows.rows:
            rows.add(name, Decimal(c.value), "count", c)
        elif rows.value(name) == c.value:
            rows.add(name, Decimal(c.value), "count", c)

    for g in ctx.grades:
        if g.count is None or g.level not in _LEVELS:
            continue
        stage = _stage_around(ctx, g) or "key_eval"
        cat = category(g.subject) or "项目"
        prefix = f"{stage}.grade" if cat != "部门" else f"{stage}.departments_grade"
        rows.add(f"{prefix}.{g.level}", Decimal(g.count), "count", g)

    for s in ctx.scores:
        if s.kind != "average":
            continue
        stage = _stage_around(ctx, s) or ctx.stage(s.start)
        if stage:
            rows.add(f"{stage}.avg_score", s.value, "score", s)

    return rows.metrics(), rows.findings
