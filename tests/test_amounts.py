"""amounts: the example table, the property that every written form parses back, offsets."""
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from examples_table import check_row, load
from pipeline.run import extract_facts


def _amounts(text):
    return extract_facts(text).amounts


@pytest.mark.parametrize("text,fact_text,value_yuan,qualifier,bound", load("amounts.tsv", 5))
def test_example_table(text, fact_text, value_yuan, qualifier, bound):
    check_row(extract_facts(text).amounts, text, fact_text, {"value_yuan": value_yuan, "qualifier": qualifier, "bound": bound})


UNITS = [("元", 1), ("万元", 10**4), ("亿元", 10**8), ("千元", 1000), ("萬元", 10**4), ("億元", 10**8)]
QUALIFIED = [("约{}", "about"), ("近{}", "about"), ("{}左右", "about"), ("超过{}", "over"),
             ("不足{}", "under"), ("{}", None)]


@settings(max_examples=300, deadline=None)
@given(
    st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10**7), places=2, allow_nan=False, allow_infinity=False),
    st.sampled_from(UNITS),
    st.sampled_from(QUALIFIED),
    st.sampled_from(["grouped", "plain", "fullwidth", "fw_comma", "space_grouped", "comma_space"]),
    st.sampled_from(["涉及财政资金", "审减", "共安排", "评价金额为"]),
)
def test_every_written_form_parses_back(d, unit, qualified, style, lead):
    unit_text, scale = unit
    plain = format(d.normalize(), "f") if d == d.to_integral_value() else format(d, "f")
    whole, _, frac = plain.partition(".")
    grouped = f"{int(whole):,}" + ("." + frac if frac else "")
    written = {
        "plain": plain,
        "grouped": grouped,
        "fw_comma": grouped.replace(",", "，"),
        # what PDF copy-and-paste and OCR leave: groups split by a space, or a comma and a space
        "space_grouped": grouped.replace(",", " "),
        "comma_space": grouped.replace(",", ", "),
        "fullwidth": grouped.translate(str.maketrans("0123456789.,", "０１２３４５６７８９．，")),
    }[style]
    pattern, qualifier = qualified
    figure = pattern.format(written + unit_text)
    text = f"{lead}{figure}，用于重点项目。"
    found = _amounts(text)
    assert len(found) == 1, (text, [f.text for f in found])
    f = found[0]
    assert f.text == figure and text[f.start:f.end] == f.text
    assert f.value_yuan == d * scale
    assert f.qualifier == qualifier


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=99999999), st.sampled_from(["万元", "元", "亿元"]))
def test_chinese_numeral_amounts(n, unit):
    import cn2an

    if unit != "元":
        n = n % 10000 or 1  # nobody writes 一万万元: above 9999 the next unit is used
    elif n < 10:
        n += 10  # a lone numeral before 元 (一元化, 二元结构) is read as a word, by design

    scale = {"元": 1, "万元": 10**4, "亿元": 10**8}[unit]
    text = f"安排资金{cn2an.an2cn(n, 'low')}{unit}。"
    found = _amounts(text)
    assert [f.value_yuan for f in found] == [n * scale], text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789,，.万亿元约近余多以上下的项目资金个%％〔〕号年月日 一二三十百千两、。", max_size=60))
def test_offsets_always_slice_to_text(text):
    facts = extract_facts(text)
    for kind in ("amounts", "rates", "counts", "doc_numbers", "dates", "grades", "scores"):
        for f in getattr(facts, kind):
            assert text[f.start:f.end] == f.text
