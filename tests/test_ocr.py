"""extractors.ocr.digit_view: OCR's letters inside figures read as digits, nothing else touched."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extractors.ocr import digit_view


@pytest.mark.parametrize("text,view", [
    # letters inside a figure
    ("危桥改造l2座", "危桥改造12座"),
    ("发放问卷3O0份", "发放问卷300份"),
    ("资金1O5.6万元", "资金105.6万元"),
    ("共l0个项目", "共10个项目"),
])
def test_letters_inside_figures_are_digits(text, view):
    assert digit_view(text) == view


@pytest.mark.parametrize("text", [
    "通过ISO9001质量管理体系认证", "Vol2", "O2O模式", "IPv6地址", "全年共12个项目", "",
])
def test_words_stay_as_they_are(text):
    assert digit_view(text) is text or digit_view(text) == text


@given(st.text(alphabet="lIOo0123456789个万元、，ABC改造 ", max_size=40))
def test_same_length_and_only_letters_change(text):
    view = digit_view(text)
    assert len(view) == len(text)
    for a, b in zip(text, view):
        assert a == b or (a in "lIOo" and b in "10")
