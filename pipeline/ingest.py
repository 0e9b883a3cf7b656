"""Bulk, parallel, resumable ingest into the DuckDB store.

    ingest(["corpus/", "more/*.pdf"], "demo.duckdb", workers=2)

- Paths: files, folders (recursive, report suffixes only) and globs.
- Worker processes run `pipeline.run.process(path)` and send back plain columnar rows
  (`store.rows_for`); only the parent writes to DuckDB.
- A per-document timeout kills a hung worker, records `timeout` and starts a new one;
  a worker that dies records `worker_crashed`.
- Whole documents are written in batches, one transaction per batch: an interrupted
  load leaves no half document, and the next run resumes (files whose sha256 is already
  stored by this pipeline version are skipped unless force=True; failed files are retried).
"""
from __future__ import annotations

import gc
import glob as _glob
import hashlib
import multiprocessing as mp
import os
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

SUFFIXES = {".txt", ".docx", ".pdf", ".doc", ".html", ".htm"}
GLOB_CHARS = set("*?[")


class WorkerStartError(RuntimeError):
    """Workers die before their first document: the environment, not a file, is at fault."""


@dataclass
class Summary:
    total: int = 0
    loaded: int = 0
    skipped: int = 0
    failed: Counter = field(default_factory=Counter)  # error code -> n
    findings: Counter = field(default_factory=Counter)  # severity -> n (documents loaded in this run)
    seconds: float = 0.0
    worker_pids: list[int] = field(default_factory=list)  # live workers (for progress callbacks)
    busy_pids: list[int] = field(default_factory=list)  # of those, the ones processing a document now
    t0: float = field(default_factory=time.perf_counter)

    @property
    def done(self) -> int:
        return self.loaded + self.skipped + sum(self.failed.values())

    @property
    def errors(self) -> int:
        return sum(self.failed.values())

    @property
    def docs_per_second(self) -> float:
        return (self.loaded + self.errors) / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict:
        return {"total": self.total, "loaded": self.loaded, "skipped": self.skipped, "failed": dict(self.failed),
                "findings": dict(self.findings), "seconds": round(self.seconds, 3)}


def collect(paths: Iterable[str | Path]) -> tuple[list[Path], list[str]]:
    """Expand files, folders (recursive: report suffixes only, hidden files and folders
    skipped) and globs. Returns (files in order, missing paths)."""
    files: list[Path] = []
    missing: list[str] = []
    seen: set[str] = set()

    def add(p: Path, key: Optional[str] = None) -> None:
        key = key or str(p.resolve())
        if key not in seen:
            seen.add(key)
            files.append(p)

    def add_folder(p: Path) -> None:
        # a file under a folder is known by the folder's real path and its own relative
        # one (resolve() per file: ~26 ms a thousand files); a symlink inside that names
        # another file of the load is then hashed twice and skipped as the same bytes
        # (hidden files and folders, and Word's ~$ lock files, are not reports)
        root, n = str(p.resolve()), len(p.parts)
        for q in sorted(p.rglob("*")):
            rel = q.parts[n:]
            if (q.suffix.lower() in SUFFIXES and not q.name.startswith("~$")
                    and not any(part.startswith(".") for part in rel) and q.is_file()):
                add(q, os.path.join(root, *rel))

    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            add_folder(p)
        elif p.is_file():
            add(p)
        elif GLOB_CHARS & set(str(raw)):
            hits = sorted(_glob.glob(str(raw), recursive=True))
            if not hits:
                missing.append(str(raw))
            for h in hits:
                q = Path(h)
                if q.is_file():
                    add(q)
                elif q.is_dir():
                    add_folder(q)
        else:
            missing.append(str(raw))
    return files, missing


def formats_of(files: Iterable[Path]) -> set[str]:
    """The report suffixes among the files (.htm as .html): what the worker server warms."""
    out = set()
    for f in files:
        suffix = os.path.splitext(str(f))[1].lower()
        out.add(".html" if suffix == ".htm" else suffix)
    return out


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --------------------------------------------------------------------------- worker side


