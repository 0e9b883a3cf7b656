"""Where the seeds' answer keys and the grader live, and the one multiset F1 every
extractor's seed test uses.

`../shared` sits beside the clone (CI lays it out so); JIXIAO_SHARED overrides. When it is
missing, a test that needs it skips on a developer's machine and FAILS in CI (CI=true): a
silently skipped answer-key test would look green while checking nothing."""
from __future__ import annotations

import collections
import json
import os
from pathlib import Path
from typing import Callable, Hashable

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("JIXIAO_SHARED", ROOT.parent / "shared"))
GOLD = SHARED / "gold"
GRADER = SHARED / "tools" / "score_gold.py"
CORPUS = ROOT / "corpus"


def require_shared(path: Path = GOLD) -> None:
    if path.exists():
        return
    msg = f"{path} not found: put the shared folder beside the clone, or set JIXIAO_SHARED"
    if os.environ.get("CI"):
        pytest.fail(msg)
    pytest.skip(msg)


def seed_f1(kind: str, gold_key: Callable[[dict], Hashable], fact_key: Callable[[object], Hashable]) -> tuple[float, int, int, int]:
    """Multiset F1 of one fact kind over every seed (as score_gold.py scores it):
    `gold_key` reads a key entry, `fact_key` an extracted fact."""
    from pipeline.run import extract_facts

    require_shared()
    tp = fp = fn = 0
    for key in sorted(GOLD.glob("*.json")):
        gold = json.loads(key.read_text("utf-8"))
        text = (CORPUS / f"{key.stem}.txt").read_text("utf-8")
        g = collections.Counter(gold_key(d) for d in gold[kind])
        p = collections.Counter(fact_key(f) for f in getattr(extract_facts(text), kind))
        hit = sum((g & p).values())
        tp, fp, fn = tp + hit, fp + sum(p.values()) - hit, fn + sum(g.values()) - hit
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
    return f1, tp, fp, fn
