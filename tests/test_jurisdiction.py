"""Title, fiscal year and jurisdiction from the opening of a report."""
from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from examples_table import load
from extractors import jurisdiction


def _opt(v: str):
    return None if v == "-" else v


@pytest.mark.parametrize(
    "text,name,full_name,province,prefecture,admin_code,matched_by,fiscal_year", load("jurisdiction.tsv", 8)
)
def test_example_table(text, name, full_name, province, prefecture, admin_code, matched_by, fiscal_year):
    meta = jurisdiction.extract_meta(text)
    j = meta.jurisdiction
    got = (j.name, j.full_name, j.province, j.prefecture, j.admin_code, j.matched_by)
    assert got == tuple(map(_opt, (name, full_name, province, prefecture, admin_code, matched_by)))
    assert meta.fiscal_year == (None if fiscal_year == "-" else int(fiscal_year))


def test_titles_split_over_two_lines_are_joined():
    meta = jurisdiction.extract_meta("\n克州2023年度全面实施预算绩效管理\n工作开展情况说明\n\n根据自治州党委要求，现将情况说明如下。")
    assert meta.title == "克州2023年度全面实施预算绩效管理工作开展情况说明"
    meta = jurisdiction.extract_meta("西工区2023年预算绩效工作开展情况说明\n2023年，西工区深入贯彻洛阳市委、市政府的部署。")
    assert meta.title == "西工区2023年预算绩效工作开展情况说明"


def test_ambiguous_name_without_context_is_not_guessed():
    j = jurisdiction.resolve("朝阳区")
    assert j.admin_code is None and sorted(j.ambiguous) == ["110105", "220104"]
    j = jurisdiction.resolve("朝阳区", "长春市财政局关于……")
    assert j.admin_code == "220104" and j.ambiguous == ["110105"]


def test_gazetteer_is_complete_and_loads_fast():
    jurisdiction.gazetteer.cache_clear()
    t = time.perf_counter()
    g = jurisdiction.gazetteer()
    elapsed = time.perf_counter() - t
    levels = [g.level(c) for c in g.names]
    assert levels.count(1) == 31  # the mainland's provinces, autonomous regions and municipalities
    assert levels.count(2) > 330
    assert levels.count(3) > 2800
    assert all(len(c) == 6 and c.isdigit() for c in g.names)
    assert elapsed < 1.0  # generous here; the benchmark reports the real figure


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="关于师宗县朝阳区克州园区经济技术开发区2023年度预算绩效\n 说明情况及", max_size=60))
def test_never_fails_and_codes_are_real(text):
    meta = jurisdiction.extract_meta(text)
    j = meta.jurisdiction
    if j.admin_code is not None:
        assert j.admin_code in jurisdiction.gazetteer().names
    for c in j.ambiguous:
        assert c in jurisdiction.gazetteer().names


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["师宗县", "昆明市", "西工区", "克州", "云南省", "财政局", "人民政府", "党委", "县委",
                                 "关于", "的", "2023年", "，", "市", "县", "区", "政府", "本级", "经开区"]), max_size=14))
def test_owned_names_are_the_names_before_a_body_word(parts):
    """The body of a report is searched only for names followed by the reporting body's word
    (财政局, 人民政府 …): the same names as trying every name everywhere, then filtering."""
    text = "".join(parts)
    g = jurisdiction.gazetteer()
    every = [f for f in jurisdiction._find_names(g, text, False) if jurisdiction._BODY_OWNER.match(text, f[1])]
    assert sorted(jurisdiction._owned_names(g, text), key=repr) == sorted(every, key=repr)


@pytest.mark.parametrize("lines", [0, 1, 14, 15, 16, 20])
def test_title_after_blank_lines(lines):
    text = "\n" * lines + "师宗县2023年预算绩效工作开展情况说明\n一、基本情况\n" + "正文。\n" * 30
    assert jurisdiction._title(text)[0] == "师宗县2023年预算绩效工作开展情况说明"