def work(path: str) -> dict:
    """Process one file into plain data: {"rows": …, "severities": […]} or {"error": …}."""
    from pipeline import store
    from pipeline.run import process

    try:
        doc, record = process(path)
    except Exception as e:  # a parser bug must not stop a province's load
        return {"error": {"code": "internal_error", "message": f"处理出错（程序缺陷，请报告）：{type(e).__name__}: {e}"[:500]},
                "doc_id": None}
    if record.error is not None:
        return {"error": {"code": record.error.code, "message": record.error.message}, "doc_id": record.doc_id}
    try:
        size = os.path.getsize(path)
    except OSError:
        size = None
    return {"rows": store.rows_for(doc, record, size), "severities": [f.severity for f in record.findings],
            "doc_id": record.doc_id}


def resolve(spec: str) -> Callable[[str], dict]:
    """"module:function" -> the function (the worker's job; tests and benches swap it)."""
    import importlib

    mod, _, fn = spec.partition(":")
    return getattr(importlib.import_module(mod), fn)


def _worker_main(conn, work_spec: str = "pipeline.ingest:work") -> None:
    import signal

    import pipeline.run  # noqa: F401  (import once, before the first task)

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle

    job = resolve(work_spec)
    while True:
        try:
            path = conn.recv()
        except EOFError:
            return
        if path is None:
            return
        conn.send(job(path))


class _Worker:
    def __init__(self, ctx, work_spec: str):
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker_main, args=(child, work_spec), daemon=True)
        # multiprocessing re-runs the caller's __main__ in each worker: a script without the
        # `if __name__ == "__main__"` guard would start ingests recursively, one on stdin or in
        # a notebook would die. Workers need only pipeline modules, so they are not told of it.
        main = sys.modules.get("__main__")
        saved = {k: getattr(main, k) for k in ("__file__", "__spec__") if main is not None and hasattr(main, k)}
        for k in saved:
            if k == "__spec__":
                main.__spec__ = None
            else:
                delattr(main, k)
        try:
            self.proc.start()
        finally:
            for k, v in saved.items():
                setattr(main, k, v)
        child.close()
        self.done = 0  # documents this worker finished
        from collections import deque

        self.tasks: deque = deque()  # (path, sha256) sent, oldest (the one in progress) first
        self.started = 0.0

    def kill(self) -> None:
        try:
            self.proc.kill()
        except Exception:
            pass
        self.proc.join(5)
        self.conn.close()

    def ask_to_stop(self) -> None:
        try:
            self.conn.send(None)
        except (BrokenPipeError, OSError):
            pass

    def stop(self) -> None:
        """After ask_to_stop(): wait for the worker to exit (killed if it does not)."""
        self.proc.join(5)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(5)
        self.conn.close()


# What the worker server imports besides pipeline.warm, by the suffixes of the files to load:
# the readers and their libraries (pypdfium2 ~25 ms, lxml ~10 ms) only for formats present.
# A suffix is a hint (a .txt that is a .docx inside is read right, its reader imported then).
PRELOAD = {
    ".docx": ("pipeline.read.docx",),
    ".doc": ("pipeline.read.doc",),
    ".pdf": ("pipeline.read.pdf", "pypdfium2"),
    ".html": ("pipeline.read.html",),
}


def _mp_context():
    return mp.get_context("forkserver")


def start_server(formats: Optional[Iterable[str]] = None) -> None:
    """Start the worker server now (it returns at once): its imports and warm-up (~0.25 s,
    the longest step before the first document) run while this process opens the store.
    `formats`: the suffixes of the files to load (formats_of), whose readers it imports
    too; None: every format's. ingest() calls it once it has listed the files; a caller
    with more to import first (the CLI) calls it before that. Once the server runs, a
    later call does nothing (a reader it lacks is imported by each worker on first use)."""
    from multiprocessing import forkserver

    preload = ["pipeline.warm", "pipeline.ingest"]  # (each worker would import this module on start)
    for suffix in sorted(PRELOAD) if formats is None else sorted(formats):
        preload += [m for m in PRELOAD.get(suffix, ()) if m not in preload]
    try:
        _mp_context().set_forkserver_preload(preload)  # imports and warms the pipeline once, for every worker
    except Exception:  # pragma: no cover
        pass
    forkserver.ensure_running()


