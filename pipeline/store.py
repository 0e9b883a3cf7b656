"""The DuckDB store: one file, tables derived from the models (schemas/ddl.py).

Writing: `rows_for(doc, record)` turns one document into columnar rows (plain lists of
str/int/bool/None, decimals as strings — cheap to pickle, built in the ingest workers);
`write_batch(con, docs, errors)` writes whole documents in one transaction through
Arrow tables (never row by row). Reading back: `iter_records(db_path)` yields
(document text, ExtractRecord) rebuilt from the rows.
"""
from __future__ import annotations

import datetime as _dt
import functools
import json
import os
import re
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Optional

from typing import get_origin

# The models (pydantic, ~75 ms to import) are imported where rows are made or read back:
# the ingest's parent process, which only creates tables and writes rows, does without.
if TYPE_CHECKING:
    from schemas import ExtractRecord

SCHEMA_VERSION = "1"
TABLES = ("documents", "sections", "facts", "metrics", "findings")


class StoreLocked(Exception):
    """Another process holds the DuckDB file's lock. str() is a bilingual message."""


class StoreMissing(Exception):
    """The database file does not exist (read-only commands)."""


def _lock_message(db_path: str, err: Exception) -> str:
    m = re.search(r"PID (\d+)", str(err))
    who = f"（进程 PID {m.group(1)}）" if m else ""
    pid_en = f" (PID {m.group(1)})" if m else ""
    return (
        f"数据库文件 {db_path} 已被另一个进程{who}加锁占用，请等待其完成后重试，或改用其他 --db 文件。\n"
        f"The database file {db_path} is locked by another process{pid_en}: "
        f"DuckDB allows one writer per file. Wait for it to finish or use another --db."
    )


def connect(db_path: str | Path, read_only: bool = False, views: bool = True):
    """Open (and when writable, create/upgrade) the store. Raises StoreLocked / StoreMissing.
    views=False: the tables only; the caller runs init_views(con) before it reads views
    (ingest does it on its writer thread, while the workers start)."""
    import duckdb

    db_path = str(db_path)
    if read_only and not Path(db_path).exists():
        raise StoreMissing(f"数据库文件不存在：{db_path}（请先运行 jixiao ingest）/ database file not found: {db_path}")
    try:
        con = duckdb.connect(db_path, read_only=read_only)
    except duckdb.IOException as e:
        if "lock" in str(e).lower():
            raise StoreLocked(_lock_message(db_path, e)) from None
        raise
    if not read_only:
        init(con, views=views)
    return con


def _is_view(stmt: str) -> bool:
    return stmt.startswith("CREATE OR REPLACE VIEW")


