import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from examples_table import check_row, load
from pipeline.run import extract_facts


@pytest.mark.parametrize("text,fact_text,value,qualifier,bound", load("rates.tsv", 5))
def test_example_table(text, fact_text, value, qualifier, bound):
    check_row(extract_facts(text).rates, text, fact_text, {"value": value, "qualifier": qualifier, "bound": bound})


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