# --------------------------------------------------------------------------- parent side


class _Feed:
    """The tasks (path, sha256) in file order, each file hashed when it is about to be handed
    out rather than all before the first: files already stored by this pipeline version,
    and the same bytes under a second name, are skipped (counted in summary.skipped)."""

    def __init__(self, files: list[Path], have: set[str], fail, summary: Summary):
        from collections import deque

        self.files = iter(files)
        self.have, self.fail, self.summary = have, fail, summary
        self.ready: deque = deque()  # hashed and not handed out, or given back by a dead worker
        self.queued: set[str] = set()
        self.hashed_all = False

    def _hash_next(self) -> bool:
        """Hash files until one is to be processed; False when there are no more."""
        for f in self.files:
            try:
                sha = sha256_file(f)
            except OSError as e:
                self.fail(str(f), None, "not_found", f"无法读取文件：{f}（{e.strerror}）")
                continue
            if sha in self.have or sha in self.queued:
                self.summary.skipped += 1
                continue
            self.queued.add(sha)
            self.ready.append((str(f), sha))
            return True
        self.hashed_all = True
        return False

    def ahead(self, n: int) -> int:
        """Hash until n tasks are ready (or the files end); how many are."""
        while len(self.ready) < n and self._hash_next():
            pass
        return len(self.ready)

    def __bool__(self) -> bool:
        return bool(self.ready) or self._hash_next()

    def pop(self) -> tuple[str, str]:
        return self.ready.popleft()  # after a true bool(self)

    def give_back(self, tasks) -> None:
        """Tasks a dead worker had not started go first to another one."""
        self.ready.extendleft(reversed(list(tasks)))

    @property
    def exhausted(self) -> bool:
        """Every task handed out: the load is in its last few documents."""
        return self.hashed_all and not self.ready

    def __iter__(self):
        while self:
            yield self.pop()


def ingest(
    paths: Iterable[str | Path],
    db_path: str | Path,
    workers: Optional[int] = None,
    force: bool = False,
    timeout: float = 120.0,
    batch_size: int = 256,
    progress: bool = False,
    on_progress: Optional[Callable[[Summary], None]] = None,
    work_spec: str = "pipeline.ingest:work",
) -> Summary:
    """Load files into the store. Raises store.StoreLocked when another process holds the file."""
    # No cyclic garbage collection during the load: the parent holds up to a few batches of
    # results (lists and dicts, no cycles) and each collection walks them all (250 reports:
    # ~50 ms of the parent's CPU, taken from the workers). Restored on return.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _ingest(paths, db_path, workers, force, timeout, batch_size, progress, on_progress, work_spec)
    finally:
        if gc_was_enabled:
            gc.enable()


