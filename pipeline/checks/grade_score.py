"""grade_score: a grade given with a score that falls outside the grade's band.

Bands of 财预〔2020〕10号: 优 ≥ 90, 良 80–<90, 中 60–<80, 差 < 60. A grade without a count
(the grade *of* something, `平均得分87分，综合评价等级为“良”`) is compared with the nearest
score in the same sentence; graded counts (`16个评级为良`) describe a distribution and are
not compared with an average. Scores are compared as written: 90分 is 优, 89.9分 is 良.
"""
from __future__ import annotations

import re
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


_LEVEL_WORD = re.compile(r"优秀|良好|中等|较差|不合格|合格|一般|优|良|中|差")
_NORM_LEVEL = {"优秀": "优", "良好": "良", "中等": "中", "合格": "中", "一般": "中", "较差": "差", "不合格": "差"}
_RESPECTIVE_LEVELS = re.compile(r"(?:(?:分别|依次)(?:为|是)?|为|是)\s*((?:[“\"「]?(?:优秀|良好|中等|较差|不合格|合格|一般|优|良|中|差)[”\"」]?"
                                r"\s*(?:、|和|及|与)?\s*)+)")


_LEVEL_LIST_AFTER = re.compile(r"\s*(?:、|和|及|与)\s*[“\"「]?(?:优秀|良好|中等|较差|不合格|合格|一般|优|良|中|差)")
_LEVEL_LIST_BEFORE = re.compile(r"[”\"」](?:、|和|及|与)?\s*$")


def _respective(ctx: Ctx, g, sent: int):
    """`得分分别为82.5分和77分，评价等级分别为“良”和“中”` (or 依次为“优”“良”): pair the i-th score
    with the i-th level. Returns [(score, level)] or None when the lists do not line up."""
    _, le = ctx.layout.clauses[ctx.layout.clause(g.start)]
    m = _RESPECTIVE_LEVELS.search(ctx.text, max(0, g.start - 4), le)
    if not m:
        return None
    levels = [_NORM_LEVEL.get(w, w) for w in _LEVEL_WORD.findall(m.group(1))]
    ss, _ = ctx.layout.sentences[sent]
    k = max(ctx.text.rfind("分别", ss, m.start()), ctx.text.rfind("依次", ss, m.start()))
    if k < 0:
        return None
    scores = [s for s in ctx.scores if k < s.start < m.start()]
    if len(scores) != len(levels) or len(levels) < 2:
        return None
    return list(zip(scores, levels))


def run(ctx: Ctx) -> None:
    for g in ctx.grades:
        if g.count is not None or g.level not in BANDS:
            continue
        sent = ctx.sentence_of(g)
        cands = [s for s in ctx.scores if ctx.sentence_of(s) == sent]
        if not cands:
            continue
        if any(w in g.text or w in ctx.text[max(0, g.start - 4): g.start] for w in ("分别", "依次")):
            pairs = _respective(ctx, g, sent) or []
            for s, level in pairs:
                _judge(ctx, g, s, level)
            continue
        if _LEVEL_LIST_AFTER.match(ctx.text, g.end):
            # 得分分别为88.5分和91.2分，等级为“良”和“优”: the scores' 分别 pairs the levels listed after
            pairs = _respective(ctx, g, sent)
            if pairs:
                for s, level in pairs:
                    _judge(ctx, g, s, level)
                continue
        if _LEVEL_LIST_BEFORE.search(ctx.text, max(0, g.start - 3), g.start):
            continue  # a later level of a list (等级为“良”和“优”): the first one judged them all
        cs, _ = ctx.layout.clauses[ctx.layout.clause(g.start)]
        if ctx.text.rfind("分别", cs, g.start) >= 0 or ctx.text.rfind("依次", cs, g.start) >= 0:
            continue  # a later level of a 分别/依次 list (分别为“良”“优”“中”): the first one judged them all
        seg = ctx.layout.segment(g.start)
        near = [s for s in cands if ctx.layout.segment(s.start) == seg]
        if not near:
            # the score in another part of the sentence (；) grades this level only when no
            # other level of the sentence could be its (A项目总分96，评价等级为“优”；B项目…为“中”)
            if any(h is not g and h.count is None and ctx.sentence_of(h) == sent for h in ctx.grades):
                continue
            near = cands
        # the parts of a score (其中产出指标（分值45分）得41.2分…) grade nothing: the whole does
        whole = [x for x in near if not _PART_SCORE.search(ctx.window(x, 16))]
        s = min(whole or near, key=lambda x: abs(x.start - g.start))
        _judge(ctx, g, s, g.level)


_PART_SCORE = re.compile(r"指标|指標|分值|權重|权重")


def _judge(ctx: Ctx, g, s, level: str) -> None:
    if level not in BANDS:
        return
    lo, hi = BANDS[level]
    if (lo is None or s.value >= lo) and (hi is None or s.value < hi):
        return
    ctx.add("grade_score", "error",
            f"得分{s.text}对应的等级应为“{level_of(s.value)}”，而文中评价等级为“{level}”"
            f"（“{level}”为{_BAND_TEXT[level]}），请核实。",
            [s, g], expected=level_of(s.value), actual=level, suspect=None)
