"""Metrics: facts tied to their budget-cycle stage with SPEC's vocabulary."""
from __future__ import annotations

from decimal import Decimal as D

import gold_facts
from pipeline.read import read
from pipeline.run import extract_document
from schemas import Document


def _metrics(text: str) -> dict:
    rec = extract_document(Document(source="t.txt", doc_id="t", format="txt", text=text))
    return {m.name: m for m in rec.metrics}


def test_target_review_sub_totals_and_total():
    rec = extract_document(read(gold_facts.CORPUS / "000_cc7d55e875232053.txt"))
    m = {x.name: x for x in rec.metrics}
    assert m["targets.basic.amount_declared"].value == D("667872100")
    assert m["targets.basic.cut_amount"].value == D("13568900")
    assert m["targets.project.amount_approved"].value == D("4363166200")
    assert m["targets.project.cut_rate"].value == D("0.24")
    assert m["targets.cut_amount"].value == D("1391410000")  # 139,141万元, stated in 三/（三）
    assert m["targets.cut_rate"].value == D("0.22")
    assert m["ex_ante.cut_amount"].value == D("14680000")  # 1,468万元: ex-ante, not the targets' cut
    assert m["ex_ante.projects"].value == 6 and m["ex_ante.avg_score"].value == D("87")
    assert m["key_eval.projects"].value == 19 and m["key_eval.departments"].value == 2
    assert m["key_eval.amount"].value == D("490000000")
    assert len(m["key_eval.amount"].evidence) == 2  # stated twice with the same value: one row
    assert m["key_eval.grade.良"].value == 16 and m["key_eval.departments_grade.中"].value == 1
    assert m["key_eval.avg_score"].value == D("83.47")
    assert m["monitoring.recovered_amount"].value == D("25440000")
    assert m["monitoring.reduced_amount"].value == D("19300000")
    for x in rec.metrics:  # every metric keeps the fact(s) it came from
        assert x.evidence and all(e.text for e in x.evidence)


def test_bounds_never_become_metrics():
    m = _metrics("对超500万元的项目开展事前绩效评估，评估项目12个，涉及资金3,600万元。")
    assert m["ex_ante.amount"].value == D("36000000")
    assert all(e.text != "超500万元" for x in m.values() for e in x.evidence)


def test_execution_triplet():
    m = _metrics("年初预算批复金额为106705万元，1-8月预算执行金额为63854万元，预算执行率为59.84%。")
    assert m["execution.budget"].value == D("1067050000")
    assert m["execution.spent"].value == D("638540000")
    assert m["execution.rate"].value == D("0.5984")


def test_stage_from_the_clause_not_the_quoted_names():
    # “…能力评估…” inside a project name must not make the figure an ex-ante one
    m = _metrics("选取“老年人能力评估”“居家养老服务”2个项目开展财政重点评价，涉及资金312万元。")
    assert m["key_eval.amount"].value == D("3120000") and "ex_ante.amount" not in m
    assert m["key_eval.projects"].value == 2


def test_self_evaluation_and_monitoring():
    m = _metrics("组织对895个项目支出开展了绩效自评，涉及财政资金20.56亿元。"
                 "对1081个项目开展绩效监控，监控项目资金22.90亿元。")
    assert m["self_eval.amount"].value == D("2056000000") and m["self_eval.projects"].value == 895
    assert m["monitoring.amount"].value == D("2290000000") and m["monitoring.projects"].value == 1081


def test_itemised_parts_are_not_metrics():
    m = _metrics("对预算项目开展事前绩效评估，涉及项目3个，项目资金1,000万元，具体为道路维修200万元、校舍改造300万元、农田水利500万元。")
    assert m["ex_ante.amount"].value == D("10000000")
    assert len(m["ex_ante.amount"].evidence) == 1


def test_different_values_for_one_metric_keep_the_first_and_say_so():
    rec = extract_document(Document(source="t.txt", doc_id="t", format="txt",
                                    text="通过事前绩效评估，审减预算资金1,468万元。全年事前评估另核减项目资金300万元。"))
    m = {x.name: x for x in rec.metrics}
    assert m["ex_ante.cut_amount"].value == D("14680000")
    assert [f.rule for f in rec.findings if f.severity == "info"] == ["metric.conflict"]
    assert not [f for f in rec.findings if f.severity in ("error", "warning")]


def test_an_execution_rate_after_a_count_does_not_hide_what_was_counted():
    # the rate is of the money; the count's own words say it counts monitored projects
    m = _metrics("三、绩效运行监控情况\n截至2023年9月30日，监控项目856个，预算执行率78.62%。")
    assert m["monitoring.projects"].value == 856 and m["execution.rate"].value == D("0.7862")
    # and a count whose own words name no stage is no metric of an earlier stage
    m = _metrics("部分项目绩效目标设置不合理；部分项目资金拨付滞后，4个项目截至评价时执行率低于60%。")
    assert "targets.projects" not in m


def test_metrics_built_without_validation_equal_validated_ones():
    # link() builds Metric and Span objects without validation: each must equal the
    # validated model of its own values (types included), on every seed report
    from schemas.models import Metric

    n = 0
    for p in sorted(gold_facts.CORPUS.glob("*.txt")):
        for m in extract_document(read(p)).metrics:
            v = Metric.model_validate(m.model_dump())
            assert v == m and m.model_fields_set == v.model_fields_set
            assert [type(x) for x in m.__dict__.values()] == [type(x) for x in v.__dict__.values()]
            assert [e.__dict__ for e in m.evidence] == [e.__dict__ for e in v.evidence]
            n += 1
    assert n > 20
