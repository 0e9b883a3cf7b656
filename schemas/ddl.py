"""DuckDB DDL and JSON Schema, derived from the pydantic models in `schemas.models`.

The models stay the single source of truth: every table's columns are generated from
the models' fields by `duck_type()` (Decimal -> DECIMAL(38, 8), never DOUBLE), plus a
few store-only columns (doc_id, idx, ingested_at …) listed here by hand. A field type the
mapper does not know raises, so a new model field cannot silently miss the store
(tests/test_store.py asserts that every field has a column).
"""
from __future__ import annotations

import types
import typing
from decimal import Decimal
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from schemas.models import (
    Amount,
    Count,
    Coverage,
    Date,
    DocNumber,
    Document,
    ExtractRecord,
    Finding,
    Grade,
    Metric,
    Rate,
    Score,
    Section,
)

DECIMAL = "DECIMAL(38, 8)"  # money in 元 up to 10^30, fractions to 1e-8; exact, never DOUBLE

# fact kind (the `kind` column) -> model
FACT_MODELS: dict[str, type[BaseModel]] = {
    "amount": Amount,
    "rate": Rate,
    "count": Count,
    "doc_number": DocNumber,
    "grade": Grade,
    "score": Score,
    "date": Date,
}
# ExtractRecord list field -> fact kind
LIST_TO_KIND = {
    "amounts": "amount",
    "rates": "rate",
    "counts": "count",
    "doc_numbers": "doc_number",
    "grades": "grade",
    "scores": "score",
    "dates": "date",
}
# a model field whose name clashes with a store column gets another column name
RENAMES: dict[tuple[str, str], str] = {
    ("Score", "kind"): "score_kind",  # `kind` is the fact kind in the facts table
}
# typed views per kind: view name -> kind
KIND_VIEWS = {v: k for v, k in [("amounts", "amount"), ("rates", "rate"), ("counts", "count"),
                                  ("doc_numbers", "doc_number"), ("grades", "grade"),
                                  ("scores", "score"), ("dates", "date")]}


def _unwrap(tp: Any) -> tuple[Any, bool]:
    """Strip Optional/Annotated; return (inner type, nullable)."""
    nullable = False
    while True:
        origin = get_origin(tp)
        if origin is typing.Annotated:
            tp = get_args(tp)[0]
            continue
        if origin in (Union, types.UnionType):
            args = [a for a in get_args(tp) if a is not type(None)]
            if len(args) != len(get_args(tp)):
                nullable = True
            if len(args) == 1:
                tp = args[0]
                continue
            raise TypeError(f"no DuckDB type for union {tp!r}")
        return tp, nullable


def duck_type(tp: Any) -> str:
    """The DuckDB column type of one pydantic field annotation."""
    tp, _ = _unwrap(tp)
    origin = get_origin(tp)
    if origin is Literal:
        vals = get_args(tp)
        if all(isinstance(v, str) for v in vals):
            return "VARCHAR"
        if all(isinstance(v, int) for v in vals):
            return "INTEGER"
        raise TypeError(f"mixed Literal {tp!r}")
    if origin is list:
        (inner,) = get_args(tp)
        inner, _ = _unwrap(inner)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return "JSON"
        return duck_type(inner) + "[]"
    if tp is bool:
        return "BOOLEAN"
    if tp is int:
        return "BIGINT"
    if tp is str:
        return "VARCHAR"
    if tp is Decimal:
        return DECIMAL
    if tp is float:
        return "DOUBLE"  # shares and ratios only; money and scores are Decimal
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return "JSON"
    raise TypeError(f"no DuckDB type for {tp!r}")


def model_columns(model: type[BaseModel], skip: set[str] = frozenset()) -> list[tuple[str, str, str]]:
    """[(column, duck type, model field)] for every field of a model."""
    out = []
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        col = RENAMES.get((model.__name__, name), name)
        out.append((col, duck_type(info.annotation), name))
    return out


def _widen(a: str, b: str) -> str:
    if a == b:
        return a
    if {a, b} <= {"BIGINT", DECIMAL}:
        return DECIMAL
    raise TypeError(f"conflicting column types {a} / {b}")


def fact_columns() -> list[tuple[str, str]]:
    """Union of the columns of all fact kinds, in first-seen order, types widened."""
    cols: dict[str, str] = {}
    for model in FACT_MODELS.values():
        for col, typ, _ in model_columns(model):
            cols[col] = _widen(cols[col], typ) if col in cols else typ
    return list(cols.items())


# ExtractRecord fields that live in other tables (or nowhere: error -> ingest_errors)
_RECORD_ELSEWHERE = set(LIST_TO_KIND) | {"metrics", "findings", "sections", "coverage", "error"}
# Document fields already in ExtractRecord, or kept in ingest_errors
_DOCUMENT_ELSEWHERE = {"source", "doc_id", "format", "warnings", "error"}


