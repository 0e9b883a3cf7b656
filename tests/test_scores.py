"""Scores: the example table (results vs bands and weights), tables, and the seeds' keys."""
from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from examples_table import check_row, load
from seed_keys import seed_f1
from extractors import scores
from pipeline.run import extract_facts



@pytest.mark.parametrize("text,fact_text,value,kind", load("scores.tsv", 4))
def test_example_table(text, fact_text, value, kind):
    check_row(extract_facts(text).scores, text, fact_text, {"value": value, "kind": kind})


@settings(max_examples=300, deadline=None)
@given(
    v=st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False),
    cue=st.sampled_from(["得分", "评价得分", "平均得分", "综合得分为", "评分为", "自评得分："]),
    fen=st.sampled_from(["分", " 分"]),
)
def test_score_parses_back(v, cue, fen):
    written = format(v.normalize(), "f") if v != 0 else "0"
    text = f"经评价，该项目{cue}{written}{fen}，等级为良。"
    found = scores.extract(text)
    assert [f.value for f in found] == [Decimal(written)], text
    assert found[0].kind == ("average" if "平均" in cue else "single")
    assert text[found[0].start:found[0].end] == found[0].text


@settings(max_examples=100, deadline=None)
@given(n=st.integers(min_value=50, max_value=99), band=st.sampled_from(["以上", "（含{n}分）以上", "以下", "-{m}分"]))
def test_bands_are_not_scores(n, band):
    text = f"评分达{n}分{band.format(n=n, m=n + 1)}的项目共12个"
    assert scores.extract(text) == [], text


def test_seed_keys_f1():
    f1, *tally = seed_f1("scores", lambda d: Decimal(d["value"]).normalize(), lambda f: f.value.normalize())
    assert f1 >= 0.98, tally


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="平均得分评总为：分0123456789.．八十六点五、和（含）以上下-|\t\n指标值", max_size=80))
def test_offsets_always_slice_to_text(text):
    for f in scores.extract(text):
        assert text[f.start:f.end] == f.text
        assert 0 <= f.value <= 150


_NAMED_WORDS = ["项目", "項目", "部门整体", "部門整體", "部门", "部門", "单位", "單位", "整体", "分", "得分", "1", "92",
                "85.5", "８", "．", "九十", "点", "五", " ", "\u3000", "、", "，", "。", "和", "\n", "目", "部"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_NAMED_WORDS), max_size=16))
def test_named_hits_are_the_named_score_matches(words):
    # the speed-up reads _NAMED_SCORE only where a 分 follows a number: the same matches
    text = "".join(words)
    expect = [(m.span(), m.groups()) for m in scores._NAMED_SCORE.finditer(text)]
    assert [(m.span(), m.groups()) for m in scores._named_hits(text)] == expect, text


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=[" ", "|", "｜", "\t", "\u3000", "中", "a", "\n"], max_size=12))
def test_has_row_marks_is_the_four_in_tests(text):
    # the table gate of grades, scores and checks.tables, read with two patterns instead of `in`
    from extractors.tables import has_row_marks

    assert has_row_marks(text) == ("|" in text or "\t" in text or "  " in text or "\u3000" in text)
