"""Example tables per rule (tests/examples/checks/<rule>.tsv), run through the real pipeline.

Columns: text, expect, note. `expect` is `rule:severity` — that finding must fire — or
`none` — no `error` and no `warning` may fire at all. Rows are grouped by provenance in
comment lines; every table has at least 40 positive and 20 negative rows.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.run import extract_document
from schemas import Document

TABLES = sorted((Path(__file__).parent / "examples" / "checks").glob("*.tsv"))


def _rows(path: Path):
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        assert len(cols) >= 2, f"{path.name}:{n}: needs text<TAB>expect"
        yield pytest.param(cols[0], cols[1].strip(), id=f"{path.stem}:{n}")


def analyse_text(text: str):
    return extract_document(Document(source="example.txt", doc_id="example", format="txt", text=text))


@pytest.mark.parametrize("path", TABLES, ids=[p.stem for p in TABLES])
def test_table_sizes(path):
    rows = list(_rows(path))
    pos = sum(1 for r in rows if r.values[1] != "none")
    neg = sum(1 for r in rows if r.values[1] == "none")
    assert pos >= 40 and neg >= 20, (path.name, pos, neg)


@pytest.mark.parametrize("text,expect", [r for p in TABLES for r in _rows(p)])
def test_example(text, expect):
    rec = analyse_text(text)
    got = [(f.rule, f.severity) for f in rec.findings if f.severity in ("error", "warning")]
    if expect == "none":
        assert got == [], [f.message for f in rec.findings]
    else:
        rule, _, severity = expect.partition(":")
        assert (rule, severity) in got, (got, [f.message for f in rec.findings])