def _ingest(paths, db_path, workers, force, timeout, batch_size, progress, on_progress, work_spec) -> Summary:
    summary = Summary()
    t0 = summary.t0
    files, missing = collect(paths)
    if workers != 0:
        start_server(formats_of(files))
    from pipeline import store
    from pipeline.version import PIPELINE_VERSION

    writer: Optional[_Writer] = None
    # take the write lock first: a second writer fails before any work. With workers, the
    # views are (re)created by the writer thread while they start (~20 ms off the way to the first document)
    late_views = workers != 0
    con = store.connect(db_path, views=not late_views)
    try:
        store.bulk_settings(con)
        summary.total = len(files) + len(missing)
        have = set() if force else store.loaded_ids(con, PIPELINE_VERSION)
        writer = _Writer(con, batch_size, views=late_views)

        def fail(source: str, doc_id: Optional[str], code: str, message: str) -> None:
            writer.add_error({"source": source, "doc_id": doc_id, "code": code, "message": message,
                              "pipeline_version": PIPELINE_VERSION})
            summary.failed[code] += 1

        for m in missing:
            fail(m, None, "not_found", f"找不到文件或没有匹配的文件：{m}")
        feed = _Feed(files, have, fail, summary)

        bar = _Bar(summary, enabled=progress)
        bar.start()

        def take(task: tuple[str, str], result: dict) -> None:
            source, sha = task
            if "error" in result:
                fail(source, result.get("doc_id") or sha, result["error"]["code"], result["error"]["message"])
            else:
                writer.add_doc(result["rows"])
                summary.loaded += 1
                summary.findings.update(result["severities"])
            if feed.exhausted:  # the last few documents: each is written as soon as it comes
                writer.eager()
            summary.seconds = time.perf_counter() - t0
            bar.update()
            if on_progress is not None:
                on_progress(summary)

        try:
            if workers == 0:  # in-process (no timeout): debugging and the parse-floor bench
                job = resolve(work_spec)
                for task in feed:
                    take(task, job(task[0]))
            else:
                n_workers = max(1, workers or os.cpu_count() or 1)
                n_workers = min(n_workers, feed.ahead(n_workers))
                if n_workers:
                    _run_pool(feed, n_workers, timeout, take, fail, summary, bar, on_progress, work_spec)
        except (KeyboardInterrupt, WorkerStartError):
            writer.close()  # keep the whole documents already done: the next run resumes after them
            bar.stop()
            raise
        writer.close()
        bar.stop()
    finally:
        if writer is not None:
            writer.abandon()
        con.close()
    summary.seconds = time.perf_counter() - t0
    return summary


class _Writer:
    """Writes finished documents to DuckDB on a thread of the parent (DuckDB releases the GIL
    while it executes), so that workers' results keep being received while a batch commits.

    Group commit: the thread writes what has accumulated, one transaction per write, when
    `batch_size` results wait, when the oldest has waited MAX_AGE seconds, or — once every
    file is handed out (`eager()`) — as soon as anything waits. A statement costs DuckDB
    0.2-0.9 ms whatever its size, so batches keep the mid-load cost down (write_batch's CPU
    a document: ~2.6 ms at 4, 0.36-0.45 at 64, 0.26-0.29 at 256, which put a 2-worker docx
    load at 395-399 documents/s against 373-386) and the eager end keeps the tail to about
    one small commit. Memory: at most twice batch_size results wait (back-pressure).
    Batches are written in order; each holds whole documents only. A write error is raised
    again in the caller's thread at the next add or at close()."""

    MAX_AGE = 2.0  # seconds a finished document may wait for its batch

    def __init__(self, con, batch_size: int, views: bool = False):
        import threading

        self.con = con
        self.views = views  # create the store's views first (ingest opened it without them)
        self.batch_size = max(1, batch_size)
        self.cond = threading.Condition()
        self.docs: list[dict] = []
        self.errors: list[dict] = []
        self.oldest = 0.0  # when the first waiting result arrived
        self.now = False  # write whatever waits, without waiting for a batch
        self.closing = False
        self.error: Optional[BaseException] = None
        self.thread = threading.Thread(target=self._run, name="jixiao-writer", daemon=True)
        self.thread.start()

    def _waiting(self) -> int:
        return len(self.docs) + len(self.errors)

    def _run(self) -> None:
        try:
            self._loop()
        except BaseException as e:  # noqa: BLE001 - the thread must not end silently with results waiting
            self.error = self.error or e

    def _loop(self) -> None:
        from pipeline import store

        if self.views:
            store.init_views(self.con)
        _import_pyarrow()  # here, while the workers read their first files

        cond = self.cond
        while True:
            with cond:
                while True:
                    n = self._waiting()
                    if self.closing or (n and (self.now or n >= self.batch_size)):
                        break
                    left = self.oldest + self.MAX_AGE - time.perf_counter()
                    if n and left <= 0:
                        break
                    cond.wait(left if n else None)
                if not n and self.closing:
                    return
                docs, errors = self.docs, self.errors
                self.docs, self.errors = [], []
                cond.notify_all()  # a producer held back by a full queue may go on
            if self.error is None:  # after a failed batch, later ones are dropped (and reported)
                try:
                    store.write_batch(self.con, docs, errors)
                except BaseException as e:  # noqa: BLE001 - handed to the caller's thread
                    self.error = e

    def _raise(self) -> None:
        if self.error is not None:
            err, self.error = self.error, None
            raise err

    def _add(self, into: list, item: dict) -> None:
        self._raise()
        with self.cond:
            if not self._waiting():
                self.oldest = time.perf_counter()
            into.append(item)
            n = self._waiting()
            if n == 1 or n >= self.batch_size or self.now:  # the first starts the writer's MAX_AGE clock
                self.cond.notify_all()
            # back-pressure: a writer far behind holds the results here, not in memory
            while self._waiting() >= 2 * self.batch_size and self.error is None and self.thread.is_alive():
                self.cond.wait(0.5)

    def add_doc(self, rows: dict) -> None:
        self._add(self.docs, rows)

    def add_error(self, error: dict) -> None:
        self._add(self.errors, error)

    def eager(self) -> None:
        """From now on, write each result as soon as the previous write is done."""
        with self.cond:
            self.now = True
            self.cond.notify_all()

    def close(self) -> None:
        """Write what waits, wait until every batch is written; raise a write error."""
        with self.cond:
            self.closing = True
            self.cond.notify_all()
        self.thread.join()
        self._raise()

    def abandon(self) -> None:
        """On an unexpected exit: let the documents already finished be written before the connection closes."""
        if self.thread.is_alive():
            with self.cond:
                self.closing = True
                self.cond.notify_all()
            self.thread.join()


