"""The rounding and interval rules of the checks, on hand-made facts (no extractors).

Expected values are worked out by hand in the comments.
"""
from __future__ import annotations

from decimal import Decimal as D

from pipeline.analyse import analyse
from pipeline.checks import Iv, amount_iv, op, rate_iv
from schemas import Amount, Count, Document, ExtractRecord, Grade, Rate, Score

_SCALE = {"万元": D(10000), "亿元": D(100000000), "元": D(1)}


def amt(text, s, nth=0, qualifier=None):
    """An Amount for the nth occurrence of s (e.g. '1,356.89万元') in text."""
    i = -1
    for _ in range(nth + 1):
        i = text.index(s, i + 1)
    unit = next(u for u in ("亿元", "万元", "元") if s.endswith(u))
    num = s[: -len(unit)].lstrip("约近超余")
    num = num.rstrip("余多")
    dec = len(num.split(".")[1]) if "." in num else 0
    return Amount(text=s, start=i, end=i + len(s), value_yuan=D(num.replace(",", "")) * _SCALE[unit], unit=unit,
                  qualifier=qualifier, decimals=dec)


def rate(text, s):
    i = text.index(s)
    num = s.rstrip("%％")
    dec = len(num.split(".")[1]) if "." in num else 0
    return Rate(text=s, start=i, end=i + len(s), value=D(num) / 100, decimals=dec)


def run(text, amounts=(), rates=(), counts=(), grades=(), scores=()):
    doc = Document(source="t.txt", doc_id="t", format="txt", text=text)
    rec = ExtractRecord(source="t.txt", doc_id="t", format="txt", amounts=list(amounts), rates=list(rates),
                        counts=list(counts), grades=list(grades), scores=list(scores))
    return analyse(doc, rec)


def test_intervals_follow_the_written_precision():
    t = "审减1,356.89万元，约6200万元，6200余万元，2.03%，24%"
    a = amt(t, "1,356.89万元")
    # ± half of 0.01万元 = ± 50元
    assert amount_iv(a) == Iv(D("13568850"), D("13568950"))
    assert op(a) == Iv(D("13568900"), D("13568900"))  # operands are exact (SPEC)
    # 6200余万元: at least 6200万, below 6300万 (one unit of the last non-zero digit)
    over = amt(t, "6200余万元", qualifier="over")
    assert amount_iv(over) == Iv(D("62000000"), D("63000000"))
    about = amt(t, "约6200万元", qualifier="about")
    assert amount_iv(about) == Iv(D("61000000"), D("63000000"))
    # 2.03% → [2.025%, 2.035%]; 24% → [23.5%, 24.5%]
    assert rate_iv(rate(t, "2.03%")) == Iv(D("0.02025"), D("0.02035"))
    assert rate_iv(rate(t, "24%")) == Iv(D("0.235"), D("0.245"))


SEED = "申报基本支出预算66,787.21万元，绩效评审建议安排65,430.35万元，审减1,356.89万元，审减率2.03%。"


def test_difference_off_by_three_hundred_yuan_is_an_error():
    # 66,787.21 − 65,430.35 = 1,356.86 ≠ 1,356.89 (both operands exact to 0.01万元)
    rec = run(SEED, [amt(SEED, "66,787.21万元"), amt(SEED, "65,430.35万元"), amt(SEED, "1,356.89万元")],
              [rate(SEED, "2.03%")])
    (f,) = [f for f in rec.findings if f.rule == "arithmetic.difference"]
    assert f.severity == "error"
    assert f.expected == "1,356.86万元" and f.actual == "1,356.89万元"
    assert "1,356.86万元" in f.message and "相差0.03万元" in f.message
    assert f.suspect is None  # 2.03% fits both 1,356.86 and 1,356.89: the rate cannot decide
    assert not [f for f in rec.findings if f.rule == "arithmetic.rate"]


def test_the_stated_rate_names_the_suspect():
    # 7,420 − 6,980 = 440 ≠ 480; 480 ÷ 7,420 = 6.469% → 6.47% fits, so 核定 is the odd one
    t = "各单位报送预算资金7,420万元，核定6,980万元，核减480万元，核减率6.47%。"
    rec = run(t, [amt(t, "7,420万元"), amt(t, "6,980万元"), amt(t, "480万元")], [rate(t, "6.47%")])
    (f,) = [f for f in rec.findings if f.rule == "arithmetic.difference"]
    assert f.suspect == "6,980万元"
    # the cut is the odd one when the rate fits declared − approved: (7,420 − 6,980) ÷ 7,420 = 5.93%
    t2 = t.replace("6.47%", "5.93%")
    rec = run(t2, [amt(t2, "7,420万元"), amt(t2, "6,980万元"), amt(t2, "480万元")], [rate(t2, "5.93%")])
    (f,) = [f for f in rec.findings if f.rule == "arithmetic.difference"]
    assert f.suspect == "480万元"


