"""repeated_total: one subject given two different totals in one report.

Two amounts in different sentences are about the same subject when they play the same
money role (涉及/评价 scope, 收回, 调减, 审减 …) in the same budget-cycle stage and
- they follow the same enumerated names (`选取“A”、“B”…4个专项资金共62,531万元` … `将“A”、“B”…
  4个专项资金共66,531万元…`), or
- they follow the same count of the same kind of thing (`2个部门整体以及19个项目…4.9亿元`), or
- they follow the same specific wording (`部门主动申请调减预算额度1,930万元` twice).
Sentences dated to different years are about different things. Equal totals (or totals whose
intervals overlap: 6200万元 and 6200余万元) are consistent.
"""
from __future__ import annotations

import bisect
import re
from typing import Optional

from pipeline.checks import Ctx, amount_iv, approx, fmt_amount
from pipeline.checks.enumeration import names_after, names_before
from schemas import Amount, Count

# (with .match(text, count.end, next.start)): the noun of the first set, then 和/及/、, and no
# clause break before the next count but one before 以及/和 (2个部门整体，以及…19个项目); (56个一级预算部门及其所属单位，纳入监控的项目1,168个 is not one)
_JOINED = re.compile(r"[\u4e00-\u9fff]{0,8}?(?:[，,]?(?:和|及|以及|与|與)|、)[^，,。；;]{0,40}$")


def _partner(ctx: Ctx, c: Optional[Count]) -> Optional[tuple]:
    """The set named together with c's (5个项目和…2个部门…涉及资金X: X is the money of both):
    (value, classifier, kind) of the count joined to c before it, or None."""
    if c is None:
        return None
    same = ctx.counts_by_sentence.get(ctx.sentence_of(c), ())
    k = next((i for i, q in enumerate(same) if q is c), 0)
    if k == 0:
        return None
    p = same[k - 1]
    if not _JOINED.match(ctx.text, p.end, c.start):
        return None
    return (p.value, p.classifier, ctx.count_category(p))
_LEAD_VERB = re.compile(r"^(?:选取|抽取|对|将|组织|包括|先后将)")
_DELTA = re.compile(r"较|比|增加|减少|增长|下降|新增")
_YEAR = re.compile(r"(20\d\d)年")
_NORM = re.compile(r"[\d\s,，。；、：:（）()“”\"《》〔〕\[\]年月日%％.]+")
_SPECIFIC = re.compile(r"收回|调减|审减|核减|压减|申报|建议安排|核定|批复|执行")


_DESCRIBED = re.compile(r"([^，,。；;：:、\s]{2,24})的\s*$")


def _described(ctx: Ctx, c: Count) -> Optional[str]:
    """The words of a `…的` phrase right before a count (`“不予支持”的5个项目`): what sets
    the things counted apart, or None."""
    m = _DESCRIBED.search(ctx.text, max(0, c.start - 26), c.start)
    return m.group(1) if m else None


def _count_after(ctx: Ctx, a: Amount) -> Optional[Count]:
    """The count an amount qualifies (`涉及资金4.37亿元的23个重点评价对象`), or None."""
    for c in ctx.counts_by_sentence.get(ctx.sentence_of(a), ()):
        if c.start > a.end:
            return c if ctx.text[a.end:c.start] == "的" else None
    return None


def _joined_whole(x: dict, y: dict) -> bool:
    """x is the money of two sets named together (8个部门整体和15个项目), y the money of as
    many things counted after it (…的23个评价对象)."""
    c, p, w = x["count"], x["partner"], y["whole"]
    return (c is not None and p is not None and w is not None and y["count"] is None
            and p[1] == c.classifier == w.classifier and p[0] + c.value == w.value)


_CLASS_WORD = re.compile(r"([\u4e00-\u9fff]{1,4})[类類]")


def _class_word(ctx: Ctx, a: Amount) -> Optional[str]:
    """The class a sentence speaks of before an amount (政策类, 项目类), or None."""
    ss, _ = ctx.sentence_span(a)
    m = None
    for m in _CLASS_WORD.finditer(ctx.text, ss, a.start):
        pass
    return m.group(1) if m else None


