"""Extraction speed (issue 3): every fact kind + metrics + checks, on one core.

Rows:
- per-document extraction (Document -> ExtractRecord: all kinds, metrics, checks), median,
  excluding start-up, on the seeds and on generated reports; also normalised to a
  2,000-character report (target <= 1 ms);
- cold start of `jixiao extract` on one file (target <= 0.5 s);
- whole process over a folder of N generated reports (`jixiao extract DIR/*.txt`), in one
  process (-j 1, the figure to set beside a one-process peer) and with -j <cores> (the default
  from 64 files on);
- fact extraction alone (`pipeline.run.extract_facts`: every extractor, no metrics or
  checks), median per generated report and per 2,000 characters (target <= 0.5 ms), then
  each extractor's own median (doc_numbers, dates, the mask, amounts, rates, counts,
  grades, scores, and jurisdiction.extract_meta), so a slow one shows.

JIXIAO_BENCH_N sets the folder size (default 500).
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JIXIAO = str(Path(sys.executable).with_name("jixiao"))


def _docs(texts):
    from schemas import Document

    return [Document(source=f"d{i}.txt", doc_id=str(i), format="txt", text=t) for i, t in enumerate(texts)]


def _per_doc(docs, repeat=30):
    from pipeline.run import extract_document

    times = []
    for _ in range(repeat):
        for d in docs:
            _clear_caches()
            t0 = time.perf_counter()
            extract_document(d)
            times.append(time.perf_counter() - t0)
    return times


def _clear_caches() -> None:
    """The per-document cache (number runs): cleared before every timed call."""
    from extractors import numbers

    numbers.number_runs.cache_clear()


def _facts_rows(texts: list[str], repeat: int = 5) -> list[dict]:
    """extract_facts and each extractor, median ms per report (caches cleared per document)."""
    from extractors import amounts, counts, dates, doc_numbers, grades, jurisdiction, rates, scores
    from pipeline.run import claimed_mask, extract_facts

    chars = statistics.median(len(t) for t in texts)
    for t in texts:  # warm: lazy patterns, the gazetteer
        extract_facts(t)
        jurisdiction.extract_meta(t)
    whole: list[float] = []
    stage: dict[str, list[float]] = {}

    def timed(name, fn):
        t0 = time.perf_counter()
        r = fn()
        stage.setdefault(name, []).append(time.perf_counter() - t0)
        return r

    for _ in range(repeat):
        for t in texts:
            _clear_caches()
            t0 = time.perf_counter()
            extract_facts(t)
            whole.append(time.perf_counter() - t0)
            _clear_caches()
            nums = timed("doc_numbers", lambda: doc_numbers.extract(t))
            ds = timed("dates", lambda: dates.extract(t))
            mask = timed("mask", lambda: claimed_mask(t, nums, ds))
            timed("amounts", lambda: amounts.extract(t, mask))
            timed("rates", lambda: rates.extract(t, mask))
            timed("counts", lambda: counts.extract(t, mask))
            timed("grades", lambda: grades.extract(t, mask))
            timed("scores", lambda: scores.extract(t, mask))
            timed("jurisdiction.extract_meta", lambda: jurisdiction.extract_meta(t))
    med = statistics.median(whole)
    rows = [{
        "what": f"extract_facts, generated ({len(texts)})",
        "median ms/doc": round(med * 1e3, 3),
        "median chars": int(chars),
        "ms per 2,000 chars": round(med * 1e3 * 2000 / chars, 3),
    }]
    for name, times in stage.items():
        rows.append({"what": f"  {name}", "median ms/doc": round(statistics.median(times) * 1e3, 3)})
    return rows


def _generated_texts(n: int, out: Path) -> list[Path]:
    from pipeline.generate import generate

    generate(n, out, formats=("txt",), contradiction_rate=0.1, seed=7)
    return sorted(out.rglob("*.txt"))


def run() -> list[dict]:
    rows = []
    seeds = [p.read_text("utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
    n = int(os.environ.get("JIXIAO_BENCH_N", "500"))
    with tempfile.TemporaryDirectory() as tmp:
        files = _generated_texts(n, Path(tmp))
        generated = [p.read_text("utf-8") for p in files]
        for name, texts, repeat in (("seeds", seeds, 40), (f"generated ({len(generated)})", generated[:100], 5)):
            docs = _docs(texts)
            _per_doc(docs, 2)  # warm
            times = _per_doc(docs, repeat)
            chars = statistics.median(len(t) for t in texts)
            med = statistics.median(times)
            rows.append({
                "what": f"extract_document, {name}",
                "median ms/doc": round(med * 1e3, 3),
                "median chars": int(chars),
                "ms per 2,000 chars": round(med * 1e3 * 2000 / chars, 3),
                "chars/s": int(sum(len(t) for t in texts) * repeat / sum(times)),
            })
        rows += _facts_rows(generated[:100])
        one = str(ROOT / "corpus" / sorted(os.listdir(ROOT / "corpus"))[0])
        cold = []
        for _ in range(7):
            t0 = time.perf_counter()
            subprocess.run([JIXIAO, "extract", one], check=True, stdout=subprocess.DEVNULL)
            cold.append(time.perf_counter() - t0)
        rows.append({"what": "cold start: jixiao extract one file", "median s": round(statistics.median(cold), 3)})
        for label, opts in (("one process (-j 1)", ["-j", "1"]), (f"-j {os.cpu_count()} (the default from 64 files)", ["-j", str(os.cpu_count())])):
            t0 = time.perf_counter()
            subprocess.run([JIXIAO, "extract", *opts, *map(str, files)], check=True, stdout=subprocess.DEVNULL)
            total = time.perf_counter() - t0
            rows.append({
                "what": f"whole process: jixiao extract over {len(files)} reports, {label}",
                "total s": round(total, 2),
                "docs/s": round(len(files) / total, 1),
            })
    return rows


if __name__ == "__main__":
    for r in run():
        print(r)
