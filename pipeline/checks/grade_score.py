"""grade_score: a grade given with a score that falls outside the grade's band.

Bands of 财预〔2020〕10号: 优 ≥ 90, 良 80–<90, 中 60–<80, 差 < 60. A grade without a count
(the grade *of* something, `平均得分87分，综合评价等级为“良”`) is compared with the nearest
score in the same sentence; graded counts (`16个评级为良`) describe a distribution and are
not compared with an average. Scores are compared as written: 90分 is 优, 89.9分 is 良.
"""
from __future__ import annotations

from decimal import Decimal

from pipeline.checks import Ctx

BANDS = {"优": (Decimal(90), None), "良": (Decimal(80), Decimal(90)), "中": (Decimal(60), Decimal(80)),
         "差": (None, Decimal(60))}
_BAND_TEXT = {"优": "90分及以上", "良": "80分（含）至90分", "中": "60分（含）至80分", "差": "60分以下"}


def level_of(score: Decimal) -> str:
    for lv, (lo, hi) in BANDS.items():
        if (lo is None or score >= lo) and (hi is None or score < hi):
            return lv
    return "差"


def run(ctx: Ctx) -> None:
    for g in ctx.grades:
        if g.count is not None or g.level not in BANDS:
            continue
        sent = ctx.sentence_of(g)
        cands = [s for s in ctx.scores if ctx.sentence_of(s) == sent]
        if not cands:
            continue
        s = min(cands, key=lambda x: abs(x.start - g.start))
        lo, hi = BANDS[g.level]
        if (lo is None or s.value >= lo) and (hi is None or s.value < hi):
            continue
        ctx.add("grade_score", "error",
                f"得分{s.text}对应的等级应为“{level_of(s.value)}”，而文中评价等级为“{g.level}”"
                f"（“{g.level}”为{_BAND_TEXT[g.level]}），请核实。",
                [s, g], expected=level_of(s.value), actual=g.level, suspect=None)
