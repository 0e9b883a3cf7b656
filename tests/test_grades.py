"""Grades: the example table (results vs rules), and the seeds' keys."""
from __future__ import annotations


import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from examples_table import check_row, load
from seed_keys import seed_f1
from extractors import grades
from pipeline.run import extract_facts



@pytest.mark.parametrize("text,fact_text,level,count,subject", load("grades.tsv", 5))
def test_example_table(text, fact_text, level, count, subject):
    check_row(extract_facts(text).grades, text, fact_text, {"level": level, "count": count, "subject": subject})


LEVELS = {"优秀": "优", "良好": "良", "中等": "中", "较差": "差", "优": "优", "良": "良", "中": "中", "差": "差"}


@settings(max_examples=200, deadline=None)
@given(
    lv=st.sampled_from(sorted(LEVELS)),
    n=st.integers(min_value=1, max_value=300),
    quote=st.sampled_from([("", ""), ("“", "”"), ("「", "」")]),
    subject=st.sampled_from(["项目", "部门", "单位"]),
)
def test_result_with_count_parses_back(lv, n, quote, subject):
    text = f"经评价，评价等级为{quote[0]}{lv}{quote[1]}的{subject}{n}个。"
    found = grades.extract(text)
    assert [(f.level, f.count, f.subject) for f in found] == [(LEVELS[lv], n, subject)], text
    assert text[found[0].start:found[0].end] == found[0].text


@settings(max_examples=100, deadline=None)
@given(lv=st.sampled_from(sorted(LEVELS)), policy=st.sampled_from(["给予重点支持", "督促整改", "扣减预算", "取消资金安排"]))
def test_rules_are_not_results(lv, policy):
    for text in (f"评级为{lv}的，{policy}。", f"评价等级为“{lv}”的项目{policy}。", f"不得评为“{lv}”。"):
        assert grades.extract(text) == [], text


NORM = {"优秀": "优", "良好": "良", "中等": "中", "较差": "差", "优": "优", "良": "良", "中": "中", "差": "差",
        "優": "优", "A": "A", "B": "B", "C": "C"}


@settings(max_examples=200, deadline=None)
@given(
    levels=st.lists(st.sampled_from(["优秀", "良好", "中等", "较差", "优", "良", "中", "差"]), min_size=2, max_size=4,
                    unique_by=lambda lv: NORM[lv]),
    counts=st.lists(st.integers(min_value=1, max_value=500), min_size=4, max_size=4),
    shape=st.sampled_from(["level_first", "count_first", "respectively"]),
    quote=st.sampled_from([("“", "”"), ("「", "」"), ("", "")]),
    sep=st.sampled_from(["、", "，"]),
)
def test_grade_lists_parse_back(levels, counts, shape, quote, sep):
    """A result list in any of the genre's shapes yields one grade per level, with its own count."""
    q1, q2 = quote
    pairs = list(zip(levels, counts))
    if shape == "level_first":
        text = "复核结果为：" + sep.join(f"{q1}{lv}{q2}{n}个" for lv, n in pairs) + "。"
    elif shape == "count_first":
        if not q1 and "中" in levels:  # 5个中: not this genre's phrasing without quotes
            text = "其中" + sep.join(f"{n}个项目为{lv}" for lv, n in pairs) + "。"
        else:
            text = "复核结果为：" + sep.join(f"{n}个{q1}{lv}{q2}" for lv, n in pairs) + "。"
    else:
        text = ("评价结果为" + "、".join(f"{q1}{lv}{q2}" for lv, _ in pairs) + "的项目分别为"
                + "、".join(f"{n}个" for _, n in pairs) + "。")
    found = grades.extract(text)
    assert [(f.level, f.count) for f in found] == [(NORM[lv], n) for lv, n in pairs], text
    for f in found:
        assert text[f.start:f.end] == f.text


def test_seed_keys_f1():
    f1, *tally = seed_f1("grades", lambda d: (d["level"], d["count"]), lambda f: (f.level, f.count))
    assert f1 >= 0.98, tally


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="评价等级结果为是：“”「」优良中差秀好较AB级个项目部门的，、。1２3十两共有不得给予分别和及以上", max_size=60))
def test_offsets_always_slice_to_text(text):
    for f in grades.extract(text):
        assert text[f.start:f.end] == f.text
        assert f.level in ("优", "良", "中", "差", "优良", "A", "B", "C", "D")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="中级級为是“”等A B其3三个项\n", max_size=30))
def test_level_anchor_hits(text):
    """Only the 中 and 级 that _level_anchors can use are visited: 中 after 为/是/评 or an
    opening quote, before a closing quote or 等级, or with a numeral in the next four
    characters; 级/級 right after a letter."""
    mid = [p for p, c in enumerate(text) if c == "中" and (
        text[p - 1:p] in grades._MID_BEFORE or text[p + 1:p + 2] in grades._MID_AFTER
        or not grades._NUMERALS.isdisjoint(text[p + 1:p + 5]))]
    assert [m.start() for m in grades._MID_HIT.finditer(text)] == mid
    ji = [p for p, c in enumerate(text) if c in "级級" and text[p - 1:p] in grades._LETTERS]
    assert sorted(m.start() for pattern in grades._LETTER_LEVEL for m in pattern.finditer(text)) == ji