def _anchor(ctx: Ctx, a: Amount) -> Optional[Count]:
    """The count an amount is the money of (`6个项目，涉及资金…`), or None; memoised per
    amount (the pairs and the back references ask it of the same amounts)."""
    memo = ctx._memo.get("anchor")
    if memo is None:
        memo = ctx._memo["anchor"] = {}
    k = a.start
    if k in memo:
        return memo[k]
    c = memo[k] = _anchor_uncached(ctx, a)
    return c


def _anchor_uncached(ctx: Ctx, a: Amount) -> Optional[Count]:
    sent = ctx.sentence_of(a)
    best = None
    for c in ctx.counts_by_sentence.get(sent, ()):
        if c.end > a.start:
            break
        if _DELTA.search(ctx.window(c, 6)):
            continue
        best = c
    if best is None:
        return None
    if ctx.text.find("：", best.end, a.start) >= 0 or ctx.text.find("如下", best.end, a.start) >= 0:
        return None  # 6个项目评价结果如下：A，评价资金3,260万元: an item's money, not the six's
    starts = ctx.amount_starts
    i = bisect.bisect_left(starts, best.end)
    if i < len(starts) and starts[i] < a.start:  # an amount between the count and a
        return None
    return best


_NAME_NOISE = re.compile(r"项目|工程|专项资金|资金|[“”\"\s\-—（）()]")


def _norm_name(s: str) -> str:
    return _NAME_NOISE.sub("", s)


def _same_names(x: list[str], y: list[str]) -> bool:
    """The same list of names, up to small differences in wording and in how the list is
    cut (`A、B和C` vs `A、B、C`): the characters of the shorter list nearly all occur in the
    other."""
    xs, ys = [_norm_name(n) for n in x], [_norm_name(n) for n in y]
    if abs(len(xs) - len(ys)) > 1:
        return False
    if len(xs) == len(ys):
        sx, sy = [set(a) for a in xs], [set(b) for b in ys]  # (each name's characters, made once)
        if all(any(len(a & b) >= 0.7 * min(len(a), len(b)) for b in sy) for a in sx):
            return True
    jx, jy = set("".join(xs)), set("".join(ys))
    small = min(len(jx), len(jy))
    return small >= 6 and len(jx & jy) >= 0.85 * small


def _years(ctx: Ctx, a: Amount) -> set[str]:
    ss, se = ctx.sentence_span(a)
    return set(_YEAR.findall(ctx.text, ss, a.start))


def run(ctx: Ctx) -> None:
    _run_pairs(ctx)
    run_back_references(ctx)
    _combined_totals(ctx)
    _parallel_pairs(ctx)
    if "原值" in ctx.text or "净值" in ctx.text or "资产总额" in ctx.text:
        _stock_figures(ctx)


# (the four characters before 原值 name the stock: 本部门固定资产原值 and 固定资产原值 are one)
_STOCK = re.compile(r"((?:[\u4e00-\u9fff]{4}|[\u4e00-\u9fff]{2,3})(?:原值|净值)|資產總額|资产总额)(?:为|是|达|共计)?\s*$")


def _stock_figures(ctx: Ctx) -> None:
    """`固定资产原值86,420.33万元` … `固定资产原值86,240.33万元`: a stock a report holds at one date
    (原值, 净值, 资产总额) has one figure, under the same words in any sentence."""
    seen: dict[str, Amount] = {}
    for a in ctx.amounts:
        if a.qualifier or a.bound:
            continue
        m = _STOCK.search(ctx.window(a, 12))
        if m is None or _YEAR.search(ctx.window(a, 24)) and "年末" not in ctx.window(a, 24):
            continue
        first = seen.setdefault(m.group(1), a)
        if first is a or ctx.sentence_of(first) == ctx.sentence_of(a):
            continue
        ctx.touch(first, a)
        if not amount_iv(first).meets(amount_iv(a)):
            d = abs(first.value_yuan - a.value_yuan)
            ctx.add("repeated_total", "error",
                    f"{m.group(1)}前文为{first.text}、后文为{a.text}，相差{fmt_amount(d, a, max(a.decimals, first.decimals))}，请核实。",
                    [first, a], expected="两处金额相同", actual=f"{first.text} / {a.text}")


