"""Mutation engine for the consistency checks (used by tests/test_mutations.py and
bench/bench_checks.py).

For every relation the answer keys list under `relations_ok`, each figure of the relation
is located in the seed text and changed in three ways a typist might:
- `digit`: the leading digit +1 (9 → 8);
- `thousand`: a thousand dropped (−1000 in the written unit) when the figure is ≥ 2000,
  else one added (+1000);
- `swap`: the last pair of adjacent different digits swapped (87 → 78, 1,356.89 → 1,356.98).
The mutated text goes through the real pipeline (extract + analyse); the mutation is
*detected* when a finding that was not there before covers the changed figure.
"""
from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Callable, Optional

ROOT = Path(__file__).resolve().parents[1]
from seed_keys import GOLD  # noqa: E402  (../shared beside the clone)
CORPUS = ROOT / "corpus"

_NUM = re.compile(r"\d[\d,，]*(?:\.\d+)?")


HOLDOUT = ROOT / "tests" / "holdout"


def seeds() -> list[str]:
    return sorted(p.stem for p in CORPUS.glob("*.txt"))


def holdout() -> list[str]:
    """The held-out development reports (tests/holdout), keyed like the seeds."""
    return sorted(p.stem for p in HOLDOUT.glob("*.txt") if (HOLDOUT / f"{p.stem}.json").exists())


def _dir(stem: str) -> tuple[Path, Path]:
    if (CORPUS / f"{stem}.txt").exists():
        return CORPUS, GOLD
    return HOLDOUT, HOLDOUT


def seed_text(stem: str) -> str:
    return (_dir(stem)[0] / f"{stem}.txt").read_text(encoding="utf-8")


def gold(stem: str) -> dict:
    return json.loads((_dir(stem)[1] / f"{stem}.json").read_text(encoding="utf-8"))


def _inside_number(text: str, i: int) -> bool:
    """Whether position i continues a number (`36，055`, `1.5`, `21`), not starts one."""
    if i == 0:
        return False
    p = text[i - 1]
    return p.isdigit() or p == "." or (p in ",，" and i > 1 and text[i - 2].isdigit())


def _occurrences(text: str, t: str, lo: int = 0, hi: Optional[int] = None) -> list[int]:
    out, i = [], text.find(t, lo)
    while i >= 0 and (hi is None or i < hi):
        if not (t[:1].isdigit() and _inside_number(text, i)):
            out.append(i)
        i = text.find(t, i + 1)
    return out


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, s = [], 0
    for line in text.split("\n"):
        spans.append((s, s + len(line)))
        s += len(line) + 1
    return spans


def locate(text: str, values: list[str], note: str = "") -> Optional[list[int]]:
    """Offsets of the relation's figures: within the lines its note names (`L28`), the
    tightest cluster of distinct occurrences."""
    lines = _line_spans(text)
    nums = [int(n) for n in re.findall(r"L(\d+)", note)]
    ranges = [lines[n - 1] for n in nums if 0 < n <= len(lines)] or [(0, len(text))]
    cands = []
    for v in values:
        occ = sorted({i for lo, hi in ranges for i in _occurrences(text, v, lo, hi)})
        if not occ:
            return None
        cands.append(occ)
    size = 1
    for c in cands:
        size *= len(c)
    best, best_w = None, None
    if size <= 20000:
        for combo in itertools.product(*cands):
            if len(set(combo)) < len(combo):
                continue
            w = max(combo) - min(combo)
            if best_w is None or w < best_w:
                best, best_w = list(combo), w
        return best
    # too many combinations: anchor on the rarest figure, take the nearest free occurrences
    k = min(range(len(cands)), key=lambda i: len(cands[i]))
    for a in cands[k]:
        used, combo = {a}, [None] * len(cands)
        combo[k] = a
        for i, occ in enumerate(cands):
            if i == k:
                continue
            free = [o for o in occ if o not in used]
            if not free:
                break
            combo[i] = min(free, key=lambda o: abs(o - a))
            used.add(combo[i])
        else:
            w = max(combo) - min(combo)
            if best_w is None or w < best_w:
                best, best_w = combo, w
    return best


# --------------------------------------------------------------------------- number edits


def _fmt_like(orig: str, value: Decimal) -> str:
    dec = len(orig.split(".")[1]) if "." in orig else 0
    sep = "，" if "，" in orig else ("," if "," in orig else "")
    s = f"{value:,.{dec}f}" if sep else f"{value:.{dec}f}"
    return s.replace(",", sep) if sep else s


def _parse(num: str) -> Decimal:
    return Decimal(num.replace(",", "").replace("，", ""))


def mut_digit(num: str) -> Optional[str]:
    for i, ch in enumerate(num):
        if ch.isdigit():
            d = int(ch)
            nd = d - 1 if d == 9 else d + 1
            return num[:i] + str(nd) + num[i + 1:]
    return None


def mut_thousand(num: str) -> Optional[str]:
    v = _parse(num)
    return _fmt_like(num, v - 1000 if v >= 2000 else v + 1000)