def test_total_stated_with_fewer_decimals_matches_after_rounding():
    # 1,356.89 + 137,784.25 = 139,141.14 → 139,141 at 0 decimals: consistent
    t = ("绩效目标审核中，申报基本支出预算66,787.21万元，建议安排65,430.35万元，审减1,356.89万元；"
         "申报项目支出预算574,100.87万元，建议安排436,316.62万元，审减137,784.25万元。"
         "通过绩效目标复审，审减预算经费139,141万元，审减率22%。")
    names = ["66,787.21万元", "65,430.35万元", "1,356.89万元", "574,100.87万元", "436,316.62万元", "137,784.25万元", "139,141万元"]
    rec = run(t, [amt(t, n) for n in names], [rate(t, "22%")])
    errors = [f for f in rec.findings if f.severity == "error"]
    assert [f.rule for f in errors] == ["arithmetic.difference"]  # only the basic group's 0.03万元
    # 139,141 ÷ 640,888.08 = 21.71%, within ±0.5pp of 22%; a stated 21% is not
    t2 = t.replace("22%", "21%")
    rec = run(t2, [amt(t2, n) for n in names], [rate(t2, "21%")])
    assert any(f.rule == "arithmetic.rate" and f.severity == "error" for f in rec.findings)
    # 139,142 is off by more than half a unit: 1,356.89 + 137,784.25 = 139,141.14
    t3 = t.replace("139,141万元", "139,142万元")
    rec = run(t3, [amt(t3, n.replace("139,141", "139,142")) for n in names], [rate(t3, "22%")])
    assert any(f.rule == "arithmetic.sum" and f.expected == "139,141万元" for f in rec.findings)


def test_tolerance_is_never_relative():
    # a typo of 100万元 in a total of 60,000万元 (0.17%) is still an error
    t = "项目资金合计60,000万元，具体为道路30,000万元、学校20,000万元、医院10,100万元。"
    rec = run(t, [amt(t, "60,000万元"), amt(t, "30,000万元"), amt(t, "20,000万元"), amt(t, "10,100万元")])
    (f,) = [f for f in rec.findings if f.rule == "arithmetic.sum"]
    assert f.severity == "error" and f.expected == "60,100万元"


def test_approximate_figures_raise_warnings_only():
    t = "申报资金5000万元，建议安排4200万元，审减近1500万元。"
    rec = run(t, [amt(t, "5000万元"), amt(t, "4200万元"), amt(t, "近1500万元", qualifier="about")])
    (f,) = [f for f in rec.findings if f.rule == "arithmetic.difference"]
    assert f.severity == "warning"
    # and an interval that contains the exact result is silent: 800 ∈ [700, 900]
    t2 = "申报资金5000万元，建议安排4200万元，审减约800万元。"
    rec = run(t2, [amt(t2, "5000万元"), amt(t2, "4200万元"), amt(t2, "约800万元", qualifier="about")])
    assert not [f for f in rec.findings if f.severity in ("error", "warning")]


def test_execution_rate():
    # 63,854 ÷ 106,705 = 59.8416% → 59.84%
    t = "年初预算批复金额为106705万元，1-8月预算执行金额为63854万元，预算执行率为59.84%。"
    rec = run(t, [amt(t, "106705万元"), amt(t, "63854万元")], [rate(t, "59.84%")])
    assert not rec.findings
    assert {m.name for m in rec.metrics} >= {"execution.budget", "execution.spent", "execution.rate"}
    t2 = t.replace("59.84%", "59.48%")
    rec = run(t2, [amt(t2, "106705万元"), amt(t2, "63854万元")], [rate(t2, "59.48%")])
    (f,) = rec.findings
    assert f.rule == "arithmetic.rate" and f.expected == "59.84%"


def _count(t, s, value, subject, nth=0):
    i = -1
    for _ in range(nth + 1):
        i = t.index(s, i + 1)
    return Count(text=s, start=i, end=i + len(s), value=value, classifier=s[-1], subject=subject)