def table_columns() -> dict[str, list[tuple[str, str]]]:
    """Every table: name -> [(column, type)]. The first column(s) form the key."""
    documents = [("doc_id", "VARCHAR")]
    for col, typ, _ in model_columns(ExtractRecord, skip=_RECORD_ELSEWHERE | {"doc_id"}):
        documents.append((col, typ))
    for col, typ, _ in model_columns(Coverage):
        documents.append(("coverage_" + col, typ))
    for col, typ, _ in model_columns(Document, skip=_DOCUMENT_ELSEWHERE):
        documents.append((col, typ))
    documents += [
        ("n_chars", "BIGINT"),
        ("size_bytes", "BIGINT"),
        ("n_facts", "BIGINT"),  # rows in `facts` for this document: a completeness check
        ("n_findings", "BIGINT"),
        ("ingested_at", "TIMESTAMP"),
    ]
    keyed = [("doc_id", "VARCHAR"), ("idx", "INTEGER")]
    return {
        "documents": documents,
        "sections": keyed + [(c, t) for c, t, _ in model_columns(Section)],
        "facts": [("doc_id", "VARCHAR"), ("kind", "VARCHAR"), ("idx", "INTEGER")] + fact_columns(),
        "metrics": keyed + [(c, t) for c, t, _ in model_columns(Metric)],
        "findings": keyed + [(c, t) for c, t, _ in model_columns(Finding)],
        "ingest_errors": [
            ("source", "VARCHAR"),
            ("doc_id", "VARCHAR"),
            ("code", "VARCHAR"),
            ("message", "VARCHAR"),
            ("at", "TIMESTAMP"),
            ("pipeline_version", "VARCHAR"),
        ],
    }


# Child tables carry no key: write_batch replaces a document's rows in one transaction, and
# an ART index on facts costs a third of the write time.
PRIMARY_KEYS = {
    "documents": ("doc_id",),
}

# metrics_wide: SPEC's metric vocabulary -> column. Money gets `_yuan`.
WIDE_METRICS = [
    "ex_ante.projects", "ex_ante.amount", "ex_ante.cut_amount",
    "targets.projects", "targets.departments", "targets.amount_declared", "targets.amount_approved",
    "targets.cut_amount", "targets.cut_rate",
    "monitoring.projects", "monitoring.amount", "monitoring.recovered_amount",
    "self_eval.projects", "self_eval.amount",
    "key_eval.projects", "key_eval.departments", "key_eval.amount",
    "key_eval.grade.优", "key_eval.grade.良", "key_eval.grade.中", "key_eval.grade.差",
    "key_eval.avg_score",
    "execution.budget", "execution.spent", "execution.rate",
]
_GRADE_WORD = {"优": "excellent", "良": "good", "中": "fair", "差": "poor"}


def wide_column(metric: str) -> str:
    stage, _, rest = metric.partition(".")
    if rest.startswith("grade."):
        return f"{stage}_grade_{_GRADE_WORD[rest[6:]]}"
    col = metric.replace(".", "_")
    if rest.endswith("amount") or rest.startswith("amount") or rest in ("budget", "spent"):
        col += "_yuan"
    return col


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# Long text is stored with zstd: DuckDB's automatic choice for strings (dictionary + FSST)
# analyses every segment it writes, and a checkpoint rewrites a table's last segment with
# all the strings appended to it since, which made this column most of a bulk load's cost
# (1,000 reports: 0.25 s of 1.4 s; 30,000: 2.6 ms a document instead of 1.1). zstd writes
# faster and is as small; short columns (ids, kinds, names) keep the automatic choice,
# which filters faster.
ZSTD_COLUMNS = {
    ("documents", "text"), ("documents", "blocks"), ("documents", "pages"),
    ("metrics", "evidence"), ("findings", "spans"),
}


def create_table_sql(name: str, cols: list[tuple[str, str]]) -> str:
    body = [f"    {_q(c)} {t}" + (" USING COMPRESSION zstd" if (name, c) in ZSTD_COLUMNS else "") for c, t in cols]
    pk = PRIMARY_KEYS.get(name)
    if pk:
        body.append(f"    PRIMARY KEY ({', '.join(_q(c) for c in pk)})")
    return f"CREATE TABLE IF NOT EXISTS {name} (\n" + ",\n".join(body) + "\n);"