@functools.cache
def _schema() -> tuple[tuple[str, ...], dict[str, list[tuple[str, str]]]]:
    """(ddl(), table_columns()): derived from the models once a process, and kept in a file
    beside the pattern cache (pipeline/recache.py) under a hash of the files they derive
    from, so that a process that only writes rows need not import the models."""
    import hashlib

    import importlib.util

    h = hashlib.sha256(SCHEMA_VERSION.encode())
    try:
        here = Path(importlib.util.find_spec("schemas").origin).parent  # (found, not imported)
        pydantic = Path(importlib.util.find_spec("pydantic").origin).parent
        for f in (here / "__init__.py", here / "models.py", here / "ddl.py", pydantic / "version.py"):
            h.update(f.read_bytes())
    except (OSError, AttributeError, TypeError):
        return _derive_schema()
    from pipeline.recache import cache_path

    path = Path(cache_path()).parent / f"ddl-{h.hexdigest()[:24]}.json"
    try:
        stmts, cols = json.loads(path.read_text(encoding="utf-8"))
        return tuple(stmts), {t: [tuple(c) for c in cs] for t, cs in cols.items()}
    except (OSError, ValueError, TypeError):
        pass
    stmts, cols = _derive_schema()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps([stmts, cols], ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass
    return stmts, cols


def _derive_schema() -> tuple[tuple[str, ...], dict[str, list[tuple[str, str]]]]:
    from schemas.ddl import ddl, table_columns

    return tuple(ddl()), {t: [tuple(c) for c in cs] for t, cs in table_columns().items()}


def init(con, views: bool = True) -> None:
    """Create the tables and views; add columns a newer model has (a new Optional field)."""
    stmts, columns = _schema()
    for stmt in stmts:
        if not _is_view(stmt):
            con.execute(stmt)
    have: dict[str, set[str]] = {}
    for table, col in con.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main'").fetchall():
        have.setdefault(table, set()).add(col)
    for table, cols in columns.items():
        for col, typ in cols:
            if col not in have.get(table, ()):
                con.execute(f'ALTER TABLE {table} ADD COLUMN "{col}" {typ}')
    if views:
        init_views(con)


def init_views(con) -> None:
    """(Re)create the views over the tables, and record the schema version."""
    for stmt in _schema()[0]:
        if _is_view(stmt):
            con.execute(stmt)
    con.execute("INSERT OR REPLACE INTO store_meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])


# --------------------------------------------------------------------------- writing


def bulk_settings(con) -> None:
    """Settings for a bulk load on a writable connection (ingest).

    - checkpoint_threshold 64 MB (DuckDB: 16 MB): a checkpoint rewrites each table's last
      segment with what was appended to it, so its cost grows with the store; a quarter as
      many checkpoints kept 30,000 documents at ~1.05 ms each to write instead of 1.3.
    - memory_limit 384 MB: DuckDB otherwise keeps every block it has read or written cached
      (up to 80 % of RAM), and the parent's peak memory grew with the number of documents
      (30,000 reports: 1,024 MB before, 588 MB; 100,000: 689 MB).
    - no DuckDB progress bar: a checkpoint of a large store takes seconds, and its bar
      would be drawn over the ingest's own.
    - one DuckDB thread: the cores belong to the workers; a batch's inserts in two threads
      cost more CPU (250 reports: 0.52-0.63 ms a document) than in one (0.49)."""
    con.execute("SET checkpoint_threshold = '64MB'")
    con.execute("SET memory_limit = '384MB'")
    con.execute("SET enable_progress_bar = false")
    con.execute("SET threads = 1")



def _cell(v: Any) -> Any:
    if isinstance(v, Decimal):
        return format(v, "f")
    return v


_dumps = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(…, ensure_ascii=False) minus its per-call set-up


def _columnar(rows: list[dict], cols: list[str]) -> dict[str, list]:
    return {c: [r.get(c) for r in rows] for c in cols}


_TABLE_COLS = None


def _table_cols() -> dict[str, list[str]]:
    global _TABLE_COLS
    if _TABLE_COLS is None:
        _TABLE_COLS = {t: [c for c, _ in cols] for t, cols in _schema()[1].items()}
    return _TABLE_COLS


_FACT_PLAN = None


def _fact_plan() -> list[tuple[str, str, Any, list[int], list[Optional[int]]]]:
    """Per kind: (list name, kind, itemgetter of the model's fields that have a column,
    positions of the Decimal ones among them, and for every fact column after doc_id, kind
    and idx the position of its field, or None when the kind has no such field)."""
    global _FACT_PLAN
    if _FACT_PLAN is None:
        from operator import itemgetter

        from schemas.ddl import FACT_MODELS, LIST_TO_KIND, _unwrap, model_columns

        cols = _table_cols()["facts"][3:]  # after doc_id, kind, idx
        plan = []
        for list_name, kind in LIST_TO_KIND.items():
            model = FACT_MODELS[kind]
            by_col = {c: f for c, _, f in model_columns(model)}
            fields = [by_col[c] for c in cols if c in by_col]
            assert len(fields) > 1  # itemgetter returns a tuple
            decimals = [i for i, f in enumerate(fields) if _unwrap(model.model_fields[f].annotation)[0] is Decimal]
            plan.append((list_name, kind, itemgetter(*fields), decimals,
                         [fields.index(by_col[c]) if c in by_col else None for c in cols]))
        _FACT_PLAN = plan
    return _FACT_PLAN


def _column_lists(objects: list, names: list[str]) -> list[list]:
    """The values of fields `names` of flat models, one list per name (from __dict__, which
    holds every field of a pydantic model; None for a name it lacks)."""
    dicts = [o.__dict__ for o in objects]
    return [[d.get(c) for d in dicts] for c in names]


def rows_for(doc, record: ExtractRecord, size_bytes: Optional[int] = None) -> dict[str, dict[str, list]]:
    """One read document as columnar rows per table (plain Python values, decimals as
    strings). `doc` is the pipeline's Document (for text, encoding, pages, blocks)."""
    doc_id = record.doc_id
    tc = _table_cols()
    fact_cols = tc["facts"][3:]
    facts: dict[str, list] = {c: [] for c in tc["facts"]}
    columns = [facts[c] for c in fact_cols]
    n_facts = 0
    for list_name, kind, getter, decimals, where in _fact_plan():
        items = getattr(record, list_name)
        if not items:
            continue
        n = len(items)
        n_facts += n
        facts["doc_id"].extend([doc_id] * n)
        facts["kind"].extend([kind] * n)
        facts["idx"].extend(range(n))
        # the facts' own values (pydantic keeps every field in __dict__), one tuple per field
        values = list(zip(*map(getter, [f.__dict__ for f in items])))
        for i in decimals:
            values[i] = [None if v is None else format(v, "f") for v in values[i]]
        nones = [None] * n
        for column, i in zip(columns, where):
            column.extend(nones if i is None else values[i])
    # flat models (Section, Span, Block, Page) are read from their __dict__: the same keys
    # in field order as model_dump(), without its per-object call (~1,000 objects per report)
    sec = record.sections
    sections = {"doc_id": [doc_id] * len(sec), "idx": list(range(len(sec)))}
    sections.update(zip(tc["sections"][2:], _column_lists(sec, tc["sections"][2:])))
    mets = record.metrics
    metrics = {
        "doc_id": [doc_id] * len(mets), "idx": list(range(len(mets))),
        "name": [m.name for m in mets],
        "value": [_cell(m.value) for m in mets],
        "unit": [m.unit for m in mets],
        "qualifier": [m.qualifier for m in mets],
        "section": [m.section for m in mets],
        "evidence": [_dumps([e.__dict__ for e in m.evidence]) for m in mets],
    }
    finds = record.findings
    findings = {
        "doc_id": [doc_id] * len(finds), "idx": list(range(len(finds))),
        "rule": [f.rule for f in finds],
        "severity": [f.severity for f in finds],
        "message": [f.message for f in finds],
        "values": [list(f.values) for f in finds],
        "spans": [_dumps([s.__dict__ for s in f.spans]) for f in finds],
        "expected": [f.expected for f in finds],
        "actual": [f.actual for f in finds],
        "suspect": [f.suspect for f in finds],
    }
    text = doc.text if doc is not None else ""
    cov = record.coverage
    document = {
        "doc_id": doc_id, "source": record.source, "format": record.format, "title": record.title,
        "jurisdiction": record.jurisdiction, "province": record.province, "prefecture": record.prefecture,
        "admin_code": record.admin_code, "fiscal_year": record.fiscal_year,
        "pages_unreliable": list(record.pages_unreliable), "warnings": list(record.warnings),
        "pipeline_version": record.pipeline_version,
        "coverage_amounts_reported": cov.amounts_reported, "coverage_amounts_checked": cov.amounts_checked,
        "coverage_share": cov.share,
        "text": text, "encoding": getattr(doc, "encoding", None),
        "pages": _dumps([p.__dict__ for p in doc.pages]) if doc is not None else "[]",
        "blocks": _dumps([b.__dict__ for b in doc.blocks]) if doc is not None else "[]",
        "n_chars": len(text), "size_bytes": size_bytes, "n_facts": n_facts, "n_findings": len(finds),
        "ingested_at": None,
    }
    return {
        "documents": _columnar([document], tc["documents"]),
        "sections": _ordered(sections, tc["sections"]),
        "facts": facts,
        "metrics": _ordered(metrics, tc["metrics"]),
        "findings": _ordered(findings, tc["findings"]),
    }


def _ordered(columns: dict[str, list], cols: list[str]) -> dict[str, list]:
    """The table's columns in its order (a column the rows lack: all None)."""
    n = len(columns["doc_id"])
    return {c: columns[c] if c in columns else [None] * n for c in cols}


def _merge(parts: Iterable[dict[str, list]], cols: list[str]) -> dict[str, list]:
    out: dict[str, list] = {c: [] for c in cols}
    for p in parts:
        for c in cols:
            out[c].extend(p[c])
    return out


def _arrow(columns: dict[str, list]):
    import pyarrow as pa

    arrays = {}
    for c, vals in columns.items():
        try:
            arrays[c] = pa.array(vals)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed int/str etc.: let DuckDB cast
            arrays[c] = pa.array([None if v is None else str(v) for v in vals], type=pa.string())
    return pa.table(arrays)


def write_batch(con, docs: list[dict[str, dict[str, list]]], errors: list[dict] = ()) -> None:
    """Write whole documents (output of rows_for) and ingest errors in ONE transaction.
    Replaces any earlier rows of the same doc_ids; clears earlier errors of the same sources.

    Every statement costs DuckDB ~0.2-0.9 ms whatever its size, so a batch is a fixed few:
    the rows go in as one Arrow table per table, read by DuckDB's replacement scan of this
    function's local `_rows` (no register/unregister), and the lookups take the batch's
    ids as list parameters."""
    tc = _table_cols()
    now = _dt.datetime.now()
    tables = {}
    for t in TABLES:
        cols = _merge((d[t] for d in docs), tc[t])
        if t == "documents":  # distinct, in load order: "latest document" is well defined
            cols["ingested_at"] = [now + _dt.timedelta(microseconds=i) for i in range(len(cols["doc_id"]))]
        if cols[tc[t][0]]:
            tables[t] = _arrow(cols)
    if errors:
        ecols = {k: [e.get(k) for e in errors] for k in tc["ingest_errors"]}
        ecols["at"] = [now] * len(errors)
        tables["ingest_errors"] = _arrow(ecols)
    doc_ids = [i for d in docs for i in d["documents"]["doc_id"]]
    doc_sources = [s for d in docs for s in d["documents"]["source"]]
    sources = doc_sources + [e["source"] for e in errors]
    con.execute("BEGIN TRANSACTION")
    try:
        if doc_ids:  # replace documents stored before: same bytes (--force, a new pipeline
            # version) or the same file name with new bytes (a corrected submission)
            present = [r[0] for r in con.execute(
                "SELECT doc_id FROM documents WHERE doc_id = ANY(?) OR source = ANY(?)", [doc_ids, doc_sources]).fetchall()]
            if present:
                for t in TABLES:
                    con.execute(f"DELETE FROM {t} WHERE doc_id = ANY(?)", [present])
        if sources:
            con.execute("DELETE FROM ingest_errors WHERE source = ANY(?)", [sources])
        for t, _rows in tables.items():
            con.execute(f"INSERT INTO {t} BY NAME SELECT * FROM _rows")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def write_record(con, doc, record: ExtractRecord) -> None:
    """Store one processed document (convenience for tests and small loads)."""
    if record.error is not None:
        write_batch(con, [], [{"source": record.source, "doc_id": record.doc_id, "code": record.error.code,
                               "message": record.error.message, "pipeline_version": record.pipeline_version}])
    else:
        write_batch(con, [rows_for(doc, record)])


def loaded_ids(con, pipeline_version: str) -> set[str]:
    """doc_ids already stored by this pipeline version (skipped by ingest unless --force)."""
    return {r[0] for r in con.execute("SELECT doc_id FROM documents WHERE pipeline_version = ?", [pipeline_version]).fetchall()}


# --------------------------------------------------------------------------- reading back


def _dec(d: Optional[Decimal]) -> Optional[Decimal]:
    """DECIMAL(38, 8) -> the shortest equal Decimal (52913900.00000000 -> 52913900)."""
    if d is None:
        return None
    n = d.normalize()
    if n.as_tuple().exponent > 0:
        n = n.quantize(Decimal(1))
    return n


def _dicts(cur) -> list[dict]:
    names = [c[0] for c in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


_READ_PLAN: dict = {}


def _read_plan(kind: str) -> tuple[Any, list[tuple[str, str, Optional[str], bool]]]:
    """(model, [(column, field, conversion, required)]) for rebuilding one fact kind."""
    if kind not in _READ_PLAN:
        from schemas.ddl import FACT_MODELS, _unwrap, model_columns

        model = FACT_MODELS[kind]
        plan = []
        for col, _, field in model_columns(model):
            info = model.model_fields[field]
            ann, _ = _unwrap(info.annotation)
            conv = "int" if ann is int else "dec" if ann is Decimal else "list" if get_origin(ann) is list else None
            plan.append((col, field, conv, info.is_required()))
        _READ_PLAN[kind] = (model, plan)
    return _READ_PLAN[kind]


def _fact_from_row(kind: str, row: dict):
    model, plan = _read_plan(kind)
    kw = {}
    for col, field, conv, required in plan:
        v = row[col]
        if v is None:
            if not required:
                continue
        elif conv == "int":
            v = int(v)
        elif conv == "dec":
            v = _dec(v)
        elif conv == "list":
            v = list(v)
        kw[field] = v
    return model(**kw)


def record_from_rows(doc: dict, facts: list[dict], sections: list[dict], metrics: list[dict], findings: list[dict]) -> ExtractRecord:
    from schemas import Coverage, ExtractRecord, Finding, Metric, Section, Span
    from schemas.ddl import LIST_TO_KIND

    lists: dict[str, list] = {name: [] for name in LIST_TO_KIND}
    kind_to_list = {k: n for n, k in LIST_TO_KIND.items()}
    for row in facts:  # ordered by kind, idx
        lists[kind_to_list[row["kind"]]].append(_fact_from_row(row["kind"], row))
    secs = [Section(**{k: row[k] for k in Section.model_fields}) for row in sections]
    mets = [
        Metric(name=r["name"], value=_dec(r["value"]), unit=r["unit"], qualifier=r["qualifier"], section=r["section"],
               evidence=[Span(**e) for e in json.loads(r["evidence"] or "[]")])
        for r in metrics
    ]
    finds = [
        Finding(rule=r["rule"], severity=r["severity"], message=r["message"], values=list(r["values"] or []),
                spans=[Span(**s) for s in json.loads(r["spans"] or "[]")], expected=r["expected"],
                actual=r["actual"], suspect=r["suspect"])
        for r in findings
    ]
    return ExtractRecord(
        source=doc["source"], doc_id=doc["doc_id"], format=doc["format"], title=doc["title"],
        jurisdiction=doc["jurisdiction"], province=doc["province"], prefecture=doc["prefecture"],
        admin_code=doc["admin_code"], fiscal_year=doc["fiscal_year"], **lists, metrics=mets, findings=finds,
        coverage=Coverage(amounts_reported=doc["coverage_amounts_reported"] or 0,
                          amounts_checked=doc["coverage_amounts_checked"] or 0, share=doc["coverage_share"]),
        sections=secs, pages_unreliable=list(doc["pages_unreliable"] or []), warnings=list(doc["warnings"] or []),
        pipeline_version=doc["pipeline_version"] or "0",
    )


def iter_records(db_path: str | Path, chunk: int = 256) -> Iterator[tuple[str, ExtractRecord]]:
    """(document text, ExtractRecord) for every stored document, ordered by source.
    Opens the file read-only; reads `chunk` documents' rows per query. Stable signature:
    the HTML review report builds on it."""
    from itertools import groupby

    con = connect(db_path, read_only=True)
    try:
        ids = [r[0] for r in con.execute("SELECT doc_id FROM documents ORDER BY source, doc_id").fetchall()]
        for k in range(0, len(ids), chunk):
            part = ids[k:k + chunk]
            con.register("_iter_ids", _arrow({"doc_id": part}))
            try:
                docs = {d["doc_id"]: d for d in _dicts(con.execute(
                    "SELECT * EXCLUDE (blocks, pages) FROM documents WHERE doc_id IN (SELECT doc_id FROM _iter_ids)"))}
                rows = {}
                for table, order in (("facts", "doc_id, kind, idx"), ("sections", "doc_id, idx"),
                                     ("metrics", "doc_id, idx"), ("findings", "doc_id, idx")):
                    got = _dicts(con.execute(
                        f"SELECT * FROM {table} WHERE doc_id IN (SELECT doc_id FROM _iter_ids) ORDER BY {order}"))
                    rows[table] = {key: list(g) for key, g in groupby(got, key=lambda r: r["doc_id"])}
            finally:
                con.unregister("_iter_ids")
            for did in part:
                doc = docs[did]
                yield doc["text"] or "", record_from_rows(
                    doc, rows["facts"].get(did, []), rows["sections"].get(did, []),
                    rows["metrics"].get(did, []), rows["findings"].get(did, []))
    finally:
        con.close()


def cross_findings(con) -> list[dict]:
    """Findings only a store of many documents can make (see the cross_* views)."""
    return _dicts(con.execute("SELECT * FROM cross_findings ORDER BY rule, message"))


__all__ = ["StoreLocked", "StoreMissing", "connect", "init", "rows_for", "write_batch", "write_record",
           "loaded_ids", "iter_records", "record_from_rows", "cross_findings", "to_json", "to_csv", "to_table"]


# --------------------------------------------------------------------------- query output (jixiao sql)


def _jsonable(v: Any) -> Any:
    if isinstance(v, Decimal):
        return format(_dec(v), "f")
    if isinstance(v, (_dt.date, _dt.datetime, _dt.time)):
        return v.isoformat()
    if isinstance(v, (list, tuple)):
        return [_jsonable(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, bytes):
        return v.hex()
    return v


def _text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, Decimal):
        return format(_dec(v), "f")
    if isinstance(v, (list, tuple, dict)):
        return json.dumps(_jsonable(v), ensure_ascii=False)
    return str(v)


def to_json(cols: list[str], rows: list[tuple], types: Optional[list[str]] = None) -> str:
    """A JSON array of row objects; decimals as strings ("13568900", "0.24"), never floats;
    JSON columns (evidence, spans) inlined as JSON, not as strings."""
    is_json = [str(t) == "JSON" for t in types] if types else [False] * len(cols)

    def cell(v: Any, j: bool) -> Any:
        if j and isinstance(v, str):
            try:
                return json.loads(v)
            except ValueError:
                return v
        return _jsonable(v)

    return json.dumps([{c: cell(v, j) for c, v, j in zip(cols, r, is_json)} for r in rows], ensure_ascii=False)


def to_csv(cols: list[str], rows: list[tuple]) -> str:
    import csv
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(cols)
    for r in rows:
        w.writerow([_text(v) for v in r])
    return buf.getvalue()


def to_markdown(cols: list[str], rows: list[tuple]) -> str:
    """A plain-text table (used by tools/readme_queries.py)."""
    cells = [cols] + [[_text(v) for v in r] for r in rows]

    def width(s: str) -> int:
        import unicodedata

        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)

    ws = [max(width(row[i]) for row in cells) for i in range(len(cols))]
    lines = []
    for n, row in enumerate(cells):
        lines.append("  ".join(c + " " * (ws[i] - width(c)) for i, c in enumerate(row)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in ws))
    return "\n".join(lines)


def to_table(cols: list[str], rows: list[tuple]) -> None:
    """A rich table on a terminal wide enough for it; otherwise aligned plain text."""
    import shutil
    import sys

    from rich.console import Console
    from rich.table import Table

    plain = to_markdown(cols, rows)
    width = max((len(line) for line in plain.splitlines()), default=0)
    if not sys.stdout.isatty() or width > shutil.get_terminal_size().columns - 4:
        sys.stdout.write(plain + "\n")
        sys.stderr.write(f"{len(rows)} rows\n")
        return

    t = Table(show_lines=False)
    for c in cols:
        t.add_column(c, overflow="fold")
    for r in rows:
        t.add_row(*[_text(v) for v in r])
    Console().print(t)
    Console(stderr=True).print(f"{len(rows)} rows")
