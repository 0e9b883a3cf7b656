"""Acceptance on the seeds: the four contradictions the answer keys list are found, and no
other `error` fires. Run twice: on the answer keys' own facts (the checks alone) and
through the real pipeline (extractors + checks)."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest

import gold_facts
from pipeline.analyse import analyse
from pipeline.read import read
from pipeline.run import extract_document

_NUM = re.compile(r"\d[\d,，]*(?:\.\d+)?")
SEEDS = gold_facts.seeds()


def _numbers(values) -> frozenset:
    return frozenset(Decimal(m.replace(",", "").replace("，", "")) for v in values for m in _NUM.findall(v))


def _check(stem, rec):
    gold = gold_facts.gold(stem)["findings"]
    found = [f for f in rec.findings if f.severity in ("error", "warning")]
    for g in gold:
        hits = [f for f in found if f.rule == g["rule"] and _numbers(g["values"]) <= _numbers(f.values)]
        assert hits, (stem, g["rule"], g["values"], [f.message for f in found])
        assert hits[0].severity == g["severity"], (g["rule"], hits[0].severity)
        assert hits[0].message and hits[0].spans and hits[0].expected and hits[0].actual
    errors = [f for f in found if f.severity == "error"]
    assert len(errors) == sum(1 for g in gold if g["severity"] == "error"), [f.message for f in errors]
    warnings = [f for f in found if f.severity == "warning"]
    assert len(warnings) == sum(1 for g in gold if g["severity"] == "warning"), [f.message for f in warnings]


@pytest.mark.parametrize("stem", SEEDS)
def test_seed_findings_on_answer_key_facts(stem):
    doc, rec = gold_facts.record(stem)
    _check(stem, analyse(doc, rec))


@pytest.mark.parametrize("stem", SEEDS)
def test_seed_findings_through_the_pipeline(stem):
    doc = read(gold_facts.CORPUS / f"{stem}.txt")
    _check(stem, extract_document(doc))


def test_seed_000_messages_quote_both_figures():
    doc = read(gold_facts.CORPUS / "000_cc7d55e875232053.txt")
    rec = extract_document(doc)
    (diff,) = [f for f in rec.findings if f.rule == "arithmetic.difference"]
    assert "1,356.86万元" in diff.message and "1,356.89万元" in diff.message
    assert diff.expected == "1,356.86万元"
    for sp in diff.spans:
        assert doc.text[sp.start:sp.end] == sp.text
    (dn,) = [f for f in rec.findings if f.rule == "doc_number.conflict"]
    assert "昆经开财〔2018〕86号" in dn.message and "昆经开财〔2019〕86号" in dn.message


def test_every_fact_gets_its_section():
    doc = read(gold_facts.CORPUS / "000_cc7d55e875232053.txt")
    rec = extract_document(doc)
    by_text = {}
    for a in rec.amounts:
        by_text.setdefault(a.text, []).append(a.section)
    assert by_text["66,787.21万元"] == ["三/（一）"]
    assert by_text["1,468万元"] == ["2/（二）"]
    assert by_text["4.9亿元"] == ["四/（一）", "四/（二）"]
    assert [s.path for s in rec.sections][:4] == ["1", "1/（一）", "1/（2）", "1/（3）"]


def test_coverage_per_seed():
    """The share of reported amounts the checks used (the figures are the closing note's)."""
    shares = {}
    for stem in SEEDS:
        rec = extract_document(read(gold_facts.CORPUS / f"{stem}.txt"))
        c = rec.coverage
        assert c.amounts_checked <= c.amounts_reported
        shares[stem[:3]] = (c.amounts_checked, c.amounts_reported)
    # 000: all but 总投资, 预算申报金额 and the ex-ante cut (no relation states them twice)
    assert shares["000"] == (13, 16)
    assert shares["003"][0] >= 8
