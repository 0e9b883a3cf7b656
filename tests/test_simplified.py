"""The Simplified-script view the checks read a Traditional report through."""
from pathlib import Path

import pytest

from extractors.simplified import is_traditional, simplified_view

ROOT = Path(__file__).resolve().parents[1]

TRADITIONAL = ("全縣預算部門申報項目預算資金３６，０５５萬元，經審核確定２８，７６４萬元，審減７，２９１萬元，"
               "審減率２０．２２％。評價等級為「優」的項目１２個。")


def test_a_traditional_report_reads_as_simplified_character_for_character():
    view = simplified_view(TRADITIONAL)
    assert len(view) == len(TRADITIONAL)
    assert view.startswith("全县预算部门申报项目预算资金３６，０５５万元，经审核确定２８，７６４万元，审减７，２９１万元")
    assert "评价等级为“优”的项目１２个" in view  # corner quotes become the quotes Simplified texts use
    # digits, punctuation and characters both scripts share stay as they are
    assert all(a == b for a, b in zip(view, TRADITIONAL) if not ("\u4e00" <= a <= "\u9fff" or a in "“”"))


@pytest.mark.parametrize("text", [
    "全县预算部门申报项目预算资金36,055万元，经审核确定28,764万元，审减7,291万元。",
    # a Simplified report that quotes a Traditional title is still Simplified
    "全县申报资金36,055万元，经审核确定28,764万元，审减7,291万元，审减率20.22%。" * 6
    + "参照《臺灣地區預算法》和《香港公共財政條例》的做法，完善预算绩效管理制度。",
    "",
])
def test_a_simplified_text_is_returned_as_it_is(text):
    assert not is_traditional(text)
    assert simplified_view(text) is text


def test_the_held_out_traditional_reports_are_recognised():
    found = sorted(p.name for p in (ROOT / "tests" / "holdout").glob("*.txt")
                   if is_traditional(p.read_text(encoding="utf-8")))
    assert found == ["02_taishan.txt", "16_hengzhou.txt", "22_lianjiang.txt", "27_kunshan.txt", "42_taishan.txt", "48_meihekou.txt", "53_rudong.txt", "70_shunde.txt", "87_kaiping.txt"]
    for p in (ROOT / "corpus").glob("*.txt"):
        assert not is_traditional(p.read_text(encoding="utf-8")), p.name


def test_the_table_maps_one_character_to_one_character():
    rows = [line.split("\t") for line in (ROOT / "extractors" / "data" / "t2s.tsv").read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    assert len(rows) > 2500
    for t, s in rows:
        assert len(t) == 1 and len(s) == 1 and t != s, (t, s)
    simplified = {s for _, s in rows}
    assert {"审", "减", "报", "评", "价", "万", "亿", "项"} <= simplified


def _record(text: str):
    from pipeline.run import extract_document
    from schemas import Document

    return extract_document(Document(source="t.txt", doc_id="t", format="txt", text=text))


REPORT = ("二、績效目標管理\n全縣預算部門申報項目預算資金３６，０５５萬元，經審核確定２８，７６４萬元，審減{cut}萬元，"
          "審減率２０．２２％。績效目標審核覆蓋全部預算部門，對目標不明確、指標不可衡量的項目一律退回修改。\n")


def test_the_checks_read_a_traditional_report():
    consistent = _record(REPORT.format(cut="７，２９１"))
    assert not [f for f in consistent.findings if f.severity == "error"]
    names = {m.name: m.value for m in consistent.metrics}
    assert names["targets.amount_declared"] == 360550000 and names["targets.cut_amount"] == 72910000
    # the evidence and the sections keep the source's characters
    m = next(m for m in consistent.metrics if m.name == "targets.cut_amount")
    assert m.evidence[0].text == "７，２９１萬元"
    assert consistent.sections[0].title.startswith("績效目標管理") or "績效" in consistent.sections[0].title

    wrong = _record(REPORT.format(cut="７，９２１"))  # 36,055 − 28,764 = 7,291, not 7,921
    assert any(f.rule == "arithmetic.difference" and f.severity == "error" for f in wrong.findings)