def _import_pyarrow() -> None:
    """Import pyarrow (the store's writes) with one OpenBLAS thread. pyarrow imports numpy,
    whose OpenBLAS starts a thread per core that spins while it sets up: ~150 ms of CPU on
    two cores, taken from the workers, for linear algebra the ingest never does (import
    ~270 -> ~110 ms of CPU). The variable is set for the import only; in a process that had
    not imported numpy before, numpy's BLAS stays single-threaded afterwards."""
    if "numpy" in sys.modules or "OPENBLAS_NUM_THREADS" in os.environ:
        import pyarrow  # noqa: F401
        return
    os.environ["OPENBLAS_NUM_THREADS"] = "1"
    try:
        import pyarrow  # noqa: F401
    finally:
        os.environ.pop("OPENBLAS_NUM_THREADS", None)


DEPTH = 2  # tasks queued per worker: it starts the next file while the parent writes a batch


def _run_pool(queue: _Feed, n_workers, timeout, take, fail, summary: Summary, bar, on_progress, work_spec) -> None:
    """Feed files to worker processes, DEPTH at a time each; a worker's head task is the one
    it is working on (its clock starts when the previous result arrives)."""
    ctx = _mp_context()
    poller = _Poller()
    pool = [_Worker(ctx, work_spec) for _ in range(n_workers)]
    summary.worker_pids = [w.proc.pid for w in pool]
    fresh_deaths = 0  # workers in a row that died before finishing any document

    def replace(i: int) -> None:
        pool[i] = _Worker(ctx, work_spec)
        summary.worker_pids = [x.proc.pid for x in pool]

    try:
        while queue or any(w.tasks for w in pool):
            for i, w in enumerate(pool):
                if not w.tasks and queue and not w.proc.is_alive():  # died between documents: nothing lost
                    w.kill()
                    replace(i)
                    w = pool[i]
                while len(w.tasks) < DEPTH and queue:
                    task = queue.pop()
                    if not w.tasks:
                        w.started = time.perf_counter()
                    w.tasks.append(task)
                    try:
                        w.conn.send(task[0])
                    except (BrokenPipeError, OSError):
                        break  # the sentinel below reports the dead worker
            busy = [w for w in pool if w.tasks]
            now = time.perf_counter()
            wait_for = max(0.0, min(w.started + timeout for w in busy) - now) if busy else 0.0
            poller.watch([w.conn for w in busy] + [w.proc.sentinel for w in busy])
            ready = poller.wait(min(wait_for, 0.5))
            for i, w in enumerate(pool):
                if not w.tasks:
                    continue
                dead = False
                got = False
                if w.conn in ready:
                    try:
                        while w.tasks and w.conn.poll():  # every result already sent
                            result = w.conn.recv()
                            got = True
                            w.done += 1
                            fresh_deaths = 0
                            task = w.tasks.popleft()
                            w.started = time.perf_counter()
                            summary.busy_pids = [x.proc.pid for x in pool if x.tasks]
                            take(task, result)
                    except (EOFError, OSError):
                        dead = True
                if not dead and w.proc.sentinel in ready and not got:
                    dead = True
                if dead and w.tasks:
                    task = w.tasks.popleft()
                    queue.give_back(w.tasks)  # not started: another worker takes them
                    w.tasks.clear()
                    w.kill()
                    fresh_deaths = fresh_deaths + 1 if w.done == 0 else 0
                    if fresh_deaths >= 3:
                        raise WorkerStartError(
                            f"工作进程启动后立即退出（退出码 {w.proc.exitcode}），已停止入库；请检查环境后重试。\n"
                            f"Worker processes die as they start (exit code {w.proc.exitcode}); the load stopped.")
                    fail(task[0], task[1], "worker_crashed",
                         f"处理该文件时工作进程意外退出（退出码 {w.proc.exitcode}），可重新运行 ingest 重试")
                elif w.tasks and time.perf_counter() - w.started > timeout:
                    task = w.tasks.popleft()
                    queue.give_back(w.tasks)
                    w.tasks.clear()
                    w.kill()
                    fail(task[0], task[1], "timeout", f"处理超时（超过 {timeout:g} 秒），已终止该文件的解析")
                elif dead:
                    w.kill()
                else:
                    continue
                replace(i)
                summary.seconds = time.perf_counter() - summary.t0
                bar.update()
                if on_progress is not None:
                    on_progress(summary)
    finally:
        idle = [w for w in pool if not w.tasks]
        for w in idle:  # all asked first: they exit side by side
            w.ask_to_stop()
        for w in pool:
            if w.tasks:
                w.kill()
            else:
                w.stop()
        summary.worker_pids = []


