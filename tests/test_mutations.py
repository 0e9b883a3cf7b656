"""Mutation tests: every relation the answer keys list under `relations_ok` is broken one
figure at a time (a digit, a dropped/added thousand, a swapped digit pair) and the checker
must flag it; edits that keep every relation true must leave the findings unchanged.

Known blind spots are listed explicitly below with their reason (strict xfail: if one
starts being detected, the list must be updated)."""
from __future__ import annotations

import pytest

import mutations as M

# (seed, figure, mutated figure): why no sound checker can flag it
UNDETECTABLE = {
    ("004_211d0f6375efb7e4", "15个", "25个"): "the list after the count is 主要涉及…等 (not exhaustive): 15 named ≤ 25",
    ("004_211d0f6375efb7e4", "15个", "1015个"): "主要涉及…等: 15 named ≤ 1015",
    ("004_211d0f6375efb7e4", "15个", "51个"): "主要涉及…等: 15 named ≤ 51",
    ("000_cc7d55e875232053", "87分", "1087分"): "1087分 is not a score (over 100), so no grade/score pair is formed",
}

_BASE: dict[str, set] = {}


def _baseline(stem: str) -> set:
    if stem not in _BASE:
        _BASE[stem] = {M._key(f) for f in M.analyse_text(stem, M.seed_text(stem)).findings}
    return _BASE[stem]


ALL = [m for stem in M.seeds() for m in M.mutations(stem) if m.breaks]


def _param(m: M.Mutation):
    why = UNDETECTABLE.get((m.stem, m.figure, m.new_figure))
    marks = [pytest.mark.xfail(strict=True, reason=why)] if why else []
    return pytest.param(m, id=f"{m.stem[:3]}-{m.rule}-{m.figure}->{m.new_figure}", marks=marks)


def test_operators_by_hand():
    assert M.mut_digit("1,356.89") == "2,356.89" and M.mut_digit("9326") == "8326"
    assert M.mut_thousand("139,141") == "138,141" and M.mut_thousand("87") == "1087"
    assert M.mut_thousand("16408.15") == "15408.15"
    assert M.mut_swap("87") == "78" and M.mut_swap("1,356.89") == "1,356.98" and M.mut_swap("5") is None


def test_relations_are_located_where_the_keys_say():
    text = M.seed_text("000_cc7d55e875232053")
    line29 = M._line_spans(text)[28]
    pos = M.locate(text, ["1个", "1个", "2个"])  # 良1 + 中1 = 2个部门整体 (L29)
    assert pos and all(line29[0] <= p < line29[1] for p in pos)
    pos = M.locate(text, ["1,930万元", "1,930万元"], "L21 与 L23")
    assert len(set(pos)) == 2


def test_every_relation_yields_mutations():
    for stem in M.seeds():
        rels = M.gold(stem).get("relations_ok", [])
        muts = M.mutations(stem)
        for rel in rels:
            assert any(m.rule == rel["rule"] and m.figure in rel["values"] for m in muts), (stem, rel)


@pytest.mark.parametrize("m", [_param(m) for m in ALL])
def test_mutation_is_flagged(m):
    ok, hit = M.detected(m, _baseline(m.stem))
    assert ok, f"{m.figure} → {m.new_figure} ({m.kind}) not flagged"


@pytest.mark.parametrize("stem,name,edits", [(s, n, e) for s, lst in M.CONSISTENT.items() for n, e in lst],
                         ids=lambda x: x if isinstance(x, str) else "")
def test_consistent_edit_is_silent(stem, name, edits):
    rec = M.analyse_text(stem, M.apply_edits(M.seed_text(stem), edits))
    extra = [f for f in rec.findings if M._key(f) not in _baseline(stem) and f.severity in ("error", "warning")]
    assert not extra, [f.message for f in extra]


def test_detection_rate_target():
    ok = sum(1 for m in ALL if M.detected(m, _baseline(m.stem))[0])
    assert ok / len(ALL) >= 0.95, (ok, len(ALL))


def test_holdout_detection_floor():
    """The held-out reports (tests/holdout) the checks were not written against. Two floors:
    over the first 30 reports, a fixed set, a guard against regressions (measured 0.690;
    0.685 before round 7's rules); over all of them, a floor that moves as blind rounds join
    (0.583 over 60: rounds 7 to 11 score 0.461, 0.444, 0.476, 0.486 and 0.503, their figures
    standing in fewer stated relations; 0.566 over 78: round 12's short reports 0.323, round 13 0.598, round 14 0.436; 0.576 over 84, round 15 0.638; 0.575 over 90, round 16 0.559). SPEC's 95% is the seeds'. No mutation that keeps a report
    consistent may be flagged."""
    stems = M.holdout()
    r = M.evaluate(stems)
    first = [row[1] for row in r["rows"] if row[0].stem in stems[:30]]
    assert sum(first) / len(first) >= 0.68, (sum(first), len(first))
    assert r["detection_rate"] >= 0.56, (r["detected"], r["mutations"])
    assert r["false_alarms"] == 0
