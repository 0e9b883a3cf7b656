"""Performance scores reported as results.

    项目平均得分87分 → 87 (average)      得分83.47分 → 83.47      总分96 → 96
    评分为92.5分 → 92.5                  自评得分分别为95分、88分 → 95, 88
    平均得分八十六点五分 → 86.5           得分依次为92分、90.5分 → 92, 90.5
    a flattened scoring table: a header row with a 得分 cell, then each row's cell in
    that column (`|产出指标|30|28.5|` → 28.5; the 分值 column is a weight, not a score;
    a 平均得分 column gives averages)

Not scores: bands and thresholds (`90分（含90分）以上`, `80分（含80分）-89分`, `不到80分的项目`,
`70分以下`, `评分达90分以上的部门共19个`) and weights (`分值10`, `满分100分`). A score
needs a scoring cue (得分/评分/总分/平均分 …) right before the number; a number followed
by a range or band word (以上, 以下, （含, -, 至 …) is a threshold. `总分100分` alone is the
scale, not a result. In rubric text `…的得10分` / `否则得0分` is a rule, not a score.

`text` is the number with its 分 (`87分`), as the answer keys write it; `kind` is
`average` when the cue says 平均/均分.
"""
from __future__ import annotations

import re
from decimal import Decimal

from extractors.spans import Mask, contains
from schemas.models import trusted
from extractors.tables import has_row_marks, is_row as _is_row, lines_with_offsets, row_cells
from schemas import Score

try:  # the shared number grammar, for Chinese-numeral scores
    from extractors.numbers import parse_number
except ImportError:  # pragma: no cover
    parse_number = None

_FW = str.maketrans("０１２３４５６７８９．", "0123456789.")
_NUM = r"[0-9０-９]{1,3}(?:[.．][0-9０-９]{1,2})?"
# Chinese numerals (八十六点五分, 九十二分): only with their 分
_CN = r"[零〇一二两三四五六七八九十百]{1,6}(?:点[零〇一二三四五六七八九]{1,2})?(?=[ \t\u3000]*分)"
_CUE = (
    r"(?P<cue>(?:综合平均|綜合平均|平均|综合|綜合|总|總|最终|最終|自评|自評|评价|評價|绩效|績效|考核|考评|考評|实际|實際)?"
    r"(?:得分|评分|評分|总分|總分|分数|分數|均分|平均分|打分)|(?:最高|最低)分|得)"
)
_SCORE = re.compile(
    rf"{_CUE}(?P<gap>(?:分别|分別|依次)?(?:仅|僅|只有|才)?(?:为|為|是|达到|達到|达|達|合计|共计|由(?:自评的|原来的|原)?)?[：:]?(?:分别|分別|依次)?)[ \t\u3000]*"
    rf"(?P<n>{_NUM}(?![0-9０-９.．%％])|{_CN})[ \t\u3000]*(?P<fen>分)?"
)
_CUE_BACK = re.compile(rf"{_CUE}$")
_CUE_LAST = frozenset("得评評总總均打高低")


# the 分 that can end a cue or a number: after a cue's last character or a digit/space, or
# before 数/數 (a literal first character: the engine skips to each 分 with a string search)
_FEN = re.compile(r"分(?:(?<=[得评評总總均打高低0-9.０-９． \t\u3000]分)|(?=[数數]))")
assert set(_CUE_LAST) <= set("得评評总總均打高低")


def _candidates(text: str):
    """Score cues end in 分 (得分, 评分, 平均分 …) or the number does (得87分): find each 分
    that can end one (_FEN) and match the cue from its start."""
    last = -1
    for f in _FEN.finditer(text):
        p = f.start()
        start = -1
        if p > 0 and text[p - 1] in _CUE_LAST:  # …得分 / 评分 / 均分: the cue ends here
            c = _CUE_BACK.search(text, max(0, p - 6), p + 1)
            if c is not None:
                start = c.start()
        elif p + 1 < len(text) and text[p + 1] in "数數":
            c = _CUE_BACK.search(text, max(0, p - 6), p + 2)
            if c is not None:
                start = c.start()
        else:  # 得87分
            i = p
            while i > 0 and p - i < 8 and text[i - 1] in "0123456789.０１２３４５６７８９． \t\u3000":
                i -= 1
            if i < p and i > 0 and text[i - 1] == "得":
                start = i - 1
        if start > last:
            m = _SCORE.match(text, start)
            if m is not None:
                last = m.end() - 1
                yield m


