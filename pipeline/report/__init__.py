"""The review site: a static folder that opens from disk with no network.

    build_site(records, out_dir) -> Path of index.html

`records` is any iterable of (document text, ExtractRecord) pairs — from
`pipeline.run.process` over files, or from the DuckDB store via `build_from_db`. Pages
are written as the records stream in, so only one document's text is held at a time.

out_dir/
  index.html          every document, sortable and filterable; SVG charts across jurisdictions
  docs/<id>.html      the text with every fact highlighted, outline, findings -> evidence
  assets/report.css, assets/report.js   bundled, no CDN
"""
from __future__ import annotations

import re
import shutil
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

from schemas import ExtractRecord

ASSETS = Path(__file__).with_name("assets")


def _page_name(r: ExtractRecord, used: set[str]) -> str:
    base = re.sub(r"[^0-9A-Za-z_-]", "", r.doc_id)[:16] or "doc"
    name, k = base, 2
    while name in used:
        name, k = f"{base}-{k}", k + 1
    used.add(name)
    return name


def build_site(records: Iterable[tuple[str, ExtractRecord]], out_dir: str | Path, *, cross=None) -> Path:
    """`cross`: optional ([CrossGroup], total) of findings across documents, shown on the index."""
    from pipeline.report.pages import document_page, index_page, label_for, summarise

    out = Path(out_dir)
    (out / "docs").mkdir(parents=True, exist_ok=True)
    (out / "assets").mkdir(exist_ok=True)
    for a in ASSETS.iterdir():
        if a.is_file():
            shutil.copyfile(a, out / "assets" / a.name)
    generated = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")

    used: set[str] = set()
    docs = []
    for text, record in records:
        name = _page_name(record, used)
        (out / "docs" / f"{name}.html").write_text(document_page(text or "", record, generated=generated), encoding="utf-8")
        s = summarise(record, f"docs/{name}.html", text or "")
        s.label = label_for(record)
        docs.append(s)
    # stale pages of an earlier build would be reachable from nowhere but confuse a reader
    for old in (out / "docs").glob("*.html"):
        if old.stem not in used:
            old.unlink()
    docs.sort(key=lambda d: (d.province or "\uffff", d.jurisdiction or "\uffff", d.fiscal_year or 0, d.source))
    index = out / "index.html"
    index.write_text(index_page(docs, generated=generated, cross=cross or ([], 0)), encoding="utf-8")
    return index


def build_from_db(db_path: str | Path, out_dir: str | Path) -> Path:
    """The site for everything in a jixiao DuckDB file (opened read-only): the stored
    documents, and the files that could not be loaded (ingest_errors) with their error."""
    from pipeline.store import iter_records

    def records():
        yield from iter_records(db_path)
        yield from _failed(db_path)

    return build_site(records(), out_dir, cross=_cross(db_path))


def _cross(db_path: str | Path, limit: int = 100):
    """Cross-document findings grouped by rule and the documents involved, largest first."""
    import duckdb

    from pipeline import store
    from pipeline.report.pages import CrossGroup

    con = store.connect(db_path, read_only=True)
    try:
        total = con.execute("SELECT count(*) FROM cross_findings").fetchone()[0]
        rows = con.execute(
            "SELECT rule, ['error', 'warning', 'info'][min(CASE severity WHEN 'error' THEN 1 WHEN 'warning' THEN 2 ELSE 3 END)], "
            "list_sort(doc_ids) AS ids, count(*) AS n, min(message) "
            "FROM cross_findings GROUP BY rule, ids ORDER BY n DESC, rule, ids LIMIT ?", [limit]
        ).fetchall()
    except duckdb.CatalogException:  # a store without the cross-document views
        return [], 0
    finally:
        con.close()
    return [CrossGroup(rule=r, severity=sev, doc_ids=list(ids), count=n, example=msg) for r, sev, ids, n, msg in rows], total


def _failed(db_path: str | Path):
    import hashlib
    from typing import get_args

    from pipeline import store
    from schemas import ReadError
    from schemas.models import Format

    con = store.connect(db_path, read_only=True)
    try:
        rows = con.execute("SELECT source, doc_id, code, message, pipeline_version FROM ingest_errors ORDER BY source").fetchall()
    finally:
        con.close()
    for source, doc_id, code, message, version in rows:
        suffix = Path(source).suffix.lower().lstrip(".")
        yield "", ExtractRecord(
            source=source,
            doc_id=doc_id or hashlib.sha256(source.encode("utf-8")).hexdigest(),
            format=suffix if suffix in get_args(Format) else "txt",
            # the stored code is shown as it is, even one newer than this schema knows
            error=ReadError.model_construct(code=code, message=message or ""),
            pipeline_version=version or "0",
        )