def _grade(t, s, level, count, subject="项目"):
    i = t.index(s)
    return Grade(text=s, start=i, end=i + len(s), level=level, count=count, subject=subject)


def test_grade_counts_and_score_bands():
    t = "选取6个项目开展评估。评价等级为“优”的项目2个，评价等级为“良”的项目3个，评价等级为“中”的项目2个。"
    grades = [_grade(t, "评价等级为“优”的项目2个", "优", 2), _grade(t, "评价等级为“良”的项目3个", "良", 3),
              _grade(t, "评价等级为“中”的项目2个", "中", 2)]
    counts = [_count(t, "6个", 6, "项目"), _count(t, "2个", 2, "评价等级为“优”的项目"),
              _count(t, "3个", 3, "评价等级为“良”的项目"), _count(t, "2个", 2, "评价等级为“中”的项目", nth=1)]
    rec = run(t, counts=counts, grades=grades)
    (f,) = [f for f in rec.findings if f.rule == "arithmetic.sum"]
    assert f.expected == "6个" and f.actual == "7个"  # 2 + 3 + 2 = 7 ≠ 6

    b = "项目支出绩效目标共计707个，90分以上项目共185个；80分-89分项目共379个；70分-80分的项目共计138个；70分以下的项目共计6个。"
    counts = [_count(b, "707个", 707, "项目支出绩效目标"), _count(b, "185个", 185, "项目"),
              _count(b, "379个", 379, "项目"), _count(b, "138个", 138, "项目"), _count(b, "6个", 6, "项目")]
    rec = run(b, counts=counts)
    (f,) = rec.findings  # 185 + 379 + 138 + 6 = 708 ≠ 707
    assert f.rule == "arithmetic.sum" and f.actual == "708个"


def test_grade_score_bands_are_exact_at_the_edges():
    for score, level, bad in (("90分", "优", False), ("90分", "良", True), ("89.9分", "良", False),
                              ("80分", "良", False), ("79.5分", "良", True), ("60分", "中", False), ("59分", "差", False)):
        t = f"项目得分{score}，评价等级为“{level}”。"
        i, j = t.index(score), t.index("评价等级")
        rec = run(t, scores=[Score(text=score, start=i, end=i + len(score), value=D(score[:-1]))],
                  grades=[Grade(text=t[j:-1], start=j, end=len(t) - 1, level=level)])
        assert bool([f for f in rec.findings if f.rule == "grade_score"]) is bad, (score, level)


def test_coverage_counts_reported_amounts_only():
    t = "对超500万元的项目开展评估，申报资金3,200万元，核定2,950万元，核减250万元。另收回资金80万元。"
    a = [amt(t, "3,200万元"), amt(t, "2,950万元"), amt(t, "250万元"), amt(t, "80万元")]
    bound = amt(t, "500万元").model_copy(update={"bound": True})
    rec = run(t, [bound] + a)
    assert rec.coverage.amounts_reported == 4 and rec.coverage.amounts_checked == 3
    assert rec.coverage.share == 0.75


def _table_findings(text: str) -> list:
    from pipeline.run import extract_document

    return extract_document(Document(source="t.txt", doc_id="t", format="txt", text=text)).findings


