"""Outline, sentences and clauses: offsets, mixed numbering schemes, mis-numbering."""
from __future__ import annotations

import pytest

from pipeline.segment import cn_int, layout, outline, soft_wrap


def _paths(text):
    return [(s.path, s.level, s.title) for s in outline(text)]


def test_plain_nested_outline():
    text = "一、总体情况\n（一）目标管理\n1.目标审核\n（1）审核范围\n正文。\n（2）审核结果\n2.目标公开\n（二）运行监控\n二、存在问题\n"
    assert _paths(text) == [
        ("一", 1, "总体情况"), ("一/（一）", 2, "目标管理"), ("一/（一）/1", 3, "目标审核"),
        ("一/（一）/1/（1）", 4, "审核范围"), ("一/（一）/1/（2）", 4, "审核结果"), ("一/（一）/2", 3, "目标公开"),
        ("一/（二）", 2, "运行监控"), ("二", 1, "存在问题"),
    ]


def test_mixed_scheme_arabic_top_level_then_chinese():
    # `1、 基础工作` … `2、 …` then `三、`: the Chinese numeral continues the top-level list
    text = "1、 基础工作\n（一）制度建设\n（2） 指标体系\n2、 绩效评估\n（一）管理范围\n三、绩效目标\n（一）目标管理\n四、绩效评价\n"
    assert _paths(text) == [
        ("1", 1, "基础工作"), ("1/（一）", 2, "制度建设"), ("1/（2）", 2, "指标体系"),
        ("2", 1, "绩效评估"), ("2/（一）", 2, "管理范围"), ("三", 1, "绩效目标"),
        ("三/（一）", 2, "目标管理"), ("四", 1, "绩效评价"),
    ]


def test_misnumbered_sibling_and_repeated_label():
    text = "1、工作思路\n（一）思路\n（二）原则\n二、目标任务\n三、主要措施\n（一）事前评估\n三、工作要求\n"
    got = _paths(text)
    assert [p for p, _, _ in got] == ["1", "1/（一）", "1/（二）", "二", "三", "三/（一）", "三"]
    assert all(level == (2 if "/" in p else 1) for p, level, _ in got)


def test_section_ends_and_lookup():
    text = "一、甲\n正文甲。\n（一）子\n正文子。\n二、乙\n正文乙。\n"
    lay = layout(text)
    one, sub, two = lay.sections
    assert one.end == two.start and sub.end == two.start
    assert lay.section(text.index("正文子")).path == "一/（一）"
    assert lay.section(text.index("正文乙")).path == "二"
    assert lay.section_titles(text.index("正文子")) == ["子", "甲"]


def test_ascii_parens_circled_and_year_after_dot():
    text = "一、情况\n(一)概况\n1.2023年我区推进目标管理。\n①第一项\n②第二项\n(二)问题\n"
    assert [p for p, _, _ in _paths(text)] == ["一", "一/（一）", "一/（一）/1", "一/（一）/1/①", "一/（一）/1/②", "一/（二）"]


def test_numbers_are_not_headings():
    text = "2023年预算执行良好。\n10月底完成监控。\n1.5万元用于培训。\n36，055万元为总投资。\n"
    assert outline(text) == []


def test_sentences_segments_clauses():
    text = "申报基本支出预算66,787.21万元，审减1,356.89万元；申报项目支出574,100.87万元，审减率24%。总投资36，055万元，其中5个，300个项目。"
    lay = layout(text)
    sents = [text[s:e] for s, e in lay.sentences]
    assert sents == ["申报基本支出预算66,787.21万元，审减1,356.89万元；申报项目支出574,100.87万元，审减率24%。",
                     "总投资36，055万元，其中5个，300个项目。"]
    segs = [text[s:e] for s, e in lay.segments]
    assert segs[0] == "申报基本支出预算66,787.21万元，审减1,356.89万元；"
    clauses = [text[s:e] for s, e in lay.clauses]
    assert "总投资36，055万元，" in clauses  # a thousands separator is not a clause break
    assert "其中5个，" in clauses and "300个项目。" in clauses
    # every unit covers text without gaps or overlaps
    assert "".join(clauses) == text


def test_cn_int():
    assert [cn_int(x) for x in ("一", "十", "十二", "二十", "二十三", "两", "一百零五")] == [1, 10, 12, 20, 23, 2, 105]


def test_sections_built_without_validation_equal_validated_ones():
    # outline() builds Section objects without pydantic's validation: each must be exactly
    # what validating its values gives (types included), on every seed report
    from pathlib import Path

    from schemas.models import Section

    seeds = sorted((Path(__file__).resolve().parents[1] / "corpus").glob("*.txt"))
    assert seeds
    n = 0
    for p in seeds:
        for s in outline(p.read_text(encoding="utf-8")):
            v = Section.model_validate(s.model_dump())
            assert v == s and s.model_fields_set == v.model_fields_set
            assert [type(x) for x in s.__dict__.values()] == [type(x) for x in v.__dict__.values()]
            n += 1
    assert n > 20


def test_break_positions_are_the_break_regex_matches():
    import random

    from pipeline.segment import _BREAK_CH, _break_positions

    rnd = random.Random(7)
    alphabet = "。！？!?；;，,：:\n1中a “”"
    for _ in range(3000):
        s = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 30)))
        assert _break_positions(s) == [m.start() for m in _BREAK_CH.finditer(s)], s


# a line break that wraps a paragraph (copy-and-paste, OCR) does not end the sentence
WRAPPED = ("（四）运行监控，及时纠偏。分两批对全县项目支出开展1—8月绩效运行监控，监控资金28.64\n"
           "亿元，已支付19.37亿元，执行率67.4%。对执行率低于50%的27个项目进行预警，督促\n"
           "限期整改。\n")


def test_a_wrapped_line_goes_on_in_the_same_sentence():
    lay = layout(WRAPPED)
    texts = [WRAPPED[s:e] for s, e in lay.sentences]
    assert any("28.64\n亿元，已支付19.37亿元，执行率67.4%。" in t for t in texts), texts
    assert any(t.startswith("对执行率低于50%") and "督促\n限期整改。" in t for t in texts), texts


@pytest.mark.parametrize("text", [
    "一、主要做法\n2023年，全县财政部门认真落实预算绩效管理各项要求，取得了阶段性成效。",  # a heading line on its own
    "全县财政部门认真落实预算绩效管理各项要求并取得了阶段性成效\n\n二、存在问题",  # a blank line
    "全县财政部门认真落实预算绩效管理各项要求并取得了阶段性成效\n（二）强化目标管理",  # a heading label
    "全县财政部门认真落实预算绩效管理各项要求并取得了阶段性成效\n2.业务培训。",  # an arabic label
    "全县财政部门认真落实预算绩效管理各项要求并取得了阶段性成效\n　　二是强化目标管理。",  # an indent
    "项目名称  预算数  执行数  执行率  得分  等级\n城市供热补贴  42,360  41,875  98.9%  96  优",  # a table row
    "县财政局关于2023年度预算绩效管理工作开展情况的报告。\n县人民政府：",  # a sentence end
    "全县财政部门认真落实预算绩效管理各项要求并取得了阶段性成效\n— 2 —",  # a page footer
    "县财政局\n2023年12月",  # short lines
])
def test_line_breaks_that_end_a_unit(text):
    nl = text.index("\n")
    assert not soft_wrap(text, nl)