def mut_swap(num: str) -> Optional[str]:
    idx = [i for i, ch in enumerate(num) if ch.isdigit()]
    for a, b in reversed(list(zip(idx, idx[1:]))):
        if num[a] != num[b] and not (a == idx[0] and num[b] == "0"):
            s = list(num)
            s[a], s[b] = s[b], s[a]
            return "".join(s)
    return None


KINDS: dict[str, Callable[[str], Optional[str]]] = {"digit": mut_digit, "thousand": mut_thousand, "swap": mut_swap}


@dataclass
class Mutation:
    stem: str
    rule: str
    figure: str  # the figure's text as written
    kind: str
    start: int  # offset of the figure in the original text
    new_figure: str
    text: str  # the mutated document text
    values: tuple = ()  # the relation's figures, as in the key
    index: int = -1  # which of them was changed

    @property
    def breaks(self) -> bool:
        """Whether the change breaks the relation (a 91.5分 优 → 95.1分 is still 优; a total
        stated to 0 decimals absorbs a change in a part's second decimal). Relations the
        oracle cannot evaluate count as broken."""
        before = holds(self.rule, list(self.values))
        vals = list(self.values)
        vals[self.index] = self.new_figure
        after = holds(self.rule, vals)
        return not (before is True and after is True)

    @property
    def span(self) -> tuple[int, int]:
        return self.start, self.start + len(self.new_figure)


def mutations(stem: str) -> list[Mutation]:
    text = seed_text(stem)
    out = []
    for rel in gold(stem).get("relations_ok", []):
        pos = locate(text, rel["values"], rel.get("note", ""))
        if pos is None:
            continue
        for v, start in sorted(set(zip(rel["values"], pos)), key=lambda x: x[1]):
            m = _NUM.search(v)
            if not m:
                continue
            for kind, fn in KINDS.items():
                new_num = fn(m.group(0))
                if not new_num or new_num == m.group(0):
                    continue
                new_fig = v[: m.start()] + new_num + v[m.end():]
                out.append(Mutation(stem, rel["rule"], v, kind, start, new_fig,
                                    text[:start] + new_fig + text[start + len(v):],
                                    tuple(rel["values"]), rel["values"].index(v)))
    return out


# --------------------------------------------------------------------------- the oracle

_FW = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
_UNIT = [("万亿", Decimal(10) ** 12), ("亿", Decimal(10) ** 8), ("億", Decimal(10) ** 8), ("万", Decimal(10) ** 4),
         ("萬", Decimal(10) ** 4), ("千元", Decimal(1000)), ("%", Decimal("0.01")), ("％", Decimal("0.01"))]
_LEVELS = [("优秀", "优"), ("良好", "良"), ("中等", "中"), ("较差", "差"), ("优", "优"), ("良", "良"), ("中", "中"), ("差", "差"),
           ("優", "优")]


def _fig(v: str) -> Optional[tuple[Decimal, Decimal, str]]:
    """(value, half a unit of the last written digit, qualifier char) of a figure, in base
    units; None for figures the oracle does not read (Chinese numerals)."""
    t = v.translate(_FW)
    m = _NUM.search(t)
    if not m:
        return None
    num = m.group(0).replace(",", "").replace("，", "")
    scale = next((k for u, k in _UNIT if u in t[m.end():]), Decimal(1))
    dec = len(num.split(".")[1]) if "." in num else 0
    q = next((c for c in "余多约近超逾" if c in t), "")
    return Decimal(num) * scale, Decimal(1).scaleb(-dec) * scale / 2, q


def holds(rule: str, values: list[str]) -> Optional[bool]:
    """Whether the relation the key states still holds for these figures (None: unknown)."""
    if rule == "enumeration_count":
        return None
    if rule == "grade_score":
        f = _fig(values[0])
        level = next((n for w, n in _LEVELS if w in values[1]), None)
        if f is None or level is None:
            return None
        sc = f[0]
        band = {"优": (90, 1e9), "良": (80, 90), "中": (60, 80), "差": (-1e9, 60)}[level]
        return Decimal(band[0]) <= sc < Decimal(str(band[1]))
    figs = [_fig(v) for v in values]
    if any(f is None for f in figs) or any(f[2] for f in figs):
        return None  # Chinese numerals or approximate figures: not modelled
    vals = [f[0] for f in figs]
    half = figs[-1][1]
    if rule == "repeated_total":
        return len(set(vals)) == 1
    if rule == "arithmetic.difference":
        return abs(vals[0] - vals[1] - vals[2]) <= half
    if rule == "arithmetic.sum":
        return abs(sum(vals[:-1]) - vals[-1]) <= half
    if rule == "arithmetic.rate":
        r, tries = vals[-1], []
        if len(vals) >= 3:
            tries.append((vals[0], sum(vals[1:-1])))
            tries.append((sum(vals[:-2]), vals[-2]))
        return any(d > 0 and abs(n / d - r) <= half for n, d in tries)
    return None


