"""Ingest benchmark: generated reports (mixed formats) into DuckDB with 1 and 2 workers.

Rows (see `run()`):
- per format, 1 and 2 workers: N reports of each of txt/docx/html, N/4 pdf: documents per
  second end to end (targets: ≥ 200 txt/docx, ≥ 50 pdf per core), and after the fixed start
  (the time of a one-document ingest: worker server, store);
- mixed formats, 1 and 2 workers: docs/s, docs/s per core, peak RSS of the largest process
  (target < 1 GB), DuckDB file size;
- the parse floor: the same files through the same number of processes without the store,
  (a) just `read(path)` and (b) `process(path)` (read + extract + checks), each in a fresh
  process like the ingest; the ingest's ratio to (b) is the store's extra cost (target < 1.5×);
- `metrics_wide` over 100,000 synthesised documents' rows (inserted directly).

Size: JIXIAO_BENCH_N (default 1000 reports), JIXIAO_BENCH_WIDE_N (default 100000).
Timing: `seconds` is measured inside ingest() (workers' start, schema, hashing, parsing,
writing; not the interpreter's imports), like the floors; `wall_s` is the whole process.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JIXIAO = Path(sys.executable).parent / "jixiao"


# --------------------------------------------------------------------------- peak memory of a process tree


def _tree(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    parents[int(d)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                pass
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(c for c, pp in parents.items() if pp == p)
    return out


def _hwm_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def run_measured(cmd: list[str]) -> tuple[float, int, str]:
    """Run a command; return (seconds, peak RSS in MB of the largest process of its tree, stdout)."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            for pid in _tree(p.pid):
                peak = max(peak, _hwm_kb(pid))
            stop.wait(0.05)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    out, err = p.communicate()
    seconds = time.perf_counter() - t0
    stop.set()
    th.join()
    if p.returncode != 0:
        raise RuntimeError(f"{cmd} failed: {err.decode(errors='replace')[-2000:]}")
    return seconds, peak // 1024, out.decode()


def ingest_measured(src: Path, db: Path, workers: int) -> tuple[float, float, int]:
    """(seconds inside ingest(), wall seconds of the whole process, peak RSS MB). The first
    excludes the interpreter and imports (~0.5 s), not the workers' start."""
    import json

    code = ("import json, sys; from pipeline.ingest import ingest; "
            f"s = ingest([{str(src)!r}], {str(db)!r}, workers={workers}); print(json.dumps(s.as_dict()))")
    wall, rss, out = run_measured([sys.executable, "-c", code])
    summary = json.loads(out.strip().splitlines()[-1])
    if summary["failed"]:
        print(f"bench_ingest: {src}: failed {summary['failed']}", file=sys.stderr)
    return summary["seconds"], wall, rss


# --------------------------------------------------------------------------- parse floors


def _read_only(path: str) -> int:
    from pipeline.read import read

    try:
        return len(read(path).text)
    except Exception:  # counted like ingest counts it: a failed document, not a failed bench
        return -1


def _process_only(path: str) -> int:
    from pipeline.run import process

    try:
        _, rec = process(path)
    except Exception:
        return -1
    return len(rec.amounts)


def floor(files: list[str], workers: int, job) -> float:
    """Seconds to run `job` over the files with `workers` processes (no store)."""
    import multiprocessing as mp

    from pipeline.ingest import formats_of, start_server

    t0 = time.perf_counter()  # like ingest(): from before the workers start
    start_server(formats_of(files))  # the worker server with the same preload as ingest()'s
    ctx = mp.get_context("forkserver")
    with ctx.Pool(workers) as pool:
        for _ in pool.imap_unordered(job, files, chunksize=4):
            pass
    return time.perf_counter() - t0


def floor_measured(list_file: Path, workers: int, job: str) -> float:
    """floor() in a fresh process, as ingest_measured runs ingest(): in this process the
    worker server would already be running (imported and warm) after the first floor, and
    every later one would skip the ~0.35 s start that each ingest pays."""
    code = (f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
            "from bench.bench_ingest import floor, _read_only, _process_only\n"
            "if __name__ == '__main__':\n"
            f"    files = open({str(list_file)!r}, encoding='utf-8').read().splitlines()\n"
            f"    print(floor(files, {workers}, {job}))\n")
    _, _, out = run_measured([sys.executable, "-c", code])
    return float(out.strip().splitlines()[-1])


# --------------------------------------------------------------------------- metrics_wide at scale