def test_tables():
    table = ("表1 项目资金情况\n单位：万元\n资金来源|全年预算数|全年执行数|执行率\n"
             "县级资金|1470.00|1428.60|97.18%\n省级资金|500.00|463.75|92.75%\n合计|1970.00|1892.35|96.06%\n")
    # 1470 + 500 = 1970; 1428.60 + 463.75 = 1892.35; 1428.60 ÷ 1470 = 97.18%; 463.75 ÷ 500 = 92.75%
    found = _table_findings(table)
    assert not [f for f in found if f.severity in ("error", "warning")]
    bad = table.replace("合计|1970.00|1892.35", "合计|1970.00|1882.35")
    found = _table_findings(bad)
    (f,) = [f for f in found if f.rule == "arithmetic.sum"]
    assert f.expected == "1892.35" and f.severity == "error"
    assert all(bad[sp.start:sp.end] == sp.text for sp in f.spans)
    bad = table.replace("92.75%", "97.25%")  # 463.75 ÷ 500 = 92.75%
    found = _table_findings(bad)
    (f,) = [f for f in found if f.rule == "arithmetic.rate"]
    assert f.expected == "92.75%"
    scores = ("一级指标\t三级指标\t分值\t得分\n决策\t立项依据\t20\t18\n过程\t资金管理\t30\t27.5\n"
              "产出\t完成率\t50\t46\n合计\t—\t100\t91.5\n")  # 18 + 27.5 + 46 = 91.5
    found = _table_findings(scores)
    assert not [f for f in found if f.severity in ("error", "warning")]
    found = _table_findings(scores.replace("\t91.5", "\t93.5"))
    assert [f.expected for f in found if f.rule == "arithmetic.sum"] == ["91.5"]
    # cells split by runs of spaces (or U+3000), the total row's empty cells left out
    spaced = ("表2 重点评价项目情况（金额单位：万元）\n序号  项目名称  主管部门  评价金额\n"
              "1  农村公路养护  县交通运输局  1,250.00\n2  城区污水管网改造  县住建局  2,380.50\n"
              "3  义务教育薄弱校改造  县教育局  960.00\n合计      4,590.50\n")  # 1,250 + 2,380.50 + 960 = 4,590.50
    for table in (spaced, spaced.replace("  ", "\u3000")):
        found = _table_findings(table)
        assert not [f for f in found if f.severity in ("error", "warning")]
        bad = table.replace("4,590.50", "4,690.50")
        found = _table_findings(bad)
        (f,) = [f for f in found if f.rule == "arithmetic.sum"]
        assert f.expected == "4,590.50" and f.actual == "4,690.50"
    # with a score column the total row leaves out: the money is summed, the scores are not
    scored = ("表2 重点评价项目情况（金额单位：万元）\n序号  项目名称  评价金额  得分\n1  农村公路养护  1,250.00  88.5\n"
              "2  城区污水管网改造  2,380.50  91.0\n3  义务教育薄弱校改造  960.00  85.0\n合计    4,590.50\n")
    found = _table_findings(scored)
    assert not [f for f in found if f.severity in ("error", "warning")]
    found = _table_findings(scored.replace("4,590.50", "4,690.50"))
    assert [f.expected for f in found if f.rule == "arithmetic.sum"] == ["4,590.50"]


def test_execution_rate_across_a_wrapped_line():
    """A line wrapped between a figure and its unit (copy-and-paste, OCR): one amount, one sentence."""
    from pipeline.run import extract_document

    text = ("（四）运行监控，及时纠偏。分两批对全县项目支出开展1—8月绩效运行监控，监控资金28.64\n"
            "亿元，已支付19.37亿元，执行率{}。对执行率低于50%的27个项目进行预警。\n")
    ok = extract_document(Document(source="t.txt", doc_id="t", format="txt", text=text.format("67.6%")))
    assert "28.64\n亿元" in [a.text for a in ok.amounts]
    assert not [f for f in ok.findings if f.severity in ("error", "warning")]
    bad = extract_document(Document(source="t.txt", doc_id="t", format="txt", text=text.format("67.4%")))
    (f,) = [f for f in bad.findings if f.rule == "arithmetic.rate"]
    assert f.expected == "67.6%"


_SHEET = (
    "项目支出绩效自评表\n"
    "项目资金（万元）    年初预算数    全年预算数    全年执行数    分值    执行率    得分\n"
    "年度资金总额    3,200.00    3,586.50    3,412.38    10    95.15%    9.51\n"
    "其中：当年财政拨款    3,200.00    3,386.50    3,212.38    —    —    —\n"
    "绩效指标\n"
    "一级指标\t二级指标\t三级指标\t年度指标值\t实际完成值\t分值\t得分\n"
    "产出指标\t数量指标\t治理面积\t≥2.5万亩\t2.62万亩\t30\t30\n"
    "产出指标\t时效指标\t完工及时率\t≥95%\t90%\t20\t18\n"
    "效益指标\t生态效益指标\t水土流失治理度\t≥85%\t87.6%\t30\t29\n"
    "满意度指标\t服务对象满意度指标\t受益群众满意度\t≥90%\t93.5%\t10\t10\n"
    "总分\t\t\t\t\t100\t{total}\n"
    "\n"
    "三、绩效目标完成情况分析\n"
    "全年预算数3,586.50万元，全年实际支出{spent}万元，资金全部按工程进度拨付。\n"
)


