"""Regenerate README.md's schema and example-query sections from the real store.

    .venv/bin/python tools/readme_queries.py [--db demo.duckdb] [--readme README.md] [--check]

Runs each researcher query below against the demo database (built from corpus/ with
`jixiao ingest` when missing) and rewrites the text between `<!-- queries:start -->` and
`<!-- queries:end -->` with each query and its real output; the text between
`<!-- schema:start -->` and `<!-- schema:end -->` is generated from schemas/ddl.py.
--check exits 1 when the README is out of date (CI).
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES: list[tuple[str, str]] = [
    ("Rank jurisdictions by the target review's cut rate (核减率)",
     """SELECT jurisdiction, fiscal_year, targets_amount_declared_yuan AS declared_yuan,
       targets_cut_amount_yuan AS cut_yuan, targets_cut_rate AS cut_rate
FROM metrics_wide
WHERE targets_cut_rate IS NOT NULL OR targets_cut_amount_yuan IS NOT NULL
ORDER BY cut_rate DESC NULLS LAST, cut_yuan DESC, jurisdiction"""),
    ("Key evaluation (财政重点评价): amount, projects and grade shares per jurisdiction",
     """SELECT jurisdiction, fiscal_year, key_eval_amount_yuan, key_eval_projects,
       key_eval_grade_excellent_share AS excellent, key_eval_grade_good_share AS good,
       key_eval_grade_fair_share AS fair, key_eval_grade_poor_share AS poor, key_eval_avg_score
FROM metrics_wide
ORDER BY key_eval_amount_yuan DESC NULLS LAST, jurisdiction"""),
    ("Documents whose figures contradict themselves",
     """SELECT jurisdiction, fiscal_year, errors, warnings, rules
FROM findings_by_document
WHERE findings > 0
ORDER BY errors DESC, warnings DESC, jurisdiction"""),
    ("Every finding, with the figures it rests on",
     """SELECT d.jurisdiction, f.rule, f.severity, f."values", f.message
FROM findings f JOIN documents d USING (doc_id)
ORDER BY d.jurisdiction, f.idx"""),
    ("Findings by rule",
     """SELECT rule, severity, count(*) AS n, count(DISTINCT doc_id) AS documents
FROM findings GROUP BY ALL ORDER BY n DESC, rule, severity"""),
    ("Every 文号 each issuer's documents are cited by, with how many reports cite it",
     """SELECT issuer, canonical, any_value(title) AS title, count(DISTINCT doc_id) AS reports
FROM doc_numbers
GROUP BY issuer, canonical
ORDER BY issuer, canonical
LIMIT 25"""),
    ("Money by stage of the budget-performance cycle (metrics)",
     """SELECT split_part(name, '.', 1) AS stage, name, count(*) AS n, sum(value) AS total_yuan
FROM metrics WHERE unit = 'yuan'
GROUP BY ALL ORDER BY stage, name"""),
    ("The ten largest reported amounts, with their exact text and section",
     """SELECT d.jurisdiction, a.text, a.value_yuan, a.qualifier, a.section
FROM amounts a JOIN documents d USING (doc_id)
WHERE NOT a.bound
ORDER BY a.value_yuan DESC, d.jurisdiction, a.start LIMIT 10"""),
    ("Checks only a store can make: two reports, one jurisdiction and year, different figures; one 文号, two titles "
     "(the five seeds are five jurisdictions, so none here: load `make corpus-gen`'s out/corpus to see them)",
     """SELECT rule, severity, message FROM cross_findings ORDER BY rule, message"""),
]

VIEW_NOTES = {
    "amounts, rates, counts, doc_numbers, grades, scores, dates": "typed views of `facts`, one per kind",
    "metrics_wide": "one row per jurisdiction and fiscal year: metrics as columns (money in 元 `*_yuan`, rates as fractions), grade shares, findings per severity",
    "metrics_first": "the metric value metrics_wide uses (latest-ingested document, first mention)",
    "findings_by_document": "findings per document by severity, with the rules that fired",
    "cross_jurisdiction_year": "one jurisdiction and year loaded from two files with different figures",
    "cross_doc_number_titles": "one 文号 cited with different titles by different documents",
    "cross_findings": "the two cross-document checks above as findings (rule, severity, Chinese message)",
}


def _cut(v: str, n: int = 60) -> str:
    return v if len(v) <= n else v[: n - 1] + "…"


def render_queries(db: Path) -> str:
    from pipeline import store

    con = store.connect(db, read_only=True)
    parts = [f"Run against `{db.name}` (`make demo`: the {con.execute('SELECT count(*) FROM documents').fetchone()[0]} "
             "seed reports). Reproduce any of them with `jixiao sql --db demo.duckdb \"…\"` (add `--csv` or `--json`).\n"]
    for title, sql in QUERIES:
        cur = con.execute(sql)
        cols = [c[0] for c in cur.description]
        rows = cur.fetchall()
        table = store.to_markdown(cols, [tuple(_cut(store._text(v)) for v in r) for r in rows])
        parts.append(f"**{title}**\n\n```sql\n{sql}\n```\n\n```\n{table}\n({len(rows)} rows)\n```\n")
    con.close()
    return "\n".join(parts)


def render_schema() -> str:
    from schemas.ddl import create_table_sql, table_columns

    tables = "\n\n".join(create_table_sql(n, c) for n, c in table_columns().items())
    views = "\n".join(f"- `{k}`: {v}" for k, v in VIEW_NOTES.items())
    return ("Generated from the pydantic models (`python -m schemas.ddl` prints the full DDL). "
            "Money and scores are `DECIMAL(38, 8)`, never DOUBLE; every fact keeps `text`, `start`, `end` "
            "into `documents.text`.\n\n"
            f"```sql\n{tables}\n```\n\nViews:\n{views}\n")


def replace_between(text: str, name: str, body: str) -> str:
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    if start not in text:
        return text.rstrip("\n") + f"\n\n{start}\n{body}\n{end}\n"
    pat = re.compile(re.escape(start) + ".*?" + re.escape(end), re.S)
    return pat.sub(lambda m: f"{start}\n{body}\n{end}", text)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default=str(ROOT / "demo.duckdb"))
    ap.add_argument("--readme", default=str(ROOT / "README.md"))
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    db = Path(a.db)
    if not db.exists():
        from pipeline.ingest import ingest

        ingest([ROOT / "corpus"], db)
    readme = Path(a.readme)
    old = readme.read_text(encoding="utf-8")
    new = replace_between(old, "schema", render_schema())
    new = replace_between(new, "queries", render_queries(db))
    if a.check:
        return 0 if new == old else 1
    readme.write_text(new, encoding="utf-8")
    print(f"{readme}: schema and {len(QUERIES)} queries rewritten from {db}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