# what makes a number a band or threshold rather than a result
_BAND_AFTER = re.compile(r"[ \t\u3000]*(?:[（(]含|以上|以下|以内|及以上|及以下|[-—－~～至到]|左右|为满分|满分)")
_BAND_BEFORE = re.compile(r"(?:不到|低于|高于|不低于|不高于|超过|满分|滿分|不足|大于|小于|≥|≤|>|<)[ \t\u3000]*$")
_MORE = re.compile(rf"[ \t\u3000]*(?:、|，|,|和|及|与|(?:调整|提高|下降|降|升|变)(?:为|到|至))[ \t\u3000]*(?P<n>{_NUM}|{_CN})[ \t\u3000]*(?P<fen>分)")
# (平均得分由自评的92.4分调整为86.9分: the score a review set in place of the one given)

# ---------------------------------------------------------------- bracketed after a name
# 得分最高的为县教育局（94.5分），最低的为县林业局（72分）: a score in brackets after what it
# scores, in a sentence about scores; a weight in brackets is followed by what was got
# (产出指标（40分）得38分) or names a weight (分值, 权重, 满分)
_PAREN_SCORE = re.compile(rf"[（(][ \t\u3000]*(?P<n>{_NUM}|{_CN})[ \t\u3000]*分[）)]")
_FEN_PAREN = re.compile(r"分[）)]")  # a literal first character: the engine skips to each 分
_PAREN_CUE = re.compile(r"得分|评分|評分|分数|分數|最高|最低|排名|排序|名列")
_PAREN_WEIGHT = re.compile(r"分值|权重|權重|满分|滿分|指标|指標|标准|標準")


def _sentence_window(text: str, start: int, end: int, before: int, after: int = 0) -> tuple[int, int]:
    """[lo, hi) around text[start:end], at most `before`/`after` characters out and never
    past a sentence or line end (。；;⏎)."""
    lo, hi = max(0, start - before), min(len(text), end + after)
    for c in "。；;\n":
        i = text.rfind(c, lo, start)
        if i >= 0:
            lo = i + 1
        if after:
            j = text.find(c, end, hi)
            if j >= 0:
                hi = j
    return lo, hi


def _add_score(text: str, out: list[Score], seen: set, mask: Mask | None, s: int, e: int, n: str) -> bool:
    """Append the single score text[s:e] (value n) unless it is known, masked or over 100."""
    value = _dec(n)
    if value is None or value > 100 or (s, e) in seen or (mask is not None and mask.hit(s, e)):
        return False
    seen.add((s, e))
    out.append(_score(text=text[s:e], start=s, end=e, value=value, kind="single"))
    return True


def _paren_scores(text: str, out: list[Score], mask: Mask | None) -> None:
    seen = {(f.start, f.end) for f in out}
    added = False
    for m in _PAREN_SCORE.finditer(text):
        lo, _ = _sentence_window(text, m.start(), m.end(), 40)
        before = text[lo:m.start()]
        if not _PAREN_CUE.search(before) or _PAREN_WEIGHT.search(before[-8:]) or text.startswith(("得", "扣"), m.end()):
            continue
        added |= _add_score(text, out, seen, mask, m.start("n"), m.end() - 1, m.group("n"))
    if added:
        out.sort(key=lambda f: f.start)