def test_self_evaluation_sheet_total():
    """The standard 自评表 scores the budget execution in the money block (分值 10) and the
    indicators below (90): 总分 is the sum of both, the 分值 column telling which rows count."""
    ok = _SHEET.format(total="96.51", spent="3,412.38")  # 9.51 + 30 + 18 + 29 + 10 = 96.51
    assert not [f for f in _table_findings(ok) if f.severity in ("error", "warning")]
    bad = _SHEET.format(total="94.51", spent="3,412.38")
    (f,) = [f for f in _table_findings(bad) if f.rule == "arithmetic.sum"]
    assert f.expected == "96.51" and f.actual == "94.51" and f.spans[0].text == "9.51"
    # the 分值 that do not reach the total's (no money block above): the sheet is not read
    alone = bad[bad.index("绩效指标"):]
    assert not [f for f in _table_findings(alone) if f.rule == "arithmetic.sum"]


def test_self_evaluation_sheet_against_prose():
    """The sheet's 全年执行数 and the prose's 全年实际支出 are one figure."""
    bad = _SHEET.format(total="96.51", spent="3,421.38")
    (f,) = [f for f in _table_findings(bad) if f.rule == "repeated_total"]
    assert [s.text for s in f.spans] == ["3,412.38", "3,421.38万元"] and f.severity == "error"
    # a part (其中…项目支出) or another year's spending is not the sheet's whole
    other = _SHEET.format(total="96.51", spent="3,412.38").replace(
        "全年实际支出3,412.38万元", "全年实际支出3,412.38万元，上年全年实际支出3,021.38万元")
    assert not [f for f in _table_findings(other) if f.rule == "repeated_total"]


_PIPE_SHEET = (
    "项目支出绩效自评表\n金额单位：万元\n"
    "项目名称 | 某县2023年高标准农田建设项目\n"
    "主管部门 | 某县农业农村局 | 实施单位 | 某县农田建设服务中心\n"
    "项目资金 | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分\n"
    "年度资金总额 | 12,600.00 | 12,600.00 | {total} | 10 | 94.24% | 9.42\n"
    "其中：中央补助资金 | 8,400.00 | 8,400.00 | 8,400.00 | — | — | —\n"
    "省级补助资金 | 2,520.00 | 2,520.00 | 2,289.20 | — | — | —\n"
    "县级配套资金 | 1,680.00 | 1,680.00 | 1,185.12 | — | — | —\n"
    "绩效指标\n"
    "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分\n"
    "效益指标 | 社会效益指标 | 受益农户 | ≥8000户 | 8,326户 | 10 | 10\n"
    "满意度指标 | 服务对象满意度指标 | 受益农户满意度 | ≥90% | 95.2% | 10 | 10\n"
    "\n（二）产出和效益情况。项目建成后，受益农户{prose}户，受益农户满意度95.2%。\n"
)


def test_pipe_sheet_whole_row_over_its_parts():
    """`年度资金总额` first and `其中：…` rows after it: the whole over its parts, a dash is none;
    the rows under the 主管部门 line are a table of their own."""
    ok = _PIPE_SHEET.format(total="11,874.32", prose="8,326")  # 8,400 + 2,289.20 + 1,185.12
    assert not [f for f in _table_findings(ok) if f.severity in ("error", "warning")]
    bad = _PIPE_SHEET.format(total="11,847.32", prose="8,326")
    (f,) = [f for f in _table_findings(bad) if f.rule == "arithmetic.sum"]
    assert f.expected == "11,874.32" and f.actual == "11,847.32"


def test_indicator_actual_value_against_the_prose():
    bad = _PIPE_SHEET.format(total="11,874.32", prose="8,362")
    (f,) = [f for f in _table_findings(bad) if f.rule == "repeated_total"]
    assert [s.text for s in f.spans] == ["8,326户", "8,362户"]


def test_tab_sheet_total_row_a_cell_short_and_a_second_header_at_the_same_width():
    table = ("序号\t单位\t得分\t评价等级\t2024年预算（万元）\t压减金额（万元）\n"
             "1\t县农业农村委\t76.5\t中\t2,860.00\t286.00\n2\t县交通局\t84\t良\t1,950.00\t—\n"
             "3\t县城市管理局\t68\t中\t936.00\t93.60\n合计\t\t\t5,746.00\t{cut}\n")
    assert not [f for f in _table_findings(table.format(cut="379.60")) if f.severity in ("error", "warning")]
    (f,) = [f for f in _table_findings(table.format(cut="399.60")) if f.rule == "arithmetic.sum"]
    assert f.expected == "379.60"
    sheet = ("项目资金（万元） | 年初预算数 | 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分\n"
             "年度资金总额 | 27,860.00 | 29,500.00 | 28,736.42 | 10 | 97.41% | 9.74\n"
             "其中：中央衔接资金 | 17,200.00 | 18,650.00 | 18,204.37 | — | — | —\n"
             "省级衔接资金 | 10,660.00 | 10,850.00 | 10,532.05 | — | — | —\n"
             "一级指标 | 二级指标 | 三级指标 | 年度指标值 | 实际完成值 | 分值 | 得分\n"
             "产出指标 | 数量指标 | 实施衔接资金项目数 | 140个 | 146个 | 10 | 10\n"
             "产出指标 | 质量指标 | 项目验收合格率 | 100% | 100% | 10 | 10\n"
             "\n2023年全县共实施衔接资金项目{n}个。\n")
    assert not [f for f in _table_findings(sheet.format(n="146")) if f.severity in ("error", "warning")]
    (f,) = [f for f in _table_findings(sheet.format(n="164")) if f.rule == "repeated_total"]
    assert [s.text for s in f.spans] == ["146个", "164个"]


