"""`python -m bench [name ...]`: import every bench/bench_*.py (or the named ones), call
its `run() -> list[dict]`, print the rows as an aligned table and write them to
bench/results/<name>.json.  Adding a benchmark = adding a bench_<area>.py module."""
from __future__ import annotations

import importlib
import json
import sys
import time
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def table(rows: list[dict]) -> str:
    cols: list[str] = []
    for r in rows:
        for k in r:
            if k not in cols:
                cols.append(k)
    cells = [[_fmt(r.get(c, "")) for c in cols] for r in rows]
    widths = [max(len(c), *(len(row[i]) for row in cells)) if cells else len(c) for i, c in enumerate(cols)]
    out = ["  ".join(c.ljust(w) for c, w in zip(cols, widths)), "  ".join("-" * w for w in widths)]
    for row in cells:
        out.append("  ".join(v.rjust(w) if _num(v) else v.ljust(w) for v, w in zip(row, widths)))
    return "\n".join(out)


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:.3f}" if abs(v) < 100 else f"{v:.1f}"
    return str(v)


def _num(s: str) -> bool:
    try:
        float(s)
        return True
    except ValueError:
        return False


def main(argv: list[str]) -> int:
    names = argv or sorted(p.stem[len("bench_"):] for p in HERE.glob("bench_*.py"))
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    failed = 0
    for name in names:
        mod_name = f"bench.bench_{name}" if not name.startswith("bench_") else f"bench.{name}"
        short = mod_name.rsplit(".", 1)[-1][len("bench_"):]
        print(f"\n== {short} ==", flush=True)
        t0 = time.perf_counter()
        try:
            rows = importlib.import_module(mod_name).run()
        except Exception:
            traceback.print_exc()
            failed += 1
            continue
        print(table(rows))
        print(f"({time.perf_counter() - t0:.1f} s)", flush=True)
        (results / f"{short}.json").write_text(json.dumps(rows, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