_MEASURE = re.compile(r"([\u4e00-\u9fff]{2})(?:为|是|达|達|共计|合计|共)?\s*$")


def _measure(ctx: Ctx, a: Amount) -> Optional[str]:
    m = _MEASURE.search(ctx.window(a, 8))
    return m.group(1) if m else None


def _parallel_pairs(ctx: Ctx) -> None:
    """`基金收入13.26亿元…；基金支出12.58亿元` … `基金收入13.26亿元、支出12.85亿元`: two sentences
    that state the same figure under the same word (收入 13.26亿元) are about one thing, so
    the figure each states next under another same word (支出) is one figure too."""
    by_sent: dict[int, list[Amount]] = {}
    for a in ctx.amounts:
        if not a.qualifier and not a.bound:
            by_sent.setdefault(ctx.sentence_of(a), []).append(a)
    if len(by_sent) < 2:
        return
    anchors: dict[tuple, list[tuple[int, int]]] = {}
    for sent, xs in by_sent.items():
        for i, a in enumerate(xs):
            w = _measure(ctx, a)
            if w is not None and a.decimals > 0:  # (a round figure may recur by chance)
                anchors.setdefault((a.value_yuan, w), []).append((sent, i))
    done = set()
    for (value, w), places in anchors.items():
        for k, (s1, i1) in enumerate(places):
            for s2, i2 in places[k + 1:]:
                if s1 == s2:
                    continue
                after1 = [(b, _measure(ctx, b)) for b in by_sent[s1][i1 + 1:]]
                for b2 in by_sent[s2][i2 + 1:i2 + 2]:  # the figure stated right after the anchor
                    w2 = _measure(ctx, b2)
                    if w2 is None or w2 == w or "其中" in ctx.window(b2, 12):
                        continue
                    b1 = next((b for b, wb in after1 if wb == w2 and "其中" not in ctx.window(b, 12)), None)
                    if b1 is None or (b1.start, b2.start) in done:
                        continue
                    done.add((b1.start, b2.start))
                    ctx.touch(b1, b2)
                    if amount_iv(b1).meets(amount_iv(b2)):
                        continue
                    d = abs(b1.value_yuan - b2.value_yuan)
                    anchor = by_sent[s1][i1]
                    ctx.add("repeated_total", "error",
                            f"同一口径（{w}均为{anchor.text}）的{w2}前文为{b1.text}、后文为{b2.text}，"
                            f"相差{fmt_amount(d, b1, max(b1.decimals, b2.decimals))}，请核实。",
                            [b1, b2], expected="两处金额相同", actual=f"{b1.text} / {b2.text}")


_ROLE_WORD = {"收回": "recovered", "收回统筹": "recovered", "调减": "reduced", "压减": "reduced", "核减": "reduced"}
_TWO_ROLES = re.compile(r"(收回|调减|压减|核减)(?:和|及|与|與|、|并)(收回|调减|压减|核减)(?:资金|預算|预算)?(?:共计|合计|共|总计)?\s*$")
_SUM_OF_ITEMS = re.compile(r"(?:两|二|三|几)项(?:合计|共计|相加)\s*$")


def _combined_totals(ctx: Ctx) -> None:
    """`收回和调减资金4,880.15万元` … `收回…2,865.40万元，调减…1,942.75万元，两项合计4,808.15万元`:
    the money of two named kinds together, stated once as one figure and once as the total of
    its items, is one figure."""
    if "项合计" not in ctx.text and "项共计" not in ctx.text:
        return
    named = []
    for a in ctx.amounts:
        m = _TWO_ROLES.search(ctx.window(a, 14))
        if m and not a.qualifier:
            named.append((a, {_ROLE_WORD[m.group(1)], _ROLE_WORD[m.group(2)]}))
    if not named:
        return
    for b in ctx.amounts:
        if b.qualifier or not _SUM_OF_ITEMS.search(ctx.window(b, 8)):
            continue
        sent = ctx.sentence_of(b)
        roles = {ctx.role(x) for x in ctx.amounts if x.end <= b.start and ctx.sentence_of(x) == sent}
        for a, pair in named:
            if ctx.sentence_of(a) == sent or not pair <= roles:
                continue
            ctx.touch(a, b)
            if not amount_iv(a).meets(amount_iv(b)):
                d = abs(a.value_yuan - b.value_yuan)
                ctx.add("repeated_total", "error",
                        f"{ctx.window(a, 14).strip('，,、 ')}前文为{a.text}，后文各项合计为{b.text}，"
                        f"相差{fmt_amount(d, a, max(a.decimals, b.decimals))}，请核实。",
                        [a, b], expected="两处金额相同", actual=f"{a.text} / {b.text}")
            break