def bench_metrics_wide(n_docs: int, tmp: Path) -> dict:
    from pipeline import store

    db = tmp / "wide.duckdb"
    con = store.connect(db)
    n_places = max(1, n_docs // 7)
    t0 = time.perf_counter()
    con.execute(f"""
        INSERT INTO documents (doc_id, source, format, jurisdiction, province, fiscal_year, pipeline_version,
                               n_facts, n_findings, ingested_at)
        SELECT md5(i::VARCHAR), 'synth/' || i || '.txt', 'txt', 'place' || (i % {n_places}), 'p' || (i % 31),
               2019 + (i // {n_places}) % 7, 'bench', 0, 0, now()
        FROM range({n_docs}) t(i)""")
    names = ["targets.amount_declared", "targets.amount_approved", "targets.cut_amount", "targets.cut_rate",
             "targets.projects", "key_eval.amount", "key_eval.projects", "key_eval.grade.优", "key_eval.grade.良",
             "key_eval.grade.中", "key_eval.grade.差", "key_eval.avg_score", "ex_ante.amount", "monitoring.amount",
             "self_eval.amount", "execution.rate"]
    values = ", ".join(f"('{n}', {k})" for k, n in enumerate(names))
    con.execute(f"""
        INSERT INTO metrics (doc_id, idx, name, value, unit, evidence)
        SELECT md5(i::VARCHAR), k, n, CAST((hash(i * 31 + k) % 100000000) AS DECIMAL(38, 8)) / 100, 'yuan', '[]'
        FROM range({n_docs}) t(i), (VALUES {values}) v(n, k)""")
    con.execute(f"""
        INSERT INTO findings (doc_id, idx, rule, severity, message, "values", spans)
        SELECT md5(i::VARCHAR), 0, 'arithmetic.sum', CASE WHEN i % 3 = 0 THEN 'error' ELSE 'warning' END, 'm', [], '[]'
        FROM range({n_docs}) t(i) WHERE i % 2 = 0""")
    load = time.perf_counter() - t0
    n_metrics = con.execute("SELECT count(*) FROM metrics").fetchone()[0]
    t0 = time.perf_counter()
    con.execute("CREATE TEMP TABLE wide AS SELECT * FROM metrics_wide")
    seconds = time.perf_counter() - t0
    t0 = time.perf_counter()
    rows = con.execute("SELECT * FROM metrics_wide").fetchall()
    fetch = time.perf_counter() - t0
    con.close()
    return {"bench": "ingest", "case": f"metrics_wide over {n_docs:,} docs ({n_metrics:,} metric rows)",
            "n": len(rows), "seconds": round(seconds, 3),
            "note": f"query in DuckDB; {fetch:.1f}s incl. fetching all rows into Python; synth load {load:.1f}s"}


def bench_store_cost(files: list[str], tmp: Path) -> dict:
    """The store's own cost per document, in one process: rows_for (in the worker) and
    write_batch (in the parent), against process() itself."""
    from pipeline import store
    from pipeline.run import process

    results = []
    t0 = time.perf_counter()
    for f in files:
        try:
            results.append(process(f))
        except Exception:
            pass
    t_proc = time.perf_counter() - t0
    t0 = time.perf_counter()
    rows = [store.rows_for(d, r) for d, r in results if r.error is None]
    t_rows = time.perf_counter() - t0
    con = store.connect(tmp / "store-cost.duckdb")
    store.bulk_settings(con)  # as ingest() does
    import pyarrow  # noqa: F401  (imported once per ingest; not per document)

    import inspect

    from pipeline.ingest import ingest

    size = inspect.signature(ingest).parameters["batch_size"].default  # the batches ingest() writes
    t0 = time.perf_counter()
    for k in range(0, len(rows), size):
        store.write_batch(con, rows[k:k + size])
    t_write = time.perf_counter() - t0
    con.close()
    n = max(1, len(rows))
    return {"bench": "ingest", "case": "per document, one process: process() / rows_for / write_batch (ms)",
            "n": len(rows), "seconds": f"{t_proc / n * 1000:.2f} / {t_rows / n * 1000:.2f} / {t_write / n * 1000:.2f}",
            "ratio": round((t_proc + t_rows + t_write) / t_proc, 2), "target": "store share of CPU",
            "note": f"{sum(len(r['facts']['doc_id']) for r in rows) / n:.0f} facts/doc"}


# --------------------------------------------------------------------------- the rows


def run() -> list[dict]:
    from pipeline.generate import generate

    n = int(os.environ.get("JIXIAO_BENCH_N", "1000"))
    wide_n = int(os.environ.get("JIXIAO_BENCH_WIDE_N", "100000"))
    rows: list[dict] = []
    tmp = Path(tempfile.mkdtemp(prefix="jixiao-bench-"))
    try:
        corpus = tmp / "corpus"
        t0 = time.perf_counter()
        manifest = generate(n, corpus, formats=("txt", "docx", "pdf", "html"), contradiction_rate=0.1, seed=0)
        gen_s = time.perf_counter() - t0
        by_fmt: dict[str, list[str]] = {}
        for e in manifest:
            by_fmt.setdefault(e["format"], []).append(str(corpus / e["file"]))
        files = [str(corpus / e["file"]) for e in manifest]
        mix = ", ".join(f"{k} {len(v)}" for k, v in sorted(by_fmt.items()))

        # the fixed cost of one `jixiao ingest` (interpreter, imports, worker start, schema)
        one = tmp / "one"
        one.mkdir()
        os.link(files[0], one / Path(files[0]).name)
        startup, _, _ = run_measured([str(JIXIAO), "ingest", str(one), "--db", str(tmp / "one.duckdb"), "-j", "1", "-q"])
        fixed, _, _ = ingest_measured(one, tmp / "one-b.duckdb", 1)  # inside ingest(): worker start, store, one file
        rows.append({"bench": "ingest", "case": "`jixiao ingest` of one document (fixed cost)", "n": 1,
                     "seconds": round(startup, 2), "inside_ingest_s": round(fixed, 2)})

        # per format, 1 and 2 workers: n reports of each of txt/docx/html (a folder of its own,
        # generated alike), and the mixed corpus's pdf (n/4: at ~60 a second its start is
        # already a small share). With n/4 of each, the fixed start (0.27 s inside ingest)
        # was a third of a 2-worker txt run, and docs/s measured the start more than the load.
        targets = {"txt": 200, "docx": 200, "html": 200, "pdf": 50}
        for k, (fmt, fl) in enumerate(sorted(by_fmt.items())):
            d = tmp / f"only-{fmt}"
            if fmt in ("txt", "docx", "html"):
                t0 = time.perf_counter()
                made = generate(n, d, formats=(fmt,), contradiction_rate=0.1, seed=1 + k)
                gen_s += time.perf_counter() - t0
                fl = [str(d / e["file"]) for e in made if e["format"] == fmt]
                (d / "manifest.json").unlink(missing_ok=True)
            else:
                d.mkdir()
                for f in fl:
                    os.link(f, d / Path(f).name)
            for workers in (1, 2):
                # the median of three loads (each into a new store): on a shared 2-core machine
                # one load's rate varies by ±5 %
                runs = []
                for k in range(3):
                    db = tmp / f"{fmt}-{workers}-{k}.duckdb"
                    runs.append(ingest_measured(d, db, workers))
                    for p in (db, Path(str(db) + ".wal")):
                        p.unlink(missing_ok=True)
                secs, wall, rss = sorted(runs)[1]
                rss = max(r[2] for r in runs)
                spread = f"{len(fl) / max(r[0] for r in runs):.0f}-{len(fl) / min(r[0] for r in runs):.0f}"
                rate = len(fl) / secs
                # after the fixed start (one document's ingest); None when the folder is too small to tell
                steady = (len(fl) - 1) / (secs - fixed) if secs - fixed > 0.25 * secs else None
                rows.append({"bench": "ingest", "case": f"{fmt} only, {workers} worker(s), median of 3", "n": len(fl),
                             "seconds": round(secs, 2), "wall_s": round(wall, 2), "docs_per_s": round(rate, 1),
                             "range_per_s": spread,
                             "per_core": round(rate / workers, 1),
                             "after_start_per_s": round(steady, 1) if steady else None,
                             "peak_rss_mb": rss, "target": f">= {targets.get(fmt, 50)}/s/core",
                             "ok": rate / workers >= targets.get(fmt, 50)})

        list_file = tmp / "files.txt"
        list_file.write_text("\n".join(files), encoding="utf-8")
        for workers in (1, 2):
            db = tmp / f"mixed-{workers}.duckdb"
            secs, wall, rss = ingest_measured(corpus, db, workers)
            size = db.stat().st_size + (Path(str(db) + ".wal").stat().st_size if Path(str(db) + ".wal").exists() else 0)
            read_s = floor_measured(list_file, workers, "_read_only")
            proc_s = floor_measured(list_file, workers, "_process_only")
            rate = n / secs
            rows.append({"bench": "ingest", "case": f"mixed ({mix}), {workers} worker(s)", "n": n,
                         "seconds": round(secs, 2), "wall_s": round(wall, 2), "docs_per_s": round(rate, 1),
                         "per_core": round(rate / workers, 1),
                         "peak_rss_mb": rss, "db_mb": round(size / 2**20, 1),
                         "target": "rss < 1024 MB", "ok": rss < 1024})
            rows.append({"bench": "ingest", "case": f"parse floor, {workers} worker(s): read only / read+extract+checks",
                         "n": n, "seconds": f"{read_s:.2f} / {proc_s:.2f}",
                         "docs_per_s": f"{n / read_s:.0f} / {n / proc_s:.0f}",
                         "ratio": round(secs / proc_s, 2), "ratio_read": round(secs / read_s, 2),
                         "target": "ingest / floor < 1.5", "ok": secs / proc_s < 1.5})
        rows.append(bench_store_cost([f for f in files if f.endswith((".txt", ".html"))][:300], tmp))
        rows.append(bench_metrics_wide(wide_n, tmp))
        rows[0]["note"] = f"generated {n} in {gen_s:.1f}s; seconds = inside ingest(), wall_s = whole process"
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return rows


if __name__ == "__main__":
    for r in run():
        print(r)
