"""The synthetic corpus: distinct reports, real places, consistent figures, known contradictions."""
from __future__ import annotations

import json
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from pipeline.generate import AUTONOMOUS_PREFECTURES, COUNTIES, DISTRICTS, ZONES, generate, scale_amounts, shift_years

ROOT = Path(__file__).resolve().parent.parent

# the genre paragraph, parsed independently of the generator: declared, approved, cut, rate
_TARGET = re.compile(r"(?:申报预算金额|项目申报金额|涉及申报资金)([\d,.]+)万元，(?:审核后安排|审定金额|经审核确定预算)([\d,.]+)万元，"
                     r"(?:核减|审减资金|共核减)([\d,.]+)万元，(?:核减率|审减率|核减比例为)([\d.]+)%")
_GRADES = re.compile(r"(\d+)个(?:重点)?项目.{0,80}?(?:优|优秀)\D{0,3}(\d+)个\D{1,6}(\d+)个\D{1,6}(\d+)个\D{1,6}(\d+)个")
_GRADES2 = re.compile(r"重点绩效评价项目(\d+)个[^。]*?优(\d+)个、良(\d+)个、中(\d+)个、差(\d+)个")


def _d(s: str) -> Decimal:
    return Decimal(s.replace(",", ""))


def test_scaling_is_exact_and_keeps_the_writing():
    text = "审减金额137,784.25万元，审减率24%，全年1000万以上项目，3个项目"
    # × 1.5 by hand: 137,784.25 -> 206,676.375 ; 1000 -> 1500 ; rates and counts untouched
    assert scale_amounts(text, Decimal("1.5")) == "审减金额206,676.375万元，审减率24%，全年1500万以上项目，3个项目"


def test_years_shift_but_cited_documents_keep_theirs():
    text = "2023年度报告，依据师财绩〔2022〕13号和[2021]7号文件，2022-2023年"
    assert shift_years(text, 2) == "2025年度报告，依据师财绩〔2022〕13号和[2021]7号文件，2024-2025年"
    text = "印发《关于做好2023年度预算绩效目标编审工作的通知》（师财绩〔2022〕13号），2023年共审核"
    assert shift_years(text, -4) == "印发《关于做好2023年度预算绩效目标编审工作的通知》（师财绩〔2022〕13号），2019年共审核"
    assert shift_years("《关于印发《2022年办法》的通知》2022年", 1) == "《关于印发《2022年办法》的通知》2023年"


def test_generate_distinct_consistent_reports_with_known_contradictions(tmp_path):
    manifest = generate(30, tmp_path, formats=("txt",), contradiction_rate=0.2, seed=5)
    assert json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8")) == manifest
    assert len(manifest) == 30
    texts = [(tmp_path / e["file"]).read_text(encoding="utf-8") for e in manifest]
    assert len(set(texts)) == 30
    injected = [e for e in manifest if e["injected"]]
    assert len(injected) == 6  # 20 % of 30
    real = {n for _, _, n in COUNTIES} | {n for _, _, n in DISTRICTS} | {z[2] for z in ZONES} | {a[1] for a in AUTONOMOUS_PREFECTURES}
    for e, text in zip(manifest, texts):
        assert e["jurisdiction"] in real
        if e["jurisdiction"] not in ("师宗县", "西工区", "昆明经济技术开发区", "克孜勒苏柯尔克孜自治州", "宿州马鞍山现代产业园区"):
            for old in ("师宗县", "西工区", "昆明经济技术开发区", "宿马园区"):
                assert old not in text
        assert str(e["fiscal_year"]) in text[:200]
        rules = {i["rule"] for i in e["injected"]}
        m = _TARGET.search(text)
        # seed 000 reports its own target review and key evaluation: nothing is added to it
        assert bool(m) == ("targets.cut_amount" in e["metrics"]) == (not e["seed"].startswith("000_")), e["file"]
        if not m:
            assert not rules
            continue
        declared, approved, cut, rate = (_d(g) for g in m.groups())
        if "arithmetic.difference" in rules:
            assert declared - approved != cut
        else:
            assert declared - approved == cut
        stated = (cut / declared * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if "arithmetic.rate" in rules:
            assert abs(stated - rate) >= 3
        else:
            assert stated == rate
        g = _GRADES.search(text) or _GRADES2.search(text)
        assert bool(g) == ("key_eval.projects" in e["metrics"]) == (e["seed"][:3] in ("001", "002")), e["file"]
        if not g:
            continue
        k, *counts = (int(x) for x in g.groups())
        assert (sum(counts) != k) == ("arithmetic.sum" in rules)
        for inj in e["injected"]:
            assert text[inj["start"]:inj["end"]] == inj["changed"] != inj["original"]


def test_seed_figures_scale_by_the_manifest_factor(tmp_path):
    manifest = generate(5, tmp_path, formats=("txt",), contradiction_rate=0, seed=11)
    e = next(e for e in manifest if e["seed"].startswith("000_"))
    text = (tmp_path / e["file"]).read_text(encoding="utf-8")
    factor = Decimal(e["factor"])
    # seed 000 says 审减金额137,784.25万元; the document numbers it cites are untouched
    v = (Decimal("137784.25") * factor).normalize()
    whole, _, frac = format(v, "f").partition(".")
    assert f"{int(whole):,}" + (f".{frac}" if frac else "") + "万元" in text
    # …with the new place's issuer code: 昆经开财〔2018〕86号 -> 合经开财〔2018〕86号 for 合肥经济技术开发区
    zone = e["jurisdiction"]
    abbr = zone[0] + ("经开" if "经济技术" in zone else "高新" if "高新" in zone else "")
    if "园区" not in zone:
        assert f"{abbr}财〔2018〕86号" in text
    assert "〔2018〕86号" in text


def test_same_seed_same_corpus(tmp_path):
    a = generate(6, tmp_path / "a", formats=("txt",), seed=2)
    b = generate(6, tmp_path / "b", formats=("txt",), seed=2)
    assert a == b
    assert [(tmp_path / "a" / e["file"]).read_bytes() for e in a] == [(tmp_path / "b" / e["file"]).read_bytes() for e in b]


def test_resubmissions_repeat_a_place_and_year_with_other_figures(tmp_path):
    manifest = generate(40, tmp_path, formats=("txt",), contradiction_rate=0, seed=4, resubmission_rate=0.1)
    by_file = {e["file"]: e for e in manifest}
    resub = [e for e in manifest if "resubmission_of" in e]
    assert len(resub) == 4
    for e in resub:
        first = by_file[e["resubmission_of"]]
        assert (first["jurisdiction"], first["fiscal_year"]) == (e["jurisdiction"], e["fiscal_year"])
        assert first["factor"] != e["factor"] or first["metrics"] != e["metrics"]
    # apart from those, every (place, year) is used once
    others = [(e["jurisdiction"], e["fiscal_year"]) for e in manifest if "resubmission_of" not in e]
    assert len(others) == len(set(others))