def _run_pairs(ctx: Ctx) -> None:
    # only an amount whose role an amount of another sentence shares can be paired: the
    # subject of the others (names, count, wording, years) is never read, so not worked out
    by_role: dict[str, list[Amount]] = {}
    for a in ctx.amounts:
        role = ctx.role(a)
        if role is not None:
            by_role.setdefault(role, []).append(a)
    paired = set()  # in some pair of one role, other sentences, and a stage both share or one lacks
    for xs in by_role.values():
        if len(xs) < 2:
            continue
        st = [(a, ctx.stage_of(a), ctx.sentence_of(a)) for a in xs]
        for i, (a, sa, na) in enumerate(st):
            for b, sb, nb in st[i + 1:]:
                if na != nb and (sa == sb or sa is None or sb is None):
                    paired.add(id(a))
                    paired.add(id(b))
    info = []
    for a in ctx.amounts:
        if id(a) not in paired:
            continue
        c = _anchor(ctx, a)
        names: list[str] = []
        if c is not None:
            items, etc, quoted = names_before(ctx, c)
            names = items if not etc else []
            if not names:
                names = names_after(ctx, c)
        w = ctx.window(a)
        m = _SPECIFIC.search(w)
        label = ""
        if m:
            label = _NORM.sub("", w[m.start():])
            if len(label) < 5:  # short: the whole wording must repeat
                label = _NORM.sub("", w)
        info.append(dict(a=a, count=c, partner=_partner(ctx, c), whole=_count_after(ctx, a), names=names,
                         role=ctx.role(a), stage=ctx.stage_of(a),
                         label=label, years=_years(ctx, a), sent=ctx.sentence_of(a)))
    later: dict[str, list[dict]] = {}  # per role, the amounts after x (pairs in the order of (x, y))
    for x in info:
        later.setdefault(x["role"], []).append(x)
    reported = set()
    for x in info:
        same = later[x["role"]]
        del same[0]
        for y in same:
            if x["sent"] == y["sent"]:
                continue
            named = bool(x["names"] and y["names"])
            joined = False
            if x["stage"] != y["stage"] and not (named and None in (x["stage"], y["stage"])):
                continue
            if x["stage"] is None and not named:
                continue
            cx, cy = x["count"], y["count"]
            same_count = (cx is not None and cy is not None and cx.value == cy.value
                          and cx.classifier == cy.classifier and ctx.count_category(cx) == ctx.count_category(cy))
            if x["years"] and y["years"] and not (x["years"] & y["years"]) and not (same_count and cx.value >= 100):
                # (对2022年度1,198个项目开展绩效自评 and 2023年…对1,198个项目开展自评: a count that
                # large names the same batch whichever year each sentence dates)
                continue
            if cx is not None and cy is not None and not same_count:
                continue
            if same_count and _described(ctx, cx) not in (None, _described(ctx, cy)) and _described(ctx, cy) is not None:
                continue  # 立项依据不充分…的5个项目 and “不予支持”的5个项目: two sets of five
            strong = False
            if x["names"] and y["names"]:
                if not _same_names(x["names"], y["names"]):
                    continue
                strong = True
            elif same_count:
                strong = False
            elif _joined_whole(x, y) or _joined_whole(y, x):
                # 选取8个部门整体和15个项目…涉及资金4.73亿元 … 涉及资金4.37亿元的23个重点评价对象
                strong, joined = True, True
            elif x["label"] and x["label"] == y["label"] and len(x["label"]) >= 4 and (cx is None) == (cy is None) \
                    and _class_word(ctx, x["a"]) == _class_word(ctx, y["a"]):
                # (政策类申报资金…评估建议安排 and 项目类申报资金…评估建议安排: the same words for two classes)
                # (the same wording, and neither or both after a count: 12个项目…核减资金6,280万元
                # and one project's 核减资金580万元 are not the same thing)
                strong = True
            else:
                continue
            if id(y["a"]) in reported:
                continue
            a, b = x["a"], y["a"]
            ctx.touch(a, b)
            if amount_iv(a).meets(amount_iv(b)):
                continue
            if x["partner"] != y["partner"] and not joined:
                continue  # one is the money of two sets (5个项目和2个部门), the other of one of them
            reported.add(id(y["a"]))
            subj = ""
            if cx is not None:
                noun = re.match(r"[\u4e00-\u9fff]{0,6}?(?=[（(，,、共合评涉的]|$)", ctx.text[cx.end: cx.end + 8])
                noun_text = cx.subject if cx.subject and len(cx.subject) <= 6 else (noun.group(0) if noun else "")
                subj = f"同一批{cx.text}{noun_text}"
                if joined:  # (the two sets named together, and the whole counted after the other)
                    w = (y if x["whole"] is None else x)["whole"]
                    p = x["partner"]
                    subj = f"同一批评价对象（{p[0]}{p[1]}{p[2] or ''}与{cx.text}{ctx.count_category(cx) or ''}，共{w.text}）"
                if x["names"]:
                    shown = [_LEAD_VERB.sub("", n) for n in x["names"]]
                    subj += f"（{'、'.join(shown)}）"
            else:
                subj = f"同一事项“{ctx.window(a).strip('，,、 ')}”"
            d = abs(a.value_yuan - b.value_yuan)
            ctx.add("repeated_total", "error" if strong and not approx(a, b) else "warning",
                    f"{subj}的金额前文为{a.text}、后文为{b.text}，相差{fmt_amount(d, a, max(a.decimals, b.decimals))}，请核实。",
                    [a, b], expected="两处金额相同", actual=f"{a.text} / {b.text}")


