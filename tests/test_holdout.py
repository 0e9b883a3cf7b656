"""Held-out development set: reports written blind, in rounds of six, by someone who never
read the extractors. Each round was scored on first contact before any fix was made for it
(0.956, 0.989, 0.947, 0.973, for 25-30 0.990, for 31-36 0.976, for 37-42 0.995, for
43-48 0.979, for 49-54 0.989, for 55-60 0.988, for 61-66 (short reports, 560-980
characters) 0.973, for 67-72 0.982, for 73-78 (a round on the checks) 0.990, for 79-84 (false-
alarm traps: four clean reports) 0.995, for 85-90 (traps again: five clean reports) 0.998 and
for 91-96 (other document styles) 0.998 overall F1 (findings at first contact 0.00-0.86; false
alarms 10 in round 15, 4 in round 16, 1 in round 17, whose three planted ones were all found;
open misses of round 17: 146口 (口 as a classifier) and one 差 grade:
the checks are where a new writer finds new ground); a
fifth round, 0.984, was lost before it could join. Keys reconciled after first contact with
the other rounds' conventions: 61 and 65 list the counts inside graded counts, 76 lists a
result each time it is stated, 77 lists 四项 in 四项得分合计 as a count. The miss left open: 52_xiuyan's 项目计划投资8,460万元 against 本次评价范围为上述项目…
全部资金，评价资金规模8,640万元 (a back-reference through 上述项目 to money named otherwise).
The fixes were general rules, pinned in the
example tables under "bugs caught in the wild", and the round then joined this set.

tests/holdout/<NN>_<place>.txt are realistic reports written to vary what the seeds
do not show (flattened 自评表, Traditional script with full-width digits, OCR/copy-paste
noise, Chinese numerals and qualifiers, key-evaluation grade/score summaries, planted
contradictions); tests/holdout/<NN>_<place>.json are their answer keys, annotated by
hand according to SPEC.md in the format of ../shared/gold.

The scoring is the shared grader's (../shared/tools/score_gold.py, imported, not
copied), run in-process on `pipeline.run.process`, so this test and

    python3 ../shared/tools/score_gold.py --gold tests/holdout \
        --run ".venv/bin/jixiao extract" tests/holdout/*.txt

agree. Each kind must reach FLOOR; the lead raises the floors as the extractors improve.
Run with `-s` to see the per-kind table and the misses.
"""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from seed_keys import GRADER, require_shared

ROOT = Path(__file__).resolve().parents[1]
HOLDOUT = ROOT / "tests" / "holdout"

KINDS = ("amounts", "rates", "counts", "doc_numbers", "grades", "scores", "findings")
FLOOR = {k: 0.98 for k in KINDS}  # every kind is at 1.000: a floor for regressions, with room for one miss


def _grader():
    require_shared(GRADER)
    spec = importlib.util.spec_from_file_location("score_gold", GRADER)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _keys() -> dict[str, dict]:
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(HOLDOUT.glob("*.json"))}


@pytest.fixture(scope="module")
def result():
    from pipeline.run import process

    grader = _grader()
    gold = _keys()
    pred = {}
    for stem in gold:
        _, record = process(HOLDOUT / f"{stem}.txt")
        pred[stem] = json.loads(record.model_dump_json(exclude={"sections"}))
    tally, report = grader.score(gold, pred)
    rows = [f"{'kind':<12} {'P':>6} {'R':>6} {'F1':>6}   tp  fp  fn"]
    f1 = {}
    for k, (tp, fp, fn) in tally.items():
        p, r, f = grader.f1(tp, fp, fn)
        f1[k] = f
        rows.append(f"{k:<12} {p:6.3f} {r:6.3f} {f:6.3f}  {tp:3d} {fp:3d} {fn:3d}")
    table = "\n".join(rows)
    print("\nheld-out set, per kind:\n" + table)
    print("\n".join(report))
    return f1, table, report


def test_holdout_set_is_complete():
    """Ninety-six reports (sixteen blind rounds of six), each with its key, 500-4,000 characters, planted contradictions among them."""
    texts = sorted(p.stem for p in HOLDOUT.glob("*.txt"))
    assert texts == sorted(_keys()), "every held-out report needs its answer key"
    assert len(texts) >= 96
    for stem in texts:
        n = len((HOLDOUT / f"{stem}.txt").read_text(encoding="utf-8"))
        assert 500 <= n <= 4000, (stem, n)
    assert any(k["findings"] for k in _keys().values())


def test_keys_are_grounded_in_their_text():
    """Every fact's text (and every finding/relation value) occurs in its report, as
    often as the key lists it; values are decimal strings, never floats."""
    for stem, key in _keys().items():
        text = (HOLDOUT / f"{stem}.txt").read_text(encoding="utf-8")
        assert key["source"] == f"{stem}.txt"
        for kind in ("amounts", "rates", "counts", "doc_numbers", "scores"):
            listed: dict[str, int] = {}
            for f in key[kind]:
                listed[f["text"]] = listed.get(f["text"], 0) + 1
            for t, n in listed.items():
                assert text.count(t) >= n, (stem, kind, t, n)
        for g in key["grades"]:
            assert g["text"] in text, (stem, g["text"])
        for f in key["findings"] + key["relations_ok"]:
            for v in f["values"]:
                assert v in text, (stem, f["rule"], v)
        for a in key["amounts"]:
            assert isinstance(a["value_yuan"], str), (stem, a)
        for s in key["scores"]:
            assert isinstance(s["value"], str), (stem, s)


@pytest.mark.parametrize("kind", KINDS)
def test_holdout_f1(result, kind):
    f1, table, report = result
    misses = "\n".join(line for line in report if f" {kind[:-1] if kind != 'findings' else 'finding'}" in line)
    assert f1[kind] >= FLOOR[kind], f"{kind} F1 {f1[kind]:.3f} < {FLOOR[kind]:.2f}\n{table}\n{misses}"