# ---------------------------------------------------------------- right after what it scores
# 其中苹果产业发展项目91分、富平柿饼产业扶持项目84.5分…，4个项目平均得分82.95分: a score
# right after the name of a project or body, in a sentence about scores (its cue may come
# after the list); a rule (每个项目5分, 满分, 分值, 扣) is not one
_NAMED_SCORE = re.compile(
    rf"(?:项目|項目|部门整体|部門整體|部门|部門|单位|單位|局|委|办|辦|中心|院|馆|館|社)[ \t\u3000]*(?P<n>{_NUM}|{_CN})[ \t\u3000]*分(?=[、，,；;。和及与與]|$)")
# 最高分为高标准农田建设项目的92.4分 / 得分最高，为92分: the best and worst named with their scores
_EXTREME = re.compile(
    rf"(?:(?:最高分|最低分|最高分數|最低分數)(?:为|為|是)?[^，,。；;\d]{{0,24}}?的?"  # (…为茶产业发展专项资金92.5分: 的 may be left out)
    rf"|(?:得分|評分|评分)(?:最高|最低)[，,]?[ \t\u3000]*(?:为|為|是|达|達)[ \t\u3000]*)(?P<n>{_NUM})[ \t\u3000]*分")
# 茶产业发展专项资金93.5分，评价等级为“优”: a score right before the grade it earned
_GRADED = re.compile(
    rf"(?<=[\u4e00-\u9fff”」）)])[ \t\u3000]*(?P<n>{_NUM})[ \t\u3000]*分"
    r"(?=[，,][ \t\u3000]*(?:综合)?(?:评价等级|評價等級|等级|等級|评级|評級|评定|評定|评为|評為|被评为|被評為))")
_SCORE_DIGITS = frozenset("0123456789.０１２３４５６７８９． \t\u3000")
# every character that can stand between a _NAMED_SCORE cue and its 分 (a number, spaces)
_NAMED_GAP = frozenset("0123456789０１２３４５６７８９.．零〇一二两三四五六七八九十百点 \t\u3000")
# a 分 right after one of them: the engine skips to each 分 with a string search
_NAMED_FEN = re.compile(r"分(?<=[0-9０-９.．零〇一二两三四五六七八九十百点 \t\u3000]分)")


# 平均得分82.4分，最高91.5分，最低66分: 最高/最低 alone after a score of the same sentence
_EXTREME_BARE = re.compile(rf"(?:最高|最低)(?:为|為|是|达|達)?[ \t\u3000]*(?P<n>{_NUM})[ \t\u3000]*分")
_SCORE_BEFORE = re.compile(r"(?:得分|评分|評分|平均分|均分)[^。；;\n]{0,24}$")


def _extreme_hits(text: str):
    """_EXTREME's matches, tried only where 最高/最低 stand (a literal search, not a scan)."""
    for word in ("最高", "最低"):
        k = text.find(word)
        while k >= 0:
            m = _EXTREME.match(text, k) or (_EXTREME.match(text, k - 2) if k >= 2 else None)
            if m is None and k and text[k - 1] in "，,、；;" and _SCORE_BEFORE.search(text, max(0, k - 30), k):
                m = _EXTREME_BARE.match(text, k)
            if m is not None:
                yield m
            k = text.find(word, k + 2)


def _graded_hits(text: str):
    """_GRADED's matches, tried only at a 分 that a comma follows, from the number before it."""
    for tail in ("分，", "分,"):
        i = text.find(tail)
        while i >= 0:
            j = i
            while j > 0 and i - j < 10 and text[j - 1] in _SCORE_DIGITS:
                j -= 1
            if j < i:
                m = _GRADED.match(text, j)
                if m is not None:
                    yield m
            i = text.find(tail, i + 2)


def _named_hits(text: str):
    """_NAMED_SCORE.finditer(text), tried only where a match can start: a match ends at the
    first 分 after its cue, with only number characters and spaces between (_NAMED_GAP, no
    cue ends in one), so walking back from each 分 that follows one of those characters
    over all of them reaches the cue's end; the cue (1, 2 or 4 characters) starts before it.
    (A scan for the cues' first characters tried the alternation at every 项/部/单.)"""
    for f in _NAMED_FEN.finditer(text):
        q = f.start()
        while q > 0 and text[q - 1] in _NAMED_GAP:
            q -= 1
        for p in (q - 1, q - 2, q - 4):  # (局/委/院: one character; 项目, 单位, 中心: two; 部门整体: four)
            m = _NAMED_SCORE.match(text, p) if p >= 0 else None
            if m is not None:
                yield m
                break


