"""extractors.ocr.digit_view: OCR's letters inside figures read as digits, a space after a decimal
point moved behind the fraction, a wrap inside a score or grade cue moved before it; the same length."""
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
    # round 13: a space after the point, when a word precedes the figure and a unit follows it
    ("平均得分83. 6分", "平均得分83.6 分"),
    ("审减资金1,234. 56万元", "审减资金1,234.56 万元"),
    # a long line wrapped inside a cue: the break moves before it
    ("三个部门开展部门整体支出绩效评价，其结果得\n分分别为88.5分", "三个部门开展部门整体支出绩效评价，其结果\n得分分别为88.5分"),
])
def test_letters_inside_figures_are_digits(text, view):
    assert digit_view(text) == view


@pytest.mark.parametrize("text", [
    "通过ISO9001质量管理体系认证", "Vol2", "O2O模式", "IPv6地址", "全年共12个项目", "",
    "1. 5万元以下的项目", "增长2. 3个百分点", "短行得\n分",  # a list label; no unit; a short line
    "三个部门开展部门整体支出绩效评价，县教育局\n分别为88.5分",  # not a cue split
])
def test_words_stay_as_they_are(text):
    assert digit_view(text) is text or digit_view(text) == text


@given(st.text(alphabet="lIOo0123456789个万元、，ABC改造 ", max_size=40))
def test_same_length_and_only_letters_change(text):
    view = digit_view(text)
    assert len(view) == len(text)
    for a, b in zip(text, view):
        assert a == b or (a in "lIOo" and b in "10")


@given(st.text(alphabet="得分等级评价0123456789. 万元分\n，汉字", max_size=80))
def test_same_length_and_same_characters(text):
    view = digit_view(text)
    assert len(view) == len(text) and sorted(view) == sorted(text)  # moved, never changed