# --------------------------------------------------------------------------- consistent edits
# Changes to several figures that keep every relation true, worked out by hand; the checker
# must stay silent (its findings must not change). Each edit: (old, new, line) — `old` is
# replaced once, on that 1-based line.

CONSISTENT: dict[str, list[tuple[str, list[tuple[str, str, int]]]]] = {
    "000_cc7d55e875232053": [
        # 575,100.87 − 437,316.62 = 137,784.25; 137,784.25 ÷ 575,100.87 = 23.96% → 24%;
        # 139,141 ÷ (66,787.21 + 575,100.87 = 641,888.08) = 21.68% → 22%
        ("project declared and approved both +1,000", [("574,100.87万元", "575,100.87万元", 18),
                                                      ("436,316.62万元", "437,316.62万元", 18)]),
        # 184 + 380 + 138 + 5 = 707
        ("score bands 185→184, 379→380", [("共185个", "共184个", 19), ("共379个", "共380个", 19)]),
        # 15 + 4 = 19
        ("grade counts 16→15, 3→4", [("16个评级为良", "15个评级为良", 29), ("3个评级为中", "4个评级为中", 29)]),
        # 3 + 2 + 1 = 6
        ("ex-ante grades 优2→3, 良3→2", [("“优”的项目2个", "“优”的项目3个", 13), ("“良”的项目3个", "“良”的项目2个", 13)]),
        ("ex-ante average 87→85 (still 良)", [("平均得分87分", "平均得分85分", 13)]),
        ("both 1,930 → 1,980", [("1,930万元", "1,980万元", 21), ("1,930万元", "1,980万元", 23)]),
        ("both 4.9亿元 → 5.1亿元", [("4.9亿元", "5.1亿元", 26), ("4.9亿元", "5.1亿元", 29)]),
    ],
    "002_650133379cb9504e": [
        # 63,864 ÷ 106,722 = 59.841% → 59.84%
        ("execution: spent and budget both changed", [("106705万元", "106722万元", 11), ("63854万元", "63864万元", 11)]),
        ("both 6200 → 6250", [("6200万元", "6250万元", 8), ("6200余万元", "6250余万元", 16)]),
        # 78 + 3 = 81
        ("targets 80→81 and rejected 2→3", [("项目绩效目标80个", "项目绩效目标81个", 10), ("不合理项目2个", "不合理项目3个", 10)]),
    ],
    "003_c04b857fcd71b1be": [
        # 1556.59 + 3446.49 + 9326 + 1556.59 + 523.48 = 16409.15
        ("one item and the total both +1", [("3445.49万元", "3446.49万元", 12), ("16408.15万元", "16409.15万元", 12)]),
        # 1556.59 + 3445.49 + 9326 + 1556.59 + 623.48 = 16508.15
        ("last item and the total both +100", [("523.48万元", "623.48万元", 12), ("16408.15万元", "16508.15万元", 12)]),
    ],
}


def apply_edits(text: str, edits: list[tuple[str, str, int]]) -> str:
    lines = text.split("\n")
    for old, new, ln in edits:
        assert old in lines[ln - 1], (old, ln)
        lines[ln - 1] = lines[ln - 1].replace(old, new, 1)
    return "\n".join(lines)


# --------------------------------------------------------------------------- running


def analyse_text(stem: str, text: str):
    from pipeline.run import extract_document
    from schemas import Document

    doc = Document(source=f"{stem}.txt", doc_id=stem, format="txt", text=text)
    return extract_document(doc)


def _key(f) -> tuple:
    return (f.rule, f.severity, tuple(sorted(f.values)))


def detected(m: Mutation, baseline_keys: set) -> tuple[bool, list]:
    rec = analyse_text(m.stem, m.text)
    s, e = m.span
    new = [f for f in rec.findings if _key(f) not in baseline_keys and f.severity in ("error", "warning")]
    hit = [f for f in new if any(sp.start < e and s < sp.end for sp in f.spans)]
    return bool(hit), hit


def evaluate(stems: Optional[list[str]] = None) -> dict:
    """Detection over all mutations and silence over the consistent edits."""
    rows, consistent = [], []
    for stem in (seeds() if stems is None else stems):
        base = analyse_text(stem, seed_text(stem))
        keys = {_key(f) for f in base.findings}
        for m in mutations(stem):
            ok, hit = detected(m, keys)
            rows.append((m, ok, hit))
        for name, edits in CONSISTENT.get(stem, []):
            rec = analyse_text(stem, apply_edits(seed_text(stem), edits))
            extra = [f for f in rec.findings if _key(f) not in keys and f.severity in ("error", "warning")]
            consistent.append((stem, name, extra))
    kept = [r for r in rows if r[0].breaks]
    n = len(kept)
    det = sum(1 for _, ok, _ in kept if ok)
    fa = sum(1 for *_, extra in consistent if extra)
    return dict(rows=kept, not_breaking=len(rows) - len(kept), consistent=consistent, mutations=n, detected=det,
                detection_rate=det / n if n else None,
                consistent_edits=len(consistent), false_alarms=fa,
                false_alarm_rate=fa / len(consistent) if consistent else None)
