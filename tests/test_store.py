"""The DuckDB store: DDL derived from the models, round trip, views, cross-document checks,
SQL output formats and the write lock."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline import store
from schemas import (
    Amount, Count, Coverage, Date, DocNumber, Document, ExtractRecord, Finding, Grade, Metric, Rate, Score,
    Section, Span,
)
from schemas.ddl import FACT_MODELS, RENAMES, duck_type, table_columns
from schemas.models import Dec

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


# --------------------------------------------------------------------------- DDL covers the models


def _cols(table: str) -> dict[str, str]:
    return dict(table_columns()[table])


def test_every_fact_field_has_a_column_of_the_right_type():
    facts = _cols("facts")
    for kind, model in FACT_MODELS.items():
        for name, info in model.model_fields.items():
            col = RENAMES.get((model.__name__, name), name)
            assert col in facts, f"{model.__name__}.{name} has no column in facts"
    # money, rates and scores are exact: DECIMAL, never DOUBLE
    for col in ("value_yuan", "low", "high", "value"):
        assert facts[col].startswith("DECIMAL"), col
    assert "DOUBLE" not in {facts[c] for c in ("value_yuan", "value")}
    assert facts["serials"] == "BIGINT[]"
    assert facts["score_kind"] == "VARCHAR"  # Score.kind, renamed: `kind` is the fact kind


def test_every_record_section_metric_finding_field_has_a_column():
    docs = _cols("documents")
    for name in ExtractRecord.model_fields:
        if name in ("amounts", "rates", "counts", "doc_numbers", "grades", "scores", "dates",
                    "metrics", "findings", "sections", "error"):
            continue  # other tables (error -> ingest_errors)
        if name == "coverage":
            for c in Coverage.model_fields:
                assert f"coverage_{c}" in docs
            continue
        assert name in docs, f"ExtractRecord.{name} not in documents"
    for name in ("text", "encoding", "pages", "blocks"):
        assert name in docs and name in Document.model_fields
    for table, model in (("sections", Section), ("metrics", Metric), ("findings", Finding)):
        cols = _cols(table)
        for name in model.model_fields:
            assert name in cols, f"{model.__name__}.{name} not in {table}"
    assert _cols("metrics")["value"].startswith("DECIMAL")
    assert _cols("metrics")["evidence"] == "JSON"
    assert {"source", "doc_id", "code", "message", "at"} <= set(_cols("ingest_errors"))


def test_an_older_store_gains_the_columns_of_a_newer_model(tmp_path):
    import duckdb

    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute("CREATE TABLE facts (doc_id VARCHAR, kind VARCHAR, idx INTEGER, text VARCHAR)")
    con.close()
    con = store.connect(db)
    cols = {r[0] for r in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = 'facts'").fetchall()}
    assert {"value_yuan", "canonical", "score_kind", "iso_end"} <= cols
    con.execute("SELECT count(*) FROM amounts").fetchone()


def test_type_mapper_refuses_what_it_does_not_know():
    assert duck_type(Dec).startswith("DECIMAL")
    assert duck_type(int) == "BIGINT"
    with pytest.raises(TypeError):
        duck_type(complex)


# --------------------------------------------------------------------------- a hand-made record from a seed


def _seed_record(path: str = "corpus/003_c04b857fcd71b1be.txt") -> tuple[Document, ExtractRecord]:
    text = (ROOT / path).read_text(encoding="utf-8-sig")

    def at(s: str, nth: int = 0) -> tuple[int, int]:
        i = -1
        for _ in range(nth + 1):
            i = text.index(s, i + 1)
        return i, i + len(s)

    a0, a1 = at("62,531万元")
    d0, d1 = at("师财绩[2022]13号")
    doc = Document(source=path, doc_id="f" * 64, format="txt", text=text, encoding="utf-8")
    record = ExtractRecord(
        source=path, doc_id="f" * 64, format="txt", title="师宗县2023年预算绩效工作开展情况", jurisdiction="师宗县",
        province="云南省", prefecture="曲靖市", admin_code="530323", fiscal_year=2023,
        amounts=[Amount(text="62,531万元", start=a0, end=a1, value_yuan=Decimal("625310000"), unit="万元",
                        section="一/（一）"),
                 Amount(text="62,531万元", start=a0, end=a1, value_yuan=Decimal("625310000"), unit="万元",
                        qualifier="about", low=Decimal("625305000"), high=Decimal("625315000"), decimals=0)],
        rates=[Rate(text="2.035%", start=0, end=6, value=Decimal("0.02035"), decimals=3)],
        counts=[Count(text="4个", start=a0 - 7, end=a0 - 5, value=4, classifier="个", subject="专项资金")],
        doc_numbers=[DocNumber(text="师财绩[2022]13号", start=d0, end=d1, canonical="师财绩〔2022〕13号", issuer="师财绩",
                               year=2022, serials=[13], title="关于做好2023年度预算绩效目标编审工作的通知")],
        grades=[Grade(text="优的3个", start=0, end=4, level="优", count=3, subject="项目")],
        scores=[Score(text="87.5分", start=0, end=5, value=Decimal("87.5"), kind="average")],
        dates=[Date(text="2023年3月", start=0, end=7, iso="2023-03", precision="month")],
        metrics=[Metric(name="key_eval.amount", value=Decimal("625310000"), unit="yuan", section="一/（一）",
                        evidence=[Span(start=a0, end=a1, text="62,531万元")])],
        findings=[Finding(rule="repeated_total", severity="warning", message="同一组4个专项资金出现两个不同的合计金额",
                          values=["62,531万元", "66,531万元"], spans=[Span(start=a0, end=a1, text="62,531万元")],
                          expected="62,531万元", actual="66,531万元")],
        coverage=Coverage(amounts_reported=2, amounts_checked=1, share=0.5),
        sections=[Section(path="一", label="一、", level=1, title="预算绩效工作开展情况", start=0, end=100)],
        warnings=["w"], pipeline_version="test",
    )
    return doc, record


def test_round_trip_rebuilds_the_record_exactly(tmp_path):
    doc, record = _seed_record()
    db = tmp_path / "s.duckdb"
    con = store.connect(db)
    store.write_record(con, doc, record)
    store.write_record(con, doc, record)  # again: replaces, no duplicate rows
    assert con.execute("SELECT count(*) FROM facts").fetchone()[0] == 8  # 2 amounts + one of each other kind
    assert con.execute("SELECT n_facts FROM documents").fetchone()[0] == 8  # 2 amounts + one of each other kind
    con.close()
    [(text, back)] = list(store.iter_records(db))
    assert text == doc.text
    assert back == record
    assert back.model_dump_json() == record.model_dump_json()  # decimals print the same ("0.02035", "625310000")
    a = back.amounts[0]
    assert text[a.start:a.end] == a.text == "62,531万元"


def test_typed_views_and_exact_decimals(tmp_path):
    doc, record = _seed_record()
    con = store.connect(tmp_path / "s.duckdb")
    store.write_record(con, doc, record)
    assert con.execute("SELECT sum(value_yuan) FROM amounts").fetchone()[0] == Decimal("1250620000")
    assert con.execute("SELECT value FROM rates").fetchone()[0] == Decimal("0.02035")
    assert con.execute("SELECT value, classifier, subject FROM counts").fetchone() == (4, "个", "专项资金")
    assert con.execute("SELECT canonical, serials FROM doc_numbers").fetchone() == ("师财绩〔2022〕13号", [13])
    assert con.execute("SELECT score_kind FROM scores").fetchone()[0] == "average"
    assert con.execute("SELECT errors, warnings, rules FROM findings_by_document").fetchone() == (0, 1, ["repeated_total"])


def _mini(doc_id: str, source: str, jurisdiction: str, year: int, metrics: list[Metric], **kw) -> tuple[Document, ExtractRecord]:
    doc = Document(source=source, doc_id=doc_id, format="txt", text="x" * 50)
    rec = ExtractRecord(source=source, doc_id=doc_id, format="txt", jurisdiction=jurisdiction, fiscal_year=year,
                        metrics=metrics, **kw)
    return doc, rec


def _m(name: str, value: str, unit: str = "yuan") -> Metric:
    return Metric(name=name, value=Decimal(value), unit=unit, evidence=[Span(start=0, end=1, text="x")])


def test_metrics_wide_one_row_per_jurisdiction_and_year(tmp_path):
    con = store.connect(tmp_path / "w.duckdb")
    grades = [_m("key_eval.grade.优", "3", "count"), _m("key_eval.grade.良", "1", "count"),
              _m("key_eval.grade.中", "0", "count"), _m("key_eval.grade.差", "0", "count")]
    store.write_record(con, *_mini("a" * 64, "a.txt", "师宗县", 2023, [
        _m("targets.amount_declared", "667872100"), _m("targets.cut_amount", "13568900"),
        _m("targets.cut_rate", "0.0203", "fraction"), _m("key_eval.projects", "4", "count"),
        _m("key_eval.avg_score", "87.50", "score"), *grades],
        findings=[Finding(rule="arithmetic.difference", severity="error", message="m", values=[], spans=[])]))
    store.write_record(con, *_mini("b" * 64, "b.txt", "西工区", 2023, [_m("targets.cut_amount", "100")]))
    rows = con.execute("SELECT jurisdiction, targets_cut_amount_yuan, targets_cut_rate, key_eval_projects, "
                       "key_eval_grade_excellent_share, key_eval_grade_good_share, key_eval_avg_score, findings_error "
                       "FROM metrics_wide ORDER BY jurisdiction").fetchall()
    # shares worked out by hand: 3 of 4 优, 1 of 4 良
    assert rows[0] == ("师宗县", Decimal("13568900.00"), Decimal("0.020300"), 4, Decimal("0.7500"), Decimal("0.2500"),
                       Decimal("87.5000"), 1)
    assert rows[1][:2] == ("西工区", Decimal("100.00"))
    assert rows[1][3] is None and rows[1][7] == 0


def test_cross_document_checks(tmp_path):
    con = store.connect(tmp_path / "x.duckdb")
    title_a, title_b = "关于印发预算绩效管理办法的通知", "关于开展重点绩效评价的通知"

    def dn(*titles):
        return [DocNumber(text="师财〔2023〕5号", start=0, end=9, canonical="师财〔2023〕5号", issuer="师财", year=2023,
                          serials=[5], title=t) for t in titles]

    store.write_record(con, *_mini("a" * 64, "a.txt", "师宗县", 2023, [_m("targets.cut_amount", "13568900")],
                                   doc_numbers=dn(title_a)))
    store.write_record(con, *_mini("b" * 64, "b.docx", "师宗县", 2023, [_m("targets.cut_amount", "13569900")],
                                   doc_numbers=dn(title_b)))
    # another year, and a third file that repeats the first figure: neither adds a conflict row
    store.write_record(con, *_mini("c" * 64, "c.pdf", "师宗县", 2022, [_m("targets.cut_amount", "1")]))
    store.write_record(con, *_mini("d" * 64, "d.pdf", "师宗县", 2023, [_m("targets.cut_amount", "13568900")],
                                   doc_numbers=dn("《预算绩效管理办法》")))  # same document as title_a, written differently
    conflicts = con.execute("SELECT metric, n_documents, \"values\" FROM cross_jurisdiction_year").fetchall()
    assert conflicts == [("targets.cut_amount", 3, [Decimal("13568900"), Decimal("13569900")])]
    titles = con.execute("SELECT canonical, n_documents, titles FROM cross_doc_number_titles").fetchall()
    assert titles == [("师财〔2023〕5号", 3, sorted([title_a, title_b, "《预算绩效管理办法》"]))]
    found = {r["rule"]: r for r in store.cross_findings(con)}
    assert sorted(found) == ["cross.doc_number_title", "cross.jurisdiction_year"]
    assert "13568900 / 13569900" in found["cross.jurisdiction_year"]["message"]
    assert found["cross.jurisdiction_year"]["sources"] == ["a.txt", "b.docx", "d.pdf"]


def test_one_documents_own_title_conflict_is_not_a_cross_document_finding(tmp_path):
    con = store.connect(tmp_path / "y.duckdb")

    def dn(*titles):
        return [DocNumber(text="昆经开财〔2018〕86号", start=0, end=12, canonical="昆经开财〔2018〕86号", issuer="昆经开财",
                          year=2018, serials=[86], title=t) for t in titles]

    both = ("经开区区本级项目支出事前绩效评估管理暂行办法", "经开区预算绩效跟踪管理暂行办法")
    store.write_record(con, *_mini("a" * 64, "a.txt", "经开区", 2023, [], doc_numbers=dn(*both)))
    store.write_record(con, *_mini("b" * 64, "b.txt", "经开区", 2024, [], doc_numbers=dn(*both)))
    store.write_record(con, *_mini("c" * 64, "c.txt", "经开区", 2022, [], doc_numbers=dn(both[0] + "的通知")))
    assert con.execute("SELECT count(*) FROM cross_doc_number_titles").fetchone()[0] == 0


# --------------------------------------------------------------------------- SQL output and the lock


def test_json_and_csv_output_keep_decimals_as_strings():
    cols = ["j", "amount", "rate", "n", "tags"]
    rows = [("师宗县", Decimal("13568900.00000000"), Decimal("0.02030000"), 4, ["a"]), (None, None, None, None, None)]
    data = json.loads(store.to_json(cols, rows))
    assert data[0] == {"j": "师宗县", "amount": "13568900", "rate": "0.0203", "n": 4, "tags": ["a"]}
    assert data[1]["amount"] is None
    table = list(csv.reader(io.StringIO(store.to_csv(cols, rows))))
    assert table[0] == cols
    assert table[1][:4] == ["师宗县", "13568900", "0.0203", "4"]


def test_cli_sql_json_and_csv(tmp_path):
    doc, record = _seed_record()
    db = tmp_path / "q.duckdb"
    con = store.connect(db)
    store.write_record(con, doc, record)
    con.close()
    q = "SELECT kind, value_yuan, value FROM facts WHERE kind IN ('amount', 'rate') ORDER BY kind, idx"
    out = subprocess.run([str(VENV_BIN / "jixiao"), "sql", "--db", str(db), q, "--json"], capture_output=True,
                         text=True, check=True).stdout
    assert json.loads(out) == [
        {"kind": "amount", "value_yuan": "625310000", "value": None},
        {"kind": "amount", "value_yuan": "625310000", "value": None},
        {"kind": "rate", "value_yuan": None, "value": "0.02035"},
    ]
    out = subprocess.run([str(VENV_BIN / "jixiao"), "sql", "--db", str(db), q, "--csv"], capture_output=True,
                         text=True, check=True).stdout
    assert out.splitlines() == ["kind,value_yuan,value", "amount,625310000,", "amount,625310000,", "rate,,0.02035"]
    out = subprocess.run([str(VENV_BIN / "jixiao"), "sql", "--db", str(db), "SELECT value, evidence FROM metrics", "--json"],
                         capture_output=True, text=True, check=True).stdout
    a0 = record.amounts[0].start
    assert json.loads(out) == [{"value": "625310000", "evidence": [{"start": a0, "end": a0 + 8, "text": "62,531万元"}]}]
    bad = subprocess.run([str(VENV_BIN / "jixiao"), "sql", "--db", str(db), "SELEC nonsense"], capture_output=True, text=True)
    assert bad.returncode == 2 and "SQL" in bad.stderr and "Traceback" not in bad.stderr
    # read-only: a write is refused
    ro = subprocess.run([str(VENV_BIN / "jixiao"), "sql", "--db", str(db), "DELETE FROM facts"], capture_output=True, text=True)
    assert ro.returncode == 2 and "Traceback" not in ro.stderr


def test_export_parquet(tmp_path):
    doc, record = _seed_record()
    db = tmp_path / "e.duckdb"
    con = store.connect(db)
    store.write_record(con, doc, record)
    con.close()
    out = tmp_path / "pq"
    subprocess.run([str(VENV_BIN / "jixiao"), "export", "--db", str(db), "--parquet", str(out)], check=True,
                   capture_output=True)
    import duckdb

    n = duckdb.connect().execute(f"SELECT count(*) FROM read_parquet('{out / 'facts.parquet'}')").fetchone()[0]
    assert n == 8
    assert (out / "documents.parquet").exists() and (out / "metrics_wide.parquet").exists()


def _hold_lock(db: Path):
    code = f"import duckdb, sys, time; c = duckdb.connect({str(db)!r}); print('locked', flush=True); time.sleep(30)"
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert p.stdout.readline().strip() == "locked"
    return p


def test_second_writer_gets_a_clear_lock_error(tmp_path):
    db = tmp_path / "l.duckdb"
    store.connect(db).close()
    holder = _hold_lock(db)
    try:
        with pytest.raises(store.StoreLocked) as e:
            store.connect(db)
        msg = str(e.value)
        assert "加锁" in msg and "locked" in msg and str(holder.pid) in msg
        run = subprocess.run([str(VENV_BIN / "jixiao"), "ingest", str(ROOT / "corpus"), "--db", str(db), "-q"],
                             capture_output=True, text=True)
        assert run.returncode == 2
        assert "加锁" in run.stderr and "Traceback" not in run.stderr
    finally:
        holder.kill()
        holder.wait()