_LISTED = (
    "一、评价组织情况\n本次选取农业、水利、教育等领域{n}个项目开展重点评价，评价项目资金合计{total}万元。\n"
    "二、评价结果\n{n}个项目平均得分85.3分。分项目看：\n"
    "1.高标准农田建设项目，涉及资金2,480.00万元，评价得分91.5分，等级“优”；\n"
    "2.农村饮水安全巩固提升项目，涉及资金1,365.50万元，评价得分84.0分，等级“良”；\n"
    "3.义务教育薄弱环节改善项目，涉及资金{third}万元，评价得分78.5分，等级“中”。\n"
    "三、存在的问题\n部分项目绩效目标设置不够细化。\n"
)


def test_numbered_items_against_the_total_of_the_things_they_list():
    """Round 13 (68_rongcheng): N numbered lines, each with one amount under the same word,
    against the money of the N things stated in an earlier section (2,480 + 1,365.50 + 920.30
    = 4,765.80)."""
    ok = _LISTED.format(n=3, total="4,765.80", third="920.30")
    assert not [f for f in _table_findings(ok) if f.severity in ("error", "warning")]
    (f,) = [f for f in _table_findings(_LISTED.format(n=3, total="4,765.80", third="902.30")) if f.rule == "arithmetic.sum"]
    assert f.expected == "4,747.80万元" and f.actual == "4,765.80万元" and f.severity == "error"
    # the head counts other things than the list holds (4 projects, 3 listed): not the list's total
    assert not [f for f in _table_findings(_LISTED.format(n=4, total="4,765.80", third="902.30"))
                if f.rule == "arithmetic.sum"]
    # an item with two figures (预算…，支出…) is not one figure per item
    two = _LISTED.format(n=3, total="4,765.80", third="902.30").replace("涉及资金2,480.00万元", "预算2,480.00万元、支出2,310.00万元")
    assert not [f for f in _table_findings(two) if f.rule == "arithmetic.sum"]


def test_money_block_with_its_stub_cell_spanning_the_rows_against_the_prose():
    """Round 13 (69_xinzheng): the 项目资金（万元） stub spans the money rows, so each row opens
    with an empty cell and its label is the second: the 年度资金总额 row is still the whole, its
    全年执行数 set against the prose's, and its 其中 rows summed under it."""
    sheet = ("项目资金（万元）\t\t年初预算数\t全年预算数\t全年执行数\t分值\t执行率\t得分\n"
             "\t年度资金总额\t1,280.00\t1,356.40\t1,298.75\t10\t95.75%\t9.58\n"
             "\t其中：当年财政拨款\t1,080.00\t1,156.40\t{part}\t—\t96.19%\t—\n"
             "\t上年结转资金\t200.00\t200.00\t186.40\t—\t93.20%\t—\n"
             "\n三、项目资金使用情况\n截至2023年12月31日，项目全年执行数{prose}万元，主要用于管网维修养护。\n")
    assert not [f for f in _table_findings(sheet.format(part="1,112.35", prose="1,298.75")) if f.severity in ("error", "warning")]
    (f,) = [f for f in _table_findings(sheet.format(part="1,112.35", prose="1,289.75")) if f.rule == "repeated_total"]
    assert [s.text for s in f.spans] == ["1,298.75", "1,289.75万元"]
    (f,) = [f for f in _table_findings(sheet.format(part="1,121.35", prose="1,298.75")) if f.rule == "arithmetic.sum"]
    assert f.expected == "1,307.75" and f.actual == "1,298.75"
