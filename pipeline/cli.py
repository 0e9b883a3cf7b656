"""The `jixiao` command. Heavy modules are imported inside each command, so that
`jixiao extract` starts fast (no DuckDB, jieba or spaCy on that path)."""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional

import typer

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="jixiao (绩效): budget-performance reports -> typed, source-grounded facts, metrics and findings.",
)


@app.command()
def text(file: Path = typer.Argument(..., help="a report: .txt .docx .pdf .doc .html")) -> None:
    """Print the document text that every fact's start/end points into."""
    from pipeline.read import read

    doc = read(file)
    if doc.error is not None:
        typer.echo(f"{file}: {doc.error.code}: {doc.error.message}", err=True)
        raise typer.Exit(1)
    sys.stdout.write(doc.text)
    if not doc.text.endswith("\n"):
        sys.stdout.write("\n")


def _extract_line(args: tuple[str, Optional[set]]) -> tuple[bool, str]:
    """One file's JSON line (a worker's job): whether it was read, and the line."""
    from pipeline.run import process

    f, exclude = args
    _, record = process(f)
    return record.error is None, record.model_dump_json(exclude=exclude)


# From this many files on, the workers' start (~0.1 s each, forked from a warm process)
# is repaid: on a quiet 2-core machine 560 reports took 2.08 s in one process, 1.23 s in two.
_PARALLEL_FROM = 64


def _default_workers(n_files: int) -> int:
    if n_files < _PARALLEL_FROM:
        return 1
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover (not Linux)
        return max(1, os.cpu_count() or 1)


@app.command()
def extract(
    files: List[Path] = typer.Argument(..., help="reports to extract"),
    sections: bool = typer.Option(False, "--sections", help="also print the outline"),
    workers: Optional[int] = typer.Option(
        None, "--workers", "-j", min=1,
        help=f"worker processes (default: one per core from {_PARALLEL_FROM} files on, else 1)"),
) -> None:
    """One JSON line per file (SPEC.md's contract), in input order.
    Exits non-zero only when no file could be read at all."""
    exclude = None if sections else {"sections"}
    n = workers or _default_workers(len(files))
    jobs = [(str(f), exclude) for f in files]
    out = sys.stdout
    read_ok = 0
    parallel = n > 1 and len(files) > 2
    # the first file in this process (with more to come, it also warms what the workers
    # inherit: lazily compiled patterns, validators, caches), the rest in the workers
    for job in jobs[:1] if parallel else jobs:
        ok, line = _extract_line(job)
        read_ok += ok
        out.write(line)
        out.write("\n")
    if parallel:
        import multiprocessing as mp

        out.flush()
        ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
        with ctx.Pool(min(n, len(files) - 1)) as pool:
            for ok, line in pool.imap(_extract_line, jobs[1:], chunksize=8):
                read_ok += ok
                out.write(line)
                out.write("\n")
    out.flush()
    if read_ok == 0:
        raise typer.Exit(1)


@app.command()
def schema() -> None:
    """Print the JSON Schema of one `jixiao extract` line."""
    import json

    from schemas import ExtractRecord

    typer.echo(json.dumps(ExtractRecord.model_json_schema(mode="serialization"), ensure_ascii=False, indent=2))


# --------------------------------------------------------------------------- the store (issue 5)


def _store_error(e: Exception) -> None:
    typer.echo(str(e), err=True)
    raise typer.Exit(2)


