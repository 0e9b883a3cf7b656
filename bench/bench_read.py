"""Reading speed (issue 2): `pipeline.read.read(path)` per format, on one core.

Files: the five seeds as .txt (UTF-8 and GB18030), .html, and the .docx/.pdf the test
fixtures generate from them (LibreOffice export for .pdf, cached); plus ~700-character
reports (the size the issue's floors were measured on) as .docx and .pdf.

Each format is measured in a fresh subprocess (imports done, one warm-up read per
file), so that `peak RSS` is that format's own high-water mark.  Columns: median
ms/doc (wall clock, CPU time of the thread, and the mean of the fastest pass: on a
shared machine the last two are the steadier figures), docs/s, MB/s (file bytes), chars/s, for PDF ms/page and pages/s, the worst
similarity of the read text to the seed over the files (whitespace removed), and
peak RSS of the process.  Targets: .docx <= 1 ms per ~700-character document,
text-layer .pdf <= 6 ms per page.

JIXIAO_BENCH_READ_REPEAT sets the passes over the files (default 20; .doc, which
LibreOffice converts at ~1 s a file, gets one pass).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _files(tmp: Path) -> dict[str, list[tuple[str, str]]]:
    """format label -> [(path, expected text)]"""
    sys.path.insert(0, str(ROOT))
    from tests.fixtures import expected_text, have_soffice, make_doc, make_docx, make_html, make_pdf, make_txt, seed_names, seed_text

    out: dict[str, list[tuple[str, str]]] = {}
    for name in seed_names():
        text = seed_text(name)
        out.setdefault("txt utf-8", []).append((str(make_txt(text, tmp / f"{name}.u8.txt")), text))
        out.setdefault("txt gb18030", []).append((str(make_txt(text, tmp / f"{name}.gb.txt", "gb18030", "\r\n")), text))
        out.setdefault("html", []).append((str(make_html(text, tmp / f"{name}.html", "gb18030", "http-equiv")), expected_text(text, "html")))
        out.setdefault("docx", []).append((str(make_docx(text, tmp / f"{name}.docx")), expected_text(text, "docx")))
        short = _short(text)
        out.setdefault("docx ~700 chars", []).append((str(make_docx(short, tmp / f"{name}.short.docx")), expected_text(short, "docx")))
        if have_soffice():
            out.setdefault("pdf", []).append((str(make_pdf(text, tmp / f"{name}.pdf")), expected_text(text, "pdf")))
            out.setdefault("pdf ~700 chars", []).append((str(make_pdf(short, tmp / f"{name}.short.pdf")), expected_text(short, "pdf")))
            out.setdefault("doc (LibreOffice)", []).append((str(make_doc(text, tmp / f"{name}.doc")), expected_text(text, "doc")))
    return out


def _short(text: str, n: int = 700) -> str:
    """The first whole lines of a seed adding up to about n characters."""
    lines, size = [], 0
    for ln in text.split("\n"):
        if size + len(ln) > n and lines:
            break
        lines.append(ln)
        size += len(ln) + 1
    return "\n".join(lines)


def _measure(label: str, files: list[tuple[str, str]], repeat: int) -> dict:
    """Runs in the child process."""
    import statistics
    import time

    sys.path.insert(0, str(ROOT))
    from pipeline.read import read
    from tests.fixtures import similarity

    sims, pages, chars = [], 0, 0
    for path, expected in files:  # warm-up, and the quality figures
        doc = read(path)
        if doc.error is not None:
            raise RuntimeError(f"{path}: {doc.error}")
        sims.append(similarity(doc.text, expected))
        pages += len(doc.pages)
        chars += len(doc.text)
    size = sum(os.path.getsize(p) for p, _ in files)
    per_doc, cpu, total, best = [], [], 0.0, float("inf")
    for _ in range(repeat):
        t_pass = time.perf_counter()
        for path, _ in files:
            t0, c0 = time.perf_counter(), time.thread_time()
            read(path)
            per_doc.append(time.perf_counter() - t0)
            cpu.append(time.thread_time() - c0)
        elapsed = time.perf_counter() - t_pass
        total += elapsed
        best = min(best, elapsed / len(files))
    n = len(files) * repeat
    med = statistics.median(per_doc)
    row = {
        "format": label,
        "docs": len(files),
        "chars/doc": round(chars / len(files)),
        "ms/doc": round(med * 1e3, 3),
        "cpu ms/doc": round(statistics.median(cpu) * 1e3, 3),
        "best-pass ms/doc": round(best * 1e3, 3),
        "docs/s": round(n / total, 1),
        "MB/s": round(size * repeat / total / 1e6, 2),
        "Mchars/s": round(chars * repeat / total / 1e6, 2),
        "ms/page": "",
        "cpu ms/page": "",
        "pages/s": "",
        "min similarity": round(min(sims), 4),
        "peak RSS MB": _peak_rss_mb(),
    }
    if pages and label.startswith("pdf"):
        row["ms/page"] = round(total / (pages * repeat) * 1e3, 3)
        row["cpu ms/page"] = round(sum(cpu) / (pages * repeat) * 1e3, 3)
        row["pages/s"] = round(pages * repeat / total, 1)
    return row


def _peak_rss_mb() -> float:
    """VmHWM of this process (ru_maxrss would include the parent's RSS from before exec)."""
    try:
        for line in open("/proc/self/status", encoding="ascii"):
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def run() -> list[dict]:
    repeat = int(os.environ.get("JIXIAO_BENCH_READ_REPEAT", "20"))
    rows = []
    with tempfile.TemporaryDirectory() as td:
        groups = _files(Path(td))
        for label, files in groups.items():
            code = (
                "import json, sys; sys.path.insert(0, %r); from bench.bench_read import _measure; "
                "print(json.dumps(_measure(%r, %r, %d)))" % (str(ROOT), label, files, 1 if label.startswith("doc (") else repeat)
            )
            out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
            if out.returncode != 0:
                rows.append({"format": label, "error": out.stderr.strip().splitlines()[-1][:120]})
                continue
            rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return rows


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    from bench.__main__ import table

    print(table(run()))
