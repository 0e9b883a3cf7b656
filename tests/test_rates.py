from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from examples_table import load
from pipeline.run import extract_facts


@pytest.mark.parametrize("text,fact_text,value,qualifier,bound", load("rates.tsv", 5))
def test_example_table(text, fact_text, value, qualifier, bound):
    found = extract_facts(text).rates
    for f in found:
        assert text[f.start:f.end] == f.text
    if fact_text == "-":
        assert found == [], [f.text for f in found]
        return
    hits = [f for f in found if f.text == fact_text]
    assert hits, f"{fact_text!r} not among {[f.text for f in found]}"
    f = hits[0]
    assert f.value == Decimal(value)
    assert f.qualifier == (None if qualifier == "-" else qualifier)
    assert f.bound == (bound == "true")


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False),
       st.sampled_from(["%", "％"]))
def test_percent_forms_parse_back(d, sign):
    written = format(d, "f")
    text = f"项目审减率为{written}{sign}，较上年提高。"
    found = extract_facts(text).rates
    assert len(found) == 1
    assert found[0].value == d / 100
    assert found[0].decimals == (len(written.split(".")[1]) if "." in written else 0)