_BACK_REF = re.compile(r"(?:上述|前述|上列|以上|这|這)\s*$")


def run_back_references(ctx: Ctx) -> None:
    """`选取…6个项目开展重点评价，涉及资金4.86亿元` … `对上述6个项目4.68亿元财政资金的评价结果`:
    an amount right after a count that points back (上述/前述/这) names the same money as the
    amount after the earlier count of the same things."""
    # b's count must end at most 4 characters before b with a 上述/这… before it: the places
    # such a count allows are worked out once, so that most amounts skip _anchor
    near = set()
    for c in ctx.counts:
        if _BACK_REF.search(ctx.text, max(0, c.start - 4), c.start):
            near.update(range(c.end, c.end + 5))
    if not near:
        return
    for b in ctx.amounts:
        if b.start not in near:
            continue
        cy = _anchor(ctx, b)
        if cy is None or b.start - cy.end > 4 or not _BACK_REF.search(ctx.text, max(0, cy.start - 4), cy.start):
            continue
        for a in ctx.amounts:
            if a.start >= cy.start:
                break
            cx = _anchor(ctx, a)
            if (cx is None or ctx.sentence_of(a) == ctx.sentence_of(b) or cx.value != cy.value
                    or cx.classifier != cy.classifier or ctx.count_category(cx) != ctx.count_category(cy)
                    or ctx.role(a) not in ("scope", None) or a.bound or a.qualifier):
                continue
            ctx.touch(a, b)
            done = any(f.rule == "repeated_total" and {sp.start for sp in f.spans} == {a.start, b.start}
                       for f in ctx.findings)  # (the pairs above may have said it already)
            if not done and not amount_iv(a).meets(amount_iv(b)):
                d = abs(a.value_yuan - b.value_yuan)
                ctx.add("repeated_total", "error" if not approx(a, b) else "warning",
                        f"同一批{cx.text}{cx.subject if cx.subject and len(cx.subject) <= 6 else ''}的金额前文为{a.text}、"
                        f"后文（{ctx.text[cy.start - 2:cy.start]}{cy.text}）为{b.text}，"
                        f"相差{fmt_amount(d, a, max(a.decimals, b.decimals))}，请核实。",
                        [a, b], expected="两处金额相同", actual=f"{a.text} / {b.text}")
            break