_NAMED_CUE = re.compile(r"得分|评分|評分|分数|分數|评价结果|評價結果|评价|評價|考核|等次")
_NAMED_RULE = re.compile(r"每|满分|滿分|分值|权重|權重|扣|加|标准|標準|指标|指標")


def _named_scores(text: str, out: list[Score], mask: Mask | None) -> None:
    seen = {(f.start, f.end) for f in out}
    added = False
    hits = list(_named_hits(text))
    # 市教育局96.5分、市卫生健康局94.0分、市农业农村局93.5分: names with their 分 listed one after
    # another are scores whatever the sentence says around them
    listed = {id(a) for a, b in zip(hits, hits[1:]) if b.start() - a.end() <= 14 and text[a.end():a.end() + 1] in "、，,"}
    listed |= {id(b) for a, b in zip(hits, hits[1:]) if id(a) in listed}
    for m in hits:
        lo, hi = _sentence_window(text, m.start(), m.end(), 80, 80)
        if _NAMED_RULE.search(text, max(lo, m.start() - 12), m.start("n")) or (
                id(m) not in listed and not _NAMED_CUE.search(text, lo, hi)):
            continue
        added |= _add_score(text, out, seen, mask, m.start("n"), m.end(), m.group("n"))
    for pat, hits in ((_EXTREME, _extreme_hits), (_GRADED, _graded_hits)):
        for m in hits(text):
            s, e = m.start("n"), m.end()
            if pat is _GRADED and _NAMED_RULE.search(text, max(0, s - 6), s):
                continue
            added |= _add_score(text, out, seen, mask, s, e, m.group("n"))
    if added:
        out.sort(key=lambda f: f.start)


# ---------------------------------------------------------------- flattened tables
_ROW_SPLIT = re.compile(r"\||\t| {2,}|\u3000{1,}")
_SCORE_HEADER = re.compile(
    r"^(?:综合|平均|最终|自评|评价|评估|考核|考评|绩效|实际|总|綜合|最終|自評|評價|評估|考評|績效|實際|總)?(?:得分|评分|評分|均分|平均分)(?:[（(]分[）)])?$"
)
_WEIGHT_HEADER = re.compile(r"^(?:分值|分數|分数|权重|權重|标准分|標準分)(?:[（(]分[）)])?$")
_CELL_NUM = re.compile(rf"^[ \t\u3000]*({_NUM})[ \t\u3000]*分?[ \t\u3000]*$")
# columns of words after the score column (偏差原因分析及改进措施, 备注): a row that leaves them
# empty is short by them, and its last cell is the score
_TEXT_HEADER = re.compile(r"偏差|原因|说明|說明|备注|備註|措施|分析|情况|情況")


_new_score = trusted(Score, ("text", "start", "end", "value", "kind"))


def _score(text: str, start: int, end: int, value: Decimal, kind: str) -> Score:
    """Score(...) without validation: value is always a Decimal here (see schemas.models.trusted)."""
    return _new_score({"text": text, "start": start, "end": end, "section": None, "value": value, "kind": kind})


def _dec(s: str) -> Decimal | None:
    if s[-1] in "0123456789０１２３４５６７８９":
        return Decimal(s.translate(_FW))
    return parse_number(s) if parse_number is not None else None