@app.command()
def ingest(
    paths: List[str] = typer.Argument(..., help="files, folders (recursive) and globs"),
    db: Path = typer.Option(..., "--db", help="DuckDB file (created when missing)"),
    workers: Optional[int] = typer.Option(None, "--workers", "-j", help="worker processes (default: all cores; 0 = in-process)"),
    force: bool = typer.Option(False, "--force", help="reprocess files already loaded by this pipeline version"),
    timeout: float = typer.Option(120.0, "--timeout", help="seconds per document before its parse is killed"),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="no progress bar"),
) -> None:
    """Load reports into a DuckDB file: parallel, resumable, one transaction per batch of whole documents."""
    from pipeline.ingest import ingest as run_ingest  # (main() started the worker server already)
    from rich.console import Console
    from rich.table import Table

    from pipeline import store

    try:
        s = run_ingest(paths, db, workers=workers, force=force, timeout=timeout, progress=not quiet and sys.stderr.isatty())
    except (store.StoreLocked, store.StoreMissing) as e:
        _store_error(e)
    except RuntimeError as e:  # WorkerStartError: workers cannot start here
        typer.echo(str(e), err=True)
        raise typer.Exit(2)
    except KeyboardInterrupt:
        typer.echo("已中断：已完成的文档均已完整入库，重新运行同一命令即从中断处继续。\n"
                   "Interrupted: every finished document is stored whole; run the same command again to resume.", err=True)
        raise typer.Exit(130)
    con = Console(stderr=True)
    t = Table(title=f"ingest → {db}  ({s.seconds:.1f} s, {s.docs_per_second:.1f} docs/s)", show_header=False)
    t.add_row("loaded 已入库", str(s.loaded))
    t.add_row("skipped 未变更跳过", str(s.skipped))
    t.add_row("failed 失败", str(s.errors) + ("  (" + ", ".join(f"{k}: {v}" for k, v in s.failed.most_common()) + ")" if s.failed else ""))
    t.add_row("findings 发现问题", ", ".join(f"{k}: {s.findings.get(k, 0)}" for k in ("error", "warning", "info")))
    con.print(t)
    if s.failed:
        con.print(f"失败明细 / details: jixiao sql --db {db} \"SELECT source, code, message FROM ingest_errors\"")
    if s.total and s.loaded + s.skipped == 0:
        raise typer.Exit(1)


