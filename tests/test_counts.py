import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from examples_table import check_row, load
from pipeline.run import extract_facts


@pytest.mark.parametrize("text,fact_text,value,classifier,qualifier,bound", load("counts.tsv", 6))
def test_example_table(text, fact_text, value, classifier, qualifier, bound):
    check_row(extract_facts(text).counts, text, fact_text, {"value": value, "classifier": classifier, "qualifier": qualifier, "bound": bound})


@pytest.mark.parametrize(
    "text,subject",
    [
        ("共审核项目绩效目标1081个", "共审核项目绩效目标"),
        ("对794个项目开展审核", "项目"),
        ("选取5家单位的6个项目", "单位"),
        ("部门整体支出绩效目标共计19个（一级预算部门）", "部门整体支出绩效目标"),
    ],
)
def test_subject(text, subject):
    found = extract_facts(text).counts
    assert found and subject in (found[0].subject or ""), [(f.text, f.subject) for f in found]


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=2, max_value=9999), st.sampled_from(["个", "家", "项", "人次", "条", "份"]))
def test_counts_parse_back(n, clf):
    import cn2an

    for written in (str(n), cn2an.an2cn(n, "low")):
        text = f"全年共审核{written}{clf}，完成任务。"
        found = extract_facts(text).counts
        assert [(f.value, f.classifier) for f in found] == [(n, clf)], text