def views_sql() -> list[str]:
    fact_cols = dict(fact_columns())
    views = []
    for view, kind in KIND_VIEWS.items():
        cols = [c for c, _, _ in model_columns(FACT_MODELS[kind])]
        sel = ", ".join(["doc_id", "idx"] + [_q(c) for c in cols])
        # counts: value is an integer
        if kind == "count":
            sel = sel.replace('"value"', 'CAST("value" AS BIGINT) AS "value"')
        views.append(f"CREATE OR REPLACE VIEW {view} AS SELECT {sel} FROM facts WHERE kind = '{kind}';")
    assert "value" in fact_cols

    # one row per (jurisdiction, fiscal_year): the latest-ingested document's first value of each metric
    pivots = []
    for m in WIDE_METRICS:
        col = wide_column(m)
        expr = f"max(value) FILTER (WHERE name = '{m}')"
        if m.endswith((".projects", ".departments")) or ".grade." in m:
            expr = f"CAST({expr} AS BIGINT)"
        elif col.endswith("_yuan"):
            expr = f"CAST({expr} AS DECIMAL(38, 2))"  # money to the fen
        elif m.endswith("avg_score"):
            expr = f"CAST({expr} AS DECIMAL(18, 4))"
        else:  # rates, as fractions
            expr = f"CAST({expr} AS DECIMAL(18, 6))"
        pivots.append(f"    {expr} AS {col}")
    grade_sum = " + ".join(f"coalesce(key_eval_grade_{w}, 0)" for w in _GRADE_WORD.values())
    shares = [
        f"    CASE WHEN ({grade_sum}) > 0 THEN CAST(key_eval_grade_{w} / ({grade_sum}) AS DECIMAL(10, 4)) END"
        f" AS key_eval_grade_{w}_share"
        for w in _GRADE_WORD.values()
    ]
    # the first mention in each document; of several documents, the latest ingested
    views.append(
        "CREATE OR REPLACE VIEW metrics_first AS\n"
        "SELECT jurisdiction, fiscal_year, name, arg_max(value, ingested_at) AS value, arg_max(doc_id, ingested_at) AS doc_id\n"
        "FROM (\n"
        "  SELECT d.jurisdiction, d.fiscal_year, m.doc_id, m.name, arg_min(m.value, m.idx) AS value,\n"
        "         any_value(d.ingested_at) AS ingested_at\n"
        "  FROM metrics m JOIN documents d USING (doc_id)\n"
        "  GROUP BY d.jurisdiction, d.fiscal_year, m.doc_id, m.name\n"
        ")\n"
        "GROUP BY jurisdiction, fiscal_year, name;"
    )
    views.append(
        "CREATE OR REPLACE VIEW metrics_wide AS\n"
        "WITH p AS (\n  SELECT jurisdiction, fiscal_year,\n" + ",\n".join(pivots) + "\n"
        "  FROM metrics_first GROUP BY jurisdiction, fiscal_year\n),\n"
        "docs AS (\n"
        "  SELECT d.jurisdiction, d.fiscal_year, count(*) AS n_documents,\n"
        "         any_value(d.province) AS province, any_value(d.admin_code) AS admin_code,\n"
        "         sum(coalesce(f.n_error, 0)) AS findings_error, sum(coalesce(f.n_warning, 0)) AS findings_warning,\n"
        "         sum(coalesce(f.n_info, 0)) AS findings_info\n"
        "  FROM documents d LEFT JOIN (\n"
        "    SELECT doc_id, count(*) FILTER (WHERE severity = 'error') AS n_error,\n"
        "           count(*) FILTER (WHERE severity = 'warning') AS n_warning,\n"
        "           count(*) FILTER (WHERE severity = 'info') AS n_info\n"
        "    FROM findings GROUP BY doc_id) f USING (doc_id)\n"
        "  GROUP BY d.jurisdiction, d.fiscal_year\n)\n"
        "SELECT docs.jurisdiction, docs.fiscal_year, docs.province, docs.admin_code, docs.n_documents,\n"
        "  p.* EXCLUDE (jurisdiction, fiscal_year),\n" + ",\n".join(shares) + ",\n"
        "  CAST(docs.findings_error AS BIGINT) AS findings_error, CAST(docs.findings_warning AS BIGINT) AS findings_warning,\n"
        "  CAST(docs.findings_info AS BIGINT) AS findings_info\n"
        "FROM docs LEFT JOIN p ON docs.jurisdiction IS NOT DISTINCT FROM p.jurisdiction\n"
        "                     AND docs.fiscal_year IS NOT DISTINCT FROM p.fiscal_year;"
    )
    views.append(
        "CREATE OR REPLACE VIEW findings_by_document AS\n"
        "SELECT d.doc_id, d.source, d.title, d.jurisdiction, d.fiscal_year,\n"
        "  count(f.rule) AS findings,\n"
        "  count(*) FILTER (WHERE f.severity = 'error') AS errors,\n"
        "  count(*) FILTER (WHERE f.severity = 'warning') AS warnings,\n"
        "  count(*) FILTER (WHERE f.severity = 'info') AS infos,\n"
        "  list_sort(list(DISTINCT f.rule) FILTER (WHERE f.rule IS NOT NULL)) AS rules\n"
        "FROM documents d LEFT JOIN findings f USING (doc_id)\n"
        "GROUP BY ALL;"
    )
    # cross-document checks: the same jurisdiction and year from several files with different
    # figures (one row per jurisdiction, year and metric, not per pair)
    views.append(
        "CREATE OR REPLACE VIEW cross_jurisdiction_year AS\n"
        "WITH firsts AS (\n"
        "  SELECT d.jurisdiction, d.fiscal_year, m.doc_id, any_value(d.source) AS source, m.name,\n"
        "         arg_min(m.value, m.idx) AS value\n"
        "  FROM metrics m JOIN documents d USING (doc_id)\n"
        "  WHERE d.jurisdiction IS NOT NULL AND d.fiscal_year IS NOT NULL\n"
        "  GROUP BY d.jurisdiction, d.fiscal_year, m.doc_id, m.name\n)\n"
        "SELECT jurisdiction, fiscal_year, name AS metric, count(*) AS n_documents,\n"
        "  list_sort(list(DISTINCT value)) AS \"values\", list(doc_id ORDER BY doc_id) AS doc_ids,\n"
        "  list(source ORDER BY doc_id) AS sources\n"
        "FROM firsts GROUP BY jurisdiction, fiscal_year, name\n"
        "HAVING count(DISTINCT value) > 1;"
    )
    # a 文号 cited with different titles by different documents: more distinct titles across
    # the store than any one document shows (one document's own conflict is its own finding).
    # Titles compare without 关于/印发/的通知, quotes, brackets and spaces.
    norm = ("regexp_replace(regexp_replace(title, '[《》〈〉<>“”\"\\s]', '', 'g'),"
            " '^(关于)?(印发)?|(的)?通知$', '', 'g')")
    views.append(
        "CREATE OR REPLACE VIEW cross_doc_number_titles AS\n"
        f"WITH t AS (SELECT DISTINCT canonical, issuer, doc_id, title, {norm} AS key\n"
        "           FROM doc_numbers WHERE title IS NOT NULL),\n"
        "per_doc AS (SELECT canonical, doc_id, count(DISTINCT key) AS k FROM t GROUP BY ALL),\n"
        "most AS (SELECT canonical, max(k) AS k FROM per_doc GROUP BY ALL)\n"
        "SELECT t.canonical, any_value(t.issuer) AS issuer, list_sort(list(DISTINCT t.title)) AS titles,\n"
        "  count(DISTINCT t.doc_id) AS n_documents, list_sort(list(DISTINCT t.doc_id)) AS doc_ids\n"
        "FROM t JOIN most USING (canonical)\n"
        "GROUP BY t.canonical\n"
        "HAVING count(DISTINCT t.key) > any_value(most.k);"
    )
    num = "rtrim(rtrim(CAST(v AS VARCHAR), '0'), '.')"
    views.append(
        "CREATE OR REPLACE VIEW cross_findings AS\n"
        "SELECT 'cross.jurisdiction_year' AS rule, 'warning' AS severity,\n"
        f"  format('{{}}{{}}年度有{{}}份报告对 {{}} 给出不同数值：{{}}，请核对是否重复报送或数据有误',\n"
        f"         jurisdiction, fiscal_year, n_documents, metric, array_to_string(list_transform(\"values\", lambda v: {num}), ' / ')) AS message,\n"
        "  doc_ids, sources, list_transform(\"values\", lambda v: " + num + ") AS \"values\"\n"
        "FROM cross_jurisdiction_year\n"
        "UNION ALL\n"
        "SELECT 'cross.doc_number_title', 'warning',\n"
        "  format('文号 {} 在{}份报告中对应不同的文件名称：{}，请核对文号或标题', canonical, n_documents,\n"
        "         array_to_string(list_transform(titles, lambda x: '《' || x || '》'), '、')),\n"
        "  doc_ids, (SELECT list(source ORDER BY doc_id) FROM documents WHERE list_contains(c.doc_ids, doc_id)), titles\n"
        "FROM cross_doc_number_titles c;"
    )
    return views


def ddl() -> list[str]:
    """Every statement that creates the store (idempotent)."""
    stmts = [create_table_sql(name, cols) for name, cols in table_columns().items()]
    stmts.append("CREATE TABLE IF NOT EXISTS store_meta (key VARCHAR PRIMARY KEY, value VARCHAR);")
    stmts.append("CREATE INDEX IF NOT EXISTS ingest_errors_source ON ingest_errors (source);")
    return stmts + views_sql()


def ddl_text() -> str:
    return "\n\n".join(ddl()) + "\n"


def json_schema() -> dict:
    """JSON Schema of one `jixiao extract` line."""
    return ExtractRecord.model_json_schema(mode="serialization")


if __name__ == "__main__":  # python -m schemas.ddl
    print(ddl_text())