def _table_scores(text: str) -> list[Score]:
    out: list[Score] = []
    if not contains(text, "得分", 0):
        return out
    lines = lines_with_offsets(text)
    i = 0
    while i < len(lines):
        line, base = lines[i]
        i += 1
        if "得分" not in line or not _is_row(line):
            continue
        header = row_cells(line, base)
        idx = [k for k, (c, _, _) in enumerate(header) if _SCORE_HEADER.match(c.strip())]
        if len(header) < 2 or len(idx) != 1:
            continue
        k = idx[0]
        kind = "average" if "平均" in header[k][0] or "均分" in header[k][0] else "single"
        from_right = len(header) - 1 - k
        # a weight column before the score column: in a short row (合计	100	91.5, its empty
        # cells left out) the score is the figure after the weight
        weighted = any(_WEIGHT_HEADER.match(c.strip()) for c, _, _ in header[:k])
        text_tail = from_right > 0 and all(_TEXT_HEADER.search(c) for c, _, _ in header[k + 1:])
        while i < len(lines):
            row, rbase = lines[i]
            if not row.strip() or not _is_row(row):
                break
            cells = row_cells(row, rbase)
            if any(_SCORE_HEADER.match(c.strip()) for c, _, _ in cells):
                break  # the header of the next table (the sheet's indicator block under its money block)
            i += 1
            if len(cells) < 2:
                break
            j = k if len(cells) == len(header) else len(cells) - 1 - from_right
            if len(cells) < len(header) and (weighted or text_tail):
                figures = [q for q, (c, _, _) in enumerate(cells) if _CELL_NUM.match(c)]
                if weighted and len(figures) == 2:
                    j = figures[1]
                if text_tail and figures and figures[-1] == len(cells) - 1 and (len(figures) >= 2 or not weighted):
                    j = len(cells) - 1  # (with a weight column, a lone figure is the weight: 合计	100)
            if not 0 <= j < len(cells):
                continue
            c, cs, ce = cells[j]
            m = _CELL_NUM.match(c)
            if not m:
                continue
            s, e = cs + m.start(1), ce - (len(c) - len(c.rstrip(" \t\u3000")))
            out.append(_score(text=text[s:e], start=s, end=e, value=_dec(m.group(1)), kind=kind))
    return out


def extract(text: str, mask: Mask | None = None) -> list[Score]:
    out: list[Score] = []
    if "分" not in text:
        return out
    for m in _candidates(text):
        cue = m.group("cue")
        fen = m.group("fen")
        if cue == "得":
            # 得87分 needs its 分, and in rubric text (…的得10分, 否则得0分, 每项得2分) it is a rule
            if not fen or m.start() > 0 and text[m.start() - 1] in "的可即则每各均" or text[max(0, m.start() - 2):m.start()] == "否则":
                continue
        if not fen and not m.group("gap") and cue in ("得分", "评分"):
            # 得分90 without 分 reads as a score only with a strong cue (总分96, 平均得分87)
            pass
        e = m.end()
        if _BAND_AFTER.match(text, e) or _BAND_BEFORE.search(text, max(0, m.start("n") - 4), m.start("n")):
            continue
        if cue in ("达", "達"):
            continue
        value = _dec(m.group("n"))
        if value is None:
            continue
        if ("总分" in cue or "總分" in cue) and value == 100:
            continue  # 总分100分: the scale
        if value > 150:
            continue
        s = m.start("n")
        e = m.end("fen") if fen else m.end("n")
        if mask is not None and mask.hit(s, e):
            continue
        kind = "average" if ("平均" in cue or "均分" in cue) else "single"
        out.append(_score(text=text[s:e], start=s, end=e, value=value, kind=kind))
        p = e
        while fen:
            mm = _MORE.match(text, p)
            if mm is None or _BAND_AFTER.match(text, mm.end()):
                break
            v = _dec(mm.group("n"))
            if v is None:
                break
            out.append(_score(text=text[mm.start("n"):mm.end()], start=mm.start("n"), end=mm.end(), value=v, kind=kind))
            p = mm.end()
    if _FEN_PAREN.search(text):  # ("分）" in text or "分)" in text: two reads of the whole report with a two-character needle)
        _paren_scores(text, out, mask)
    _named_scores(text, out, mask)
    if has_row_marks(text):
        seen = {(f.start, f.end) for f in out}
        for f in _table_scores(text):
            if (f.start, f.end) not in seen and not (mask is not None and mask.hit(f.start, f.end)):
                out.append(f)
        out.sort(key=lambda f: f.start)
    return out