@app.command()
def findings(
    db: Path = typer.Option(..., "--db", help="DuckDB file"),
    severity: Optional[List[str]] = typer.Option(None, "--severity", help="error / warning / info (repeatable)"),
    rule: Optional[List[str]] = typer.Option(None, "--rule", help="rule name or prefix, e.g. arithmetic (repeatable)"),
    cross: bool = typer.Option(True, "--cross/--no-cross", help="also the cross-document checks"),
) -> None:
    """The findings of every stored document, with their evidence."""
    from rich.console import Console
    from rich.table import Table

    from pipeline import store

    try:
        con = store.connect(db, read_only=True)
    except (store.StoreLocked, store.StoreMissing) as e:
        _store_error(e)
    where, params = [], []
    if severity:
        where.append("f.severity IN (" + ",".join("?" * len(severity)) + ")")
        params += severity
    if rule:
        where.append("(" + " OR ".join("f.rule LIKE ?" for _ in rule) + ")")
        params += [r + "%" for r in rule]
    sql = ("SELECT coalesce(d.jurisdiction, '') || CASE WHEN d.fiscal_year IS NULL THEN '' ELSE ' ' || d.fiscal_year END AS who,"
           " d.source, f.rule, f.severity, f.message, f.\"values\","
           # the first figure in its sentence-sized context
           " (SELECT substr(d.text, greatest(1, st - 19), least(en - st, 60) + 40)"
           "  FROM (SELECT CAST(f.spans->>'$[0].start' AS BIGINT) + 1 AS st, CAST(f.spans->>'$[0].end' AS BIGINT) + 1 AS en))"
           " FROM findings f JOIN documents d USING (doc_id)"
           + (" WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY CASE f.severity WHEN 'error' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, d.source, f.idx")
    rows = con.execute(sql, params).fetchall()
    if cross:
        xs = con.execute("SELECT '（跨文档）', array_to_string(sources, ' / '), rule, severity, message, \"values\", NULL FROM cross_findings f"
                         + (" WHERE " + " AND ".join(where) if where else ""), params).fetchall()
        rows += xs
    con.close()
    console = Console()
    t = Table(title=f"findings — {db}", show_lines=True)
    for h in ("document 文档", "rule 规则", "severity 级别", "message 说明", "evidence 原文"):
        t.add_column(h, overflow="fold")
    colour = {"error": "red", "warning": "yellow", "info": "cyan"}
    for who, source, r, sev, msg, values, context in rows:
        evidence = "；".join(values or [])
        if context:
            evidence += "\n…" + " ".join(context.split()) + "…"
        t.add_row(f"{who}\n{Path(source).name}" if who else Path(source).name, r, f"[{colour.get(sev, '')}]{sev}[/]",
                  msg, evidence)
    console.print(t)
    console.print(f"{len(rows)} findings")


@app.command()
def sql(
    query: str = typer.Argument(..., help="one SQL statement"),
    db: Path = typer.Option(..., "--db", help="DuckDB file (opened read-only)"),
    csv: bool = typer.Option(False, "--csv", help="CSV on stdout"),
    json_: bool = typer.Option(False, "--json", help="JSON array of row objects; decimals as strings"),
) -> None:
    """Run SQL against the store (read-only): a table, --csv or --json."""
    import duckdb

    from pipeline import store

    try:
        con = store.connect(db, read_only=True)
    except (store.StoreLocked, store.StoreMissing) as e:
        _store_error(e)
    try:
        cur = con.execute(query)
        if cur.description is None:
            return
        cols = [c[0] for c in cur.description]
        types = [str(c[1]) for c in cur.description]
        rows = cur.fetchall()
    except duckdb.Error as e:
        typer.echo(f"SQL 错误 / SQL error: {e}", err=True)
        raise typer.Exit(2)
    finally:
        con.close()
    from pipeline.store import to_csv, to_json, to_table

    if json_:
        sys.stdout.write(to_json(cols, rows, types) + "\n")
    elif csv:
        sys.stdout.write(to_csv(cols, rows))
    else:
        to_table(cols, rows)


@app.command()
def export(
    db: Path = typer.Option(..., "--db", help="DuckDB file"),
    parquet: Path = typer.Option(..., "--parquet", help="output folder: one <table>.parquet per table"),
) -> None:
    """Parquet files per table (and the metrics_wide view) for other engines."""
    from pipeline import store

    try:
        con = store.connect(db, read_only=True)
    except (store.StoreLocked, store.StoreMissing) as e:
        _store_error(e)
    parquet.mkdir(parents=True, exist_ok=True)
    names = ["documents", "sections", "facts", "metrics", "findings", "ingest_errors", "metrics_wide"]
    for name in names:
        out = parquet / f"{name}.parquet"
        con.execute(f"COPY (SELECT * FROM {name}) TO '{str(out).replace(chr(39), chr(39) * 2)}' (FORMAT parquet)")
        typer.echo(f"{out}")
    con.close()


@app.command()
def report(
    db: Path = typer.Option(..., "--db", help="DuckDB file (opened read-only)"),
    out: Path = typer.Option(..., "--out", help="output folder for the static site"),
) -> None:
    """A static review site (no network): index with charts, one page per document with
    its facts highlighted and each finding linked to its evidence. Prints the index path."""
    from pipeline import store
    from pipeline.report import build_from_db

    try:
        index = build_from_db(db, out)
    except (store.StoreLocked, store.StoreMissing) as e:
        _store_error(e)
    typer.echo(str(index.resolve()))


_INGEST_VALUE_OPTIONS = {"--db", "--workers", "-j", "--timeout"}
_INGEST_FLAGS = {"--force", "--quiet", "-q"}


def _ingest_paths(args: list[str]) -> Optional[list[str]]:
    """The PATH arguments of `jixiao ingest ARGS` when it will start workers; None for a
    command line this does not read whole (--help, -j 0, an unknown option: typer decides)."""
    paths = []
    it = iter(args)
    for a in it:
        if a in _INGEST_FLAGS:
            continue
        name, eq, value = a.partition("=")
        if name in _INGEST_VALUE_OPTIONS:
            value = value if eq else next(it, None)
            if value is None or (name in ("--workers", "-j") and value.strip() == "0"):
                return None
            continue
        if a.startswith("-"):
            return None
        paths.append(a)
    return paths or None


def main() -> None:  # console-script entry point
    if sys.argv[1:2] == ["ingest"]:
        paths = _ingest_paths(sys.argv[2:])
        if paths is not None:  # the worker server's start (~0.25 s) runs while typer and the store are imported
            from pipeline.ingest import collect, formats_of, start_server

            start_server(formats_of(collect(paths)[0]))
    try:
        app()
        code = 0
    except SystemExit as e:  # typer ends every command with sys.exit
        code = e.code
    _exit(code)


def _exit(code) -> None:
    """End the process without the interpreter's teardown of every module and object
    (~25 ms after `jixiao extract`, ~40 ms after `jixiao ingest`): streams flushed and
    atexit handlers run first, as a normal exit would; every command has closed its files
    and joined its threads and processes by now."""
    import atexit
    import os

    if code is None:
        code = 0
    elif not isinstance(code, int):  # sys.exit("message")
        sys.stderr.write(f"{code}\n")
        code = 1
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):  # `jixiao extract … | head`
        pass
    try:
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        pass
    atexit._run_exitfuncs()
    os._exit(code)


if __name__ == "__main__":
    main()