class _Poller:
    """multiprocessing.connection.wait() over the busy workers' pipes and process sentinels,
    with one poll object kept from call to call: wait() builds and fills a selector each
    time (~90 us, a call or two a document), while the objects watched rarely change."""

    def __init__(self):
        import select

        self.poll = select.poll()
        self.mask = select.POLLIN
        self.fds: dict[int, object] = {}  # fd -> the object watched

    def watch(self, objects: list) -> None:
        want = {(o if isinstance(o, int) else o.fileno()): o for o in objects}
        if want.keys() != self.fds.keys():
            for fd in self.fds.keys() - want.keys():
                self.poll.unregister(fd)
            for fd in want.keys() - self.fds.keys():
                self.poll.register(fd, self.mask)
        self.fds = want

    def wait(self, timeout: float) -> set:
        """The objects ready to read (or closed) within `timeout` seconds."""
        import math

        return {self.fds[fd] for fd, _ in self.poll.poll(max(0, math.ceil(timeout * 1000)))}


class _Bar:
    """A rich progress bar on stderr: documents, docs/s, errors so far."""

    def __init__(self, summary: Summary, enabled: bool):
        self.s = summary
        self.enabled = enabled
        self.progress = None

    def start(self) -> None:
        if not self.enabled:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn("ingest"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]:.1f} docs/s"), TextColumn("errors {task.fields[errors]}"),
            TextColumn("skipped {task.fields[skipped]}"), TimeElapsedColumn(), TimeRemainingColumn(),
            console=Console(stderr=True), transient=False,
        )
        self.progress.start()
        self.task = self.progress.add_task("ingest", total=self.s.total, rate=0.0, errors=0, skipped=self.s.skipped)
        self.update()

    def update(self) -> None:
        if self.progress is None:
            return
        self.progress.update(self.task, completed=self.s.done, rate=self.s.docs_per_second, errors=self.s.errors,
                             skipped=self.s.skipped)

    def stop(self) -> None:
        if self.progress is not None:
            self.update()
            self.progress.stop()
