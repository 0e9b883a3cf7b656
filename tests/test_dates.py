"""Dates: the example table, property tests, and dates as masks for the quantity kinds."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from examples_table import check_row, load
from extractors import dates
from pipeline.run import extract_facts


@pytest.mark.parametrize("text,fact_text,iso,iso_end,precision", load("dates.tsv", 5))
def test_example_table(text, fact_text, iso, iso_end, precision):
    check_row(dates.extract(text), text, fact_text, {"iso": iso, "iso_end": iso_end, "precision": precision})


@settings(max_examples=300, deadline=None)
@given(
    y=st.integers(min_value=1990, max_value=2035),
    m=st.integers(min_value=1, max_value=12),
    d=st.integers(min_value=1, max_value=28),
    sep=st.sampled_from(["", " "]),
    suffix=st.sampled_from(["", "前", "起"]),
)
def test_written_day_parses_back(y, m, d, sep, suffix):
    written = f"{y}{sep}年{sep}{m}{sep}月{sep}{d}{sep}日{suffix}"
    text = f"各单位于{written}完成自评。"
    found = dates.extract(text)
    assert [(f.text, f.iso, f.precision) for f in found] == [(written, f"{y:04d}-{m:02d}-{d:02d}", "day")]


@settings(max_examples=200, deadline=None)
@given(
    y=st.integers(min_value=1990, max_value=2035),
    m1=st.integers(min_value=1, max_value=11),
    k=st.integers(min_value=1, max_value=11),
    to=st.sampled_from(["-", "至", "—", "到"]),
)
def test_month_span_carries_the_year(y, m1, k, to):
    m2 = min(12, m1 + k)
    text = f"{y}年绩效监控：{m1}{to}{m2}月预算执行进度良好。"
    found = dates.extract(text)
    spans = [f for f in found if f.iso_end]
    assert [(f.iso, f.iso_end) for f in spans] == [(f"{y:04d}-{m1:02d}", f"{y:04d}-{m2:02d}")]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="2023年月日至-底前初1987６５度〇二十个内，。 ", max_size=50))
def test_offsets_always_slice_to_text(text):
    for f in dates.extract(text):
        assert text[f.start:f.end] == f.text


@pytest.mark.parametrize(
    "text",
    ["2023年8月共完成评价", "2022年预算执行率", "于2023年5月底前完成", "1-8月预算执行金额为63854万元"],
)
def test_dates_are_never_read_as_quantities(text):
    facts = extract_facts(text)
    for f in facts.counts + facts.amounts + facts.scores:
        assert not any(d.start < f.end and f.start < d.end for d in facts.dates), (f.text, text)
    assert not [c for c in facts.counts if c.value in (2022, 2023, 8, 5, 1)]
