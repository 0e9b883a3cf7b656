"""Bulk ingest: idempotent, resumable after a kill, bad files recorded while good ones load,
per-document timeout, a dying worker."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline import store
from pipeline.generate import generate
from pipeline.ingest import collect, ingest, work

VENV_BIN = Path(sys.executable).parent
TESTS = Path(__file__).resolve().parent


def _slow_work(path: str) -> dict:
    """The real job, but a file named *hang* never finishes and every file takes 20 ms."""
    if "hang" in Path(path).name:
        time.sleep(600)
    time.sleep(0.02)
    return work(path)


def _slower_work(path: str) -> dict:
    """50 ms a file: a kill mid-run lands seconds before the end, even on a busy machine."""
    time.sleep(0.05)
    return work(path)


def _counts(db: Path) -> dict:
    con = store.connect(db, read_only=True)
    try:
        q = lambda s: con.execute(s).fetchone()[0]  # noqa: E731
        return {
            "documents": q("SELECT count(*) FROM documents"),
            "facts": q("SELECT count(*) FROM facts"),
            "facts_declared": q("SELECT coalesce(sum(n_facts), 0) FROM documents"),
            "orphans": q("SELECT count(*) FROM facts WHERE doc_id NOT IN (SELECT doc_id FROM documents)"),
            "errors": q("SELECT count(*) FROM ingest_errors"),
            "distinct_docs": q("SELECT count(DISTINCT doc_id) FROM documents"),
        }
    finally:
        con.close()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gen")
    generate(24, out, formats=("txt",), contradiction_rate=0.25, seed=7)
    return out


def test_collect_files_folders_and_globs(corpus, tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "notes.json").write_text("{}", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "hidden.txt").write_text("x", encoding="utf-8")
    (tmp_path / "sub" / "~$a.docx").write_bytes(b"lock")
    (tmp_path / "sub" / ".b.txt").write_text("x", encoding="utf-8")
    files, missing = collect([tmp_path, str(corpus / "0000*.txt"), tmp_path / "nope.txt", str(tmp_path / "*.zzz"),
                              tmp_path / "sub" / "a.txt", str(tmp_path / "su*")])  # a.txt named three ways
    names = [f.name for f in files]
    assert "a.txt" in names and "notes.json" not in names  # folders: report suffixes only, recursive
    assert names.count("a.txt") == 1  # once, however often it is named
    assert not {"hidden.txt", "~$a.docx", ".b.txt"} & set(names)  # hidden files and folders, Word's lock files
    assert len([n for n in names if n.startswith("0000")]) == 10  # 00000..00009
    assert missing == [str(tmp_path / "nope.txt"), str(tmp_path / "*.zzz")]


def test_reingest_is_idempotent_and_force_replaces(corpus, tmp_path):
    db = tmp_path / "i.duckdb"
    first = ingest([corpus], db, workers=2)
    assert first.loaded == 24 and first.skipped == 0 and not first.failed
    before = _counts(db)
    assert before["documents"] == 24 and before["facts"] == before["facts_declared"] > 0
    second = ingest([corpus, corpus / "00001_*.txt"], db, workers=2)  # same files, named twice
    assert second.loaded == 0 and second.skipped == 24
    assert _counts(db) == before
    forced = ingest([corpus], db, workers=1, force=True)
    assert forced.loaded == 24
    assert _counts(db) == before  # replaced, not duplicated


def test_a_corrected_file_replaces_its_earlier_version(corpus, tmp_path):
    work_dir = tmp_path / "w"
    work_dir.mkdir()
    files = sorted(corpus.glob("*.txt"))[:3]
    for f in files:
        (work_dir / f.name).write_bytes(f.read_bytes())
    db = tmp_path / "v.duckdb"
    assert ingest([work_dir], db, workers=1).loaded == 3
    target = work_dir / files[0].name
    target.write_text(target.read_text(encoding="utf-8") + "\n另：补充说明一项。", encoding="utf-8")
    s = ingest([work_dir], db, workers=1)
    assert s.loaded == 1 and s.skipped == 2
    con = store.connect(db, read_only=True)
    rows = con.execute("SELECT count(*), count(DISTINCT source), max(CASE WHEN source = ? THEN text END) FROM documents",
                       [str(target)]).fetchone()
    con.close()
    assert rows[0] == rows[1] == 3
    assert rows[2].endswith("另：补充说明一项。")


def test_bad_files_are_recorded_while_good_ones_load(corpus, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "garbage.pdf").write_bytes(os.urandom(3000))
    good = sorted(corpus.glob("*.txt"))[:3]
    db = tmp_path / "b.duckdb"
    s = ingest([*good, bad, tmp_path / "missing.docx"], db, workers=2)
    assert s.loaded == 3
    con = store.connect(db, read_only=True)
    rows = dict(con.execute("SELECT regexp_extract(source, '[^/]+$'), code FROM ingest_errors").fetchall())
    msgs = [m for (m,) in con.execute("SELECT message FROM ingest_errors").fetchall()]
    con.close()
    assert rows["empty.txt"] == "empty"
    assert rows["missing.docx"] == "not_found"
    assert "garbage.pdf" in rows  # whatever the reader calls it, it is recorded, not loaded
    assert all(msgs)
    assert _counts(db)["documents"] == 3
    # fixing a file and re-running clears its error
    (bad / "empty.txt").write_text(good[0].read_text(encoding="utf-8") + "\n补充说明。", encoding="utf-8")
    s2 = ingest([*good, bad / "empty.txt"], db, workers=1)
    assert s2.loaded == 1 and s2.skipped == 3
    con = store.connect(db, read_only=True)
    assert con.execute("SELECT count(*) FROM ingest_errors WHERE source LIKE '%empty.txt'").fetchone()[0] == 0
    con.close()


def test_timeout_kills_a_hung_parse_and_the_rest_loads(corpus, tmp_path):
    hang = tmp_path / "hang.txt"
    hang.write_text("挂起的文件", encoding="utf-8")
    files = sorted(corpus.glob("*.txt"))[:4]
    db = tmp_path / "t.duckdb"
    t0 = time.perf_counter()
    s = ingest([hang, *files], db, workers=2, timeout=1.5, work_spec="test_ingest:_slow_work")
    assert time.perf_counter() - t0 < 30
    assert s.loaded == 4 and s.failed == {"timeout": 1}
    con = store.connect(db, read_only=True)
    assert con.execute("SELECT code FROM ingest_errors WHERE source = ?", [str(hang)]).fetchall() == [("timeout",)]
    con.close()


def test_a_killed_worker_loses_one_document_which_the_next_run_loads(corpus, tmp_path):
    db = tmp_path / "k.duckdb"
    killed = []

    def kill_one(summary):
        if summary.done >= 5 and summary.busy_pids and not killed:  # a worker in the middle of a document
            killed.append(summary.busy_pids[0])
            os.kill(summary.busy_pids[0], signal.SIGKILL)

    s = ingest([corpus], db, workers=2, work_spec="test_ingest:_slow_work", on_progress=kill_one)
    assert killed
    assert s.failed == {"worker_crashed": 1} and s.loaded == 23
    c = _counts(db)
    assert c["documents"] == 23 and c["errors"] == 1 and c["facts"] == c["facts_declared"]
    again = ingest([corpus], db, workers=2)
    assert again.loaded == 1 and again.skipped == 23
    c = _counts(db)
    assert c["documents"] == 24 and c["errors"] == 0 and c["orphans"] == 0


def test_resume_after_the_whole_ingest_is_killed(tmp_path):
    gen = tmp_path / "gen"
    generate(160, gen, formats=("txt",), contradiction_rate=0.0, seed=3)
    db = tmp_path / "r.duckdb"
    code = (
        "import sys; sys.path.insert(0, %r)\n"
        "from pipeline.ingest import ingest\n"
        "ingest([%r], %r, workers=2, batch_size=8, work_spec='test_ingest:_slower_work',\n"
        "       on_progress=lambda s: print(s.done, flush=True))\n" % (str(TESTS), str(gen), str(db))
    )
    p = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, start_new_session=True)
    try:
        for line in p.stdout:
            if int(line) >= 40:  # several batches committed, ~120 documents (3 s) still to come
                break
        os.killpg(p.pid, signal.SIGKILL)  # the parent and its workers, mid-run
    finally:
        p.wait()
        p.stdout.close()
    part = _counts(db)
    assert 0 < part["documents"] < 160
    assert part["facts"] == part["facts_declared"] and part["orphans"] == 0  # no half document
    s = ingest([gen], db, workers=2)
    assert s.skipped == part["documents"] and s.loaded == 160 - part["documents"]
    full = _counts(db)
    assert full["documents"] == full["distinct_docs"] == 160
    assert full["facts"] == full["facts_declared"] and full["orphans"] == 0


def test_cli_ingest_summary_and_findings(corpus, tmp_path):
    db = tmp_path / "c.duckdb"
    run = subprocess.run([str(VENV_BIN / "jixiao"), "ingest", str(corpus), "--db", str(db), "-j", "2"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "loaded" in run.stderr and "24" in run.stderr
    f = subprocess.run([str(VENV_BIN / "jixiao"), "findings", "--db", str(db), "--severity", "error"],
                       capture_output=True, text=True)
    assert f.returncode == 0 and "Traceback" not in f.stderr


def test_a_script_without_the_main_guard_can_call_ingest(corpus, tmp_path):
    """Workers must not re-run the caller's script (multiprocessing's default would start
    ingests recursively); nor die when the script comes on stdin."""
    files = [str(f) for f in sorted(corpus.glob("*.txt"))[:3]]
    script = (f"from pipeline.ingest import ingest\n"
              f"s = ingest({files!r}, {str(tmp_path / 'g.duckdb')!r}, workers=2)\n"
              f"print(s.loaded, dict(s.failed))\n")
    path = tmp_path / "load.py"
    path.write_text(script, encoding="utf-8")
    run = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120)
    assert run.stdout.strip() == "3 {}", run.stderr[-2000:]
    (tmp_path / "g.duckdb").unlink()
    run = subprocess.run([sys.executable, "-"], input=script, capture_output=True, text=True, timeout=120)
    assert run.stdout.strip() == "3 {}", run.stderr[-2000:]


def test_a_failing_batch_write_stops_the_load_with_its_error(corpus, tmp_path, monkeypatch):
    """Batches are written on a thread: its error must reach the caller, not vanish."""
    def broken(con, docs, errors=()):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store, "write_batch", broken)
    with pytest.raises(OSError, match="No space left"):
        ingest([corpus], tmp_path / "x.duckdb", workers=0)


def test_the_worker_warm_up_runs_every_kind_of_fact():
    """pipeline.warm (preloaded by the worker server) must exercise every extractor and the
    checks, or workers pay the first-document cost again."""
    from pipeline.run import extract_document
    from pipeline.warm import SAMPLE
    from schemas import Document

    r = extract_document(Document(source="w.txt", doc_id="w", format="txt", text=SAMPLE))
    for kind in ("amounts", "rates", "counts", "doc_numbers", "grades", "scores", "dates", "metrics", "sections"):
        assert getattr(r, kind), kind
    assert r.error is None and not r.warnings


# --------------------------------------------------------------------------- the group-commit writer


def _spy_batches(monkeypatch, fail_at: int = 0) -> list[tuple[int, int]]:
    """Wrap store.write_batch: record (documents, errors) per call; the fail_at-th call raises."""
    real = store.write_batch
    calls: list[tuple[int, int]] = []

    def spy(con, docs, errors=()):
        calls.append((len(docs), len(errors)))
        if fail_at and len(calls) == fail_at:
            raise OSError(28, "No space left on device")
        real(con, docs, errors)

    monkeypatch.setattr(store, "write_batch", spy)
    return calls


def test_writer_groups_results_in_order_and_writes_each_once(monkeypatch):
    from pipeline.ingest import _Writer

    got: list[str] = []
    monkeypatch.setattr(store, "write_batch",
                        lambda con, docs, errors=(): got.extend([d["id"] for d in docs] + [e["source"] for e in errors]))
    w = _Writer(None, batch_size=4)
    for i in range(30):
        w.add_doc({"id": f"d{i}"})
    w.add_error({"source": "bad.txt"})
    w.close()
    assert got == [f"d{i}" for i in range(30)] + ["bad.txt"]  # in order, none twice, none lost


def test_writer_writes_a_lone_result_soon_once_eager_or_old(monkeypatch):
    from pipeline.ingest import _Writer

    got: list[str] = []
    monkeypatch.setattr(store, "write_batch", lambda con, docs, errors=(): got.extend(d["id"] for d in docs))
    monkeypatch.setattr(_Writer, "MAX_AGE", 0.2)
    w = _Writer(None, batch_size=1000)
    w.add_doc({"id": "old"})
    t0 = time.perf_counter()
    while not got and time.perf_counter() - t0 < 5:
        time.sleep(0.01)
    assert got == ["old"]  # after MAX_AGE, not at the end of the load
    monkeypatch.setattr(_Writer, "MAX_AGE", 60.0)
    w.eager()
    w.add_doc({"id": "last"})
    t0 = time.perf_counter()
    while len(got) < 2 and time.perf_counter() - t0 < 5:
        time.sleep(0.01)
    assert got == ["old", "last"] and time.perf_counter() - t0 < 5
    w.close()


def test_ingest_writes_in_batches_and_a_failed_batch_leaves_whole_documents_to_resume(corpus, tmp_path, monkeypatch):
    db = tmp_path / "w.duckdb"
    calls = _spy_batches(monkeypatch, fail_at=3)
    with pytest.raises(OSError, match="No space left"):
        ingest([corpus], db, workers=0, batch_size=4)
    written = sum(d for d, _ in calls[:2])
    assert len(calls) >= 3 and all(d >= 4 for d, _ in calls[:2])  # batches, not one document a transaction
    part = _counts(db)
    assert part["documents"] == written  # the two committed batches, all of them, nothing of the third
    assert part["facts"] == part["facts_declared"] and part["orphans"] == 0
    monkeypatch.undo()  # the real write_batch again
    s = ingest([corpus], db, workers=2, batch_size=4)
    assert s.skipped == written and s.loaded == 24 - written
    full = _counts(db)
    assert full["documents"] == full["distinct_docs"] == 24
    assert full["facts"] == full["facts_declared"] and full["orphans"] == 0


def test_writer_thread_failing_outside_a_write_is_reported(monkeypatch):
    """Results must never wait silently for a writer thread that has ended."""
    from pipeline.ingest import _Writer

    def broken_loop(self):
        raise RuntimeError("writer broke")

    monkeypatch.setattr(_Writer, "_loop", broken_loop)
    w = _Writer(None, batch_size=4)
    w.thread.join(5)
    with pytest.raises(RuntimeError, match="writer broke"):
        for i in range(100):
            w.add_doc({"id": i})
    w.abandon()
