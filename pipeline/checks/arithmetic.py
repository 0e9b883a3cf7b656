"""arithmetic.difference, arithmetic.rate, arithmetic.sum over the relations reports state.

- declared (申报) − approved (建议安排/核定/审定) = cut (审减/核减/压减), in one sentence part;
- cut ÷ declared = cut rate (审减率/核减率); spent ÷ budget = execution rate (执行率);
- sub-totals of the cut (basic + project) = the total cut stated elsewhere in the same stage,
  and that total ÷ the sum of the declared figures = its stated rate;
- itemised amounts or counts after a total (`…16408.15万元，具体项目及金额为A 1556.59万元、B …`)
  or before one (`A…、B…，合计…`) add up to it;
- score bands (`90分以上…185个；80分-89分…379个…`) and grade counts (`优2个，良3个…`)
  add up to the count of projects / departments named before them;
- passed + rejected (`细化量化的项目共78个，取消…2个`) = the count submitted before.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from decimal import Decimal
from typing import Optional

from pipeline.checks import (
    INF,
    Ctx,
    Iv,
    amount_iv,
    approx,
    count_iv,
    fmt_amount,
    fmt_pct,
    op,
    rate_iv,
    _CATEGORY,
    _CUT_RATE,
    _EXEC_RATE,
    _SUBJ_TAIL,
    category,
)
from pipeline.segment import cn_int
from schemas import Amount, Count, Rate

_CUE_DECL = re.compile(r"申报|申请|报送|送审|上报")
_CUE_APPR = re.compile(r"建议安排|核定|审定|审核后安排|批复|安排|确定预算|审核确定|核准|确认")
_CUE_CUT = re.compile(r"审减|核减|压减|削减|调减")


def _cue(pat: re.Pattern, w: str, default: str) -> str:
    m = None
    for m in pat.finditer(w):
        pass
    return m.group(0) if m else default


def _rate_cue(ctx: Ctx, r: Rate, pat: re.Pattern) -> Optional[str]:
    m = pat.search(ctx.window(r, 12))
    return m.group(0) if m else None


def _pct_decimals(r: Rate) -> int:
    """Expected rates are written at the stated rate's precision."""
    return r.decimals


# --------------------------------------------------------------------------- difference and rate


_LESS_THAN = re.compile(r"(?:比|较)[\u4e00-\u9fff]{1,6}?(?:少|减少|低)[了]?[ \t\u3000]*$")


def _groups(ctx: Ctx) -> list[dict]:
    """Per sentence, runs of declared / approved / cut amounts and a cut rate: a declared
    figure opens a new group (`申报基本支出…审减…；申报项目支出…审减…`), so a group may
    cross a ；. A scope amount (涉及资金…) before the cut can serve as the rate's base
    when no declared figure is given."""
    items = []
    for a in ctx.amounts:
        role = ctx.role(a)
        if role in ("declared", "approved") and _LESS_THAN.search(ctx.window(a, 16)):
            role = "cut"  # 核定数比申报数少2,879.60万元: the difference, stated as a comparison
        if role in ("declared", "approved", "cut", "scope", "reduced"):
            items.append((a.start, role, a))
    for r in ctx.rates:
        if _rate_cue(ctx, r, _CUT_RATE):
            items.append((r.start, "rate", r))
    items.sort(key=lambda x: x[0])
    groups: list[dict] = []
    cur: Optional[dict] = None
    cur_sent = None
    last_end = 0
    for _, kind, f in items:
        sent = ctx.sentence_of(f)
        if kind == "reduced":  # 调减 right after a review's declared figure is its cut
            # (`申报…92,460.38万元，经审核确认89,937.16万元，调减2,532.22万元`); elsewhere it is
            # a monitoring stage's budget cut, no part of a declared/approved relation
            if cur is None or sent != cur_sent or "declared" not in cur or "cut" in cur:
                continue
            kind = "cut"
        # a ； ends a group that already holds a relation (两 of declared / approved / cut):
        # `申报预算1,200万元，压减150万元，压减比例12.5%；…增加安排500万元` is another matter
        closed = (cur is not None and sum(k in cur for k in ("declared", "approved", "cut")) >= 2
                  and ctx.text.find("；", last_end, f.start) >= 0)
        last_end = f.end
        # a group left with only its declared figure continues into the next sentence of the
        # paragraph (`申报资金61,408.7万元。经…审核，审定资金…，审减资金…`)
        carry = (cur is not None and sent == cur_sent + 1 and set(cur) <= {"seg", "declared", "scope"}
                 and "declared" in cur and kind in ("approved", "cut")
                 and ctx.layout.line(f.start) == ctx.layout.line(cur["declared"].start))
        if carry:
            cur_sent = sent
        if (cur is None or sent != cur_sent or closed
                or (kind == "declared" and any(k in cur for k in ("declared", "approved", "cut")))
                or (kind != "scope" and kind in cur)):
            cur = {"seg": ctx.segment_of(f)}
            groups.append(cur)
            cur_sent = sent
        if kind == "scope":
            if "cut" not in cur:
                cur["scope"] = f
        else:
            cur.setdefault(kind, f)
    return [g for g in groups if len(g) > 2]


def _check_group(ctx: Ctx, g: dict) -> None:
    D, A, C, R = g.get("declared"), g.get("approved"), g.get("cut"), g.get("rate")
    S = g.get("scope")
    if D is None and S is not None and C is not None and R is not None and A is None:
        _check_scope_rate(ctx, S, C, R)
        return
    diff_ok = rate_ok = None
    if D and A and C and D.start < A.start:
        ctx.touch(D, A, C)
        diff_ok = (op(D) - op(A)).meets(amount_iv(C))
        if not diff_ok and "其中" in ctx.window(C):  # 其中压减…: a part of the difference
            diff_ok = amount_iv(C).lo <= (op(D) - op(A)).hi
    if D and C and R:
        ctx.touch(D, C)
        q = op(C).div(op(D))
        rate_ok = q is None or q.meets(rate_iv(R))
    elif D and A and R and not C:
        ctx.touch(D, A)
        q = (op(D) - op(A)).div(op(D))
        rate_ok = q is None or q.meets(rate_iv(R))

    if diff_ok is False:
        exact = D.value_yuan - A.value_yuan
        dec = C.decimals
        suspect = None
        if R is not None:
            ok = []
            r_iv = rate_iv(R)
            q = (op(D) - op(A)).div(op(D))
            if q and q.meets(r_iv):
                ok.append(C)
            q = op(C).div(op(D))
            if q and q.meets(r_iv):
                ok.append(A)
            q = op(C).div(op(A) + op(C))
            if q and q.meets(r_iv):
                ok.append(D)
            if len(ok) == 1:
                suspect = ok[0].text
        cut_word = _cue(_CUE_CUT, ctx.window(C), "差")
        like = C if C.unit != D.unit else D  # (2.436亿元 − 21,580.40万元: said in the stated difference's unit)
        exp = fmt_amount(exact, like, dec)
        msg = (f"{_cue(_CUE_DECL, ctx.window(D), '')}{D.text}减去{_cue(_CUE_APPR, ctx.window(A), '')}{A.text}"
               f"应为{exp}，而文中{cut_word}额为{C.text}，相差{fmt_amount(abs(C.value_yuan - exact), like, dec)}")
        if suspect:
            msg += f"，按文中比率{R.text}推算，最可能有误的是{suspect}"
        ctx.add("arithmetic.difference", "warning" if approx(D, A, C) else "error", msg + "，请核实。",
                [D, A, C] + ([R] if R is not None else []), expected=exp, actual=C.text, suspect=suspect)
    if rate_ok is False and C is not None and _other_declared(ctx, D, C, R):
        rate_ok = None  # 核减率14.01% of the 申报资金合计 stated before, not of a part nearer the cut
    if rate_ok is False:
        part = C if C is not None else None
        if part is not None:
            frac = C.value_yuan / D.value_yuan
            what = f"{_cue(_CUE_CUT, ctx.window(C), '')}{C.text}占{_cue(_CUE_DECL, ctx.window(D), '')}{D.text}的比例"
        else:
            frac = (D.value_yuan - A.value_yuan) / D.value_yuan
            what = f"{D.text}与{A.text}之差占{D.text}的比例"
        exp = fmt_pct(frac, _pct_decimals(R))
        suspect = R.text if diff_ok else None
        ctx.add("arithmetic.rate", "warning" if approx(D, C, R) or (part is None and approx(A)) else "error",
                f"{what}应为{exp}，而文中{_rate_cue(ctx, R, _CUT_RATE)}为{R.text}，请核实。",
                [x for x in (C or A, D, R)], expected=exp, actual=R.text, suspect=suspect)


def _base_explains(ctx: Ctx, part: Amount, R: Rate, until: int, is_base, skip=()) -> bool:
    """Whether some figure of the part's sentence or the two before it (up to `until`) that
    `is_base` accepts gives the stated rate as part ÷ it: another reading of the rate, which
    a check that found its base nearer does not overrule."""
    lo = ctx.layout.sentences[max(0, ctx.sentence_of(part) - 2)][0]
    for a in ctx.amounts[bisect.bisect_left(ctx.amount_starts, lo):]:
        if a.start > until:
            break
        if a is part or a in skip or a.qualifier or not is_base(a):
            continue
        q = op(part).div(op(a))
        if q is not None and q.meets(rate_iv(R)):
            return True
    return False


def _other_declared(ctx: Ctx, D: Amount, C: Amount, R: Rate) -> bool:
    """Whether another declared (or scope) figure gives the stated cut rate with the cut
    (核减率14.01% of the 申报资金合计 stated before, not of a part nearer the cut)."""
    return _base_explains(ctx, C, R, C.start, lambda a: ctx.role(a) in ("declared", "scope"), (D,))


def _check_scope_rate(ctx: Ctx, S: Amount, C: Amount, R: Rate) -> None:
    """cut ÷ the amount under review (涉及资金) = cut rate; the base is inferred, so a
    contradiction is a warning."""
    ctx.touch(S, C)
    q = op(C).div(op(S))
    if q is None or q.meets(rate_iv(R)):
        return
    exp = fmt_pct(C.value_yuan / S.value_yuan, _pct_decimals(R))
    ctx.add("arithmetic.rate", "warning",
            f"{_cue(_CUE_CUT, ctx.window(C), '')}{C.text}占{S.text}的比例应为{exp}，"
            f"而文中{_rate_cue(ctx, R, _CUT_RATE)}为{R.text}，请核实。",
            [C, S, R], expected=exp, actual=R.text)


def _grand_totals(ctx: Ctx, groups: list[dict]) -> None:
    """Sub-totals (two or more cut groups of one stage in one paragraph) against a total cut
    stated elsewhere in the same stage."""
    used = {id(x) for g in groups if "declared" in g or "approved" in g for k, x in g.items() if k != "seg"}
    by_para: dict[tuple, list[dict]] = {}
    for g in groups:
        if "cut" in g and ("declared" in g or "approved" in g):
            c = g["cut"]
            by_para.setdefault((ctx.layout.line(c.start), ctx.stage_of(c)), []).append(g)
    for (para, stage), gs in by_para.items():
        if len(gs) < 2 or stage is None:
            continue
        sents = {ctx.sentence_of(g["cut"]) for g in gs}
        cands = [a for a in ctx.amounts if id(a) not in used and ctx.role(a) == "cut"
                 and ctx.stage_of(a) == stage and ctx.sentence_of(a) not in sents]
        if len(cands) != 1:
            continue
        T = cands[0]
        parts = [g["cut"] for g in gs]
        ctx.touch(T, *parts)
        s = Iv.total(op(p) for p in parts)
        if not s.meets(amount_iv(T)):
            exact = sum((p.value_yuan for p in parts), Decimal(0))
            exp = fmt_amount(exact, T, T.decimals)
            ctx.add("arithmetic.sum", "warning" if approx(T, *parts) else "error",
                    f"分项{'、'.join(p.text for p in parts)}合计应为{exp}，而文中合计为{T.text}，请核实。",
                    parts + [T], expected=exp, actual=T.text)
        # the total's rate against the sum of the declared figures
        decl = [g.get("declared") for g in gs]
        R = next((r for r in ctx.rates if ctx.segment_of(r) == ctx.segment_of(T) and _rate_cue(ctx, r, _CUT_RATE)), None)
        if R is not None and all(decl):
            ctx.touch(*decl)
            q = op(T).div(Iv.total(op(d) for d in decl))
            if q is not None and not q.meets(rate_iv(R)):
                frac = T.value_yuan / sum((d.value_yuan for d in decl), Decimal(0))
                exp = fmt_pct(frac, _pct_decimals(R))
                ctx.add("arithmetic.rate", "warning" if approx(T, R, *decl) else "error",
                        f"{T.text}占申报合计（{'+'.join(d.text for d in decl)}）的比例应为{exp}，而文中为{R.text}，请核实。",
                        [T, *decl, R], expected=exp, actual=R.text)


_SPENT_STRONG = re.compile(r"执行数|执行金额|执行资金|已执行|实际执行|实际支出|已支出|支出数|支出金额|拨付|支付|完成支出")
_SPENT = re.compile(r"执行|支出|拨付|完成")
_BUDGET = re.compile(r"预算|批复|安排|下达|可使用|可用")  # (可使用专项债券资金合计1.26亿元: what may be spent)
_SCOPE_BASE = re.compile(r"涉及|监控|资金规模|纳入")


_BALANCE = re.compile(r"结余|结转|剩余|未使用|未支出|未执行")
_BALANCE_NOT = re.compile(r"其中|收回|盘活")


_LESS_SPENT = re.compile(r"预算[^，,。；;]{0,6}(?:扣除|减去|减除|扣减)[^，,。；;]{0,6}支出")


def _balance(ctx: Ctx, spent: Amount, budget: Amount, inferred: bool) -> None:
    """budget − spent = the balance (结余/结转) stated right after the spent figure."""
    sent = ctx.sentence_of(spent)
    bal = next((a for a in ctx.amounts if a.start > spent.end and ctx.sentence_of(a) == sent
                and _BALANCE.search(ctx.window(a, 12)) and not _SPENT.search(_BALANCE.sub("", ctx.window(a, 12)))
                and not _BALANCE_NOT.search(ctx.window(a, 12))), None)  # (尚未支出1,600万元: 支出 of 未支出)
    if bal is None:
        # a later sentence that says it is the budget less the spending (全年预算扣除实际支出后，
        # 结余资金1,124,752.64元), within the next eight sentences
        for a in ctx.amounts:
            if a.start <= spent.end or ctx.sentence_of(a) == sent:
                continue
            if ctx.sentence_of(a) - sent > 8:
                break
            if _BALANCE.search(ctx.window(a, 12)) and _LESS_SPENT.search(ctx.text, ctx.sentence_span(a)[0], a.start):
                bal = a
                break
    if bal is None:
        return
    ctx.touch(bal)
    if (op(budget) - op(spent)).meets(amount_iv(bal)):
        return
    exact = budget.value_yuan - spent.value_yuan
    exp = fmt_amount(exact, bal, bal.decimals)
    ctx.add("arithmetic.difference", "warning" if inferred or approx(budget, spent, bal) else "error",
            f"预算{budget.text}减去支出{spent.text}应为{exp}，而文中{_BALANCE.search(ctx.window(bal, 12)).group(0)}为{bal.text}，请核实。",
            [budget, spent, bal], expected=exp, actual=bal.text)


_WHOLE_BUDGET = re.compile(r"(?:全年|调整后)预算(?:数|总额|合计|金额)?(?:为|是|共计|合计)?[ \t\u3000]*$|预算(?:总额|合计)(?:为|是)?[ \t\u3000]*$")


_RATE_OF_YEAR = re.compile(r"(?:(?:19|20)\d\d年|上年|去年|上一年度|同期)[^，,。；;]{0,6}(?:执行率|执行进度|支出进度|支出率)")
_ADJUSTED = re.compile(r"调整后|调整为|调增后|调减后|追加后|变更后|调整预算")


def _other_budget(ctx: Ctx, spent: Amount, R: Rate) -> bool:
    """Whether a budget figure (年初预算…，调整后为…) gives the stated rate with this spending."""
    return _base_explains(ctx, spent, R, R.start, lambda a: bool(
        (_BUDGET.search(ctx.window(a, 12)) or _ADJUSTED.search(ctx.window(a, 12))) and not _DELTA_BEFORE.search(ctx.window(a))))


def _execution(ctx: Ctx) -> None:
    for R in ctx.rates:
        cue = _rate_cue(ctx, R, _EXEC_RATE)
        if not cue:
            continue
        if _RATE_OF_YEAR.search(ctx.window(R, 16)):
            continue  # 2022年同口径执行率为91.6%, 上年执行率: another year's rate, its figures not this sentence's
        sent = ctx.sentence_of(R)
        spent = budget = None
        part_of_whole = False
        scope = None  # 涉及资金 / 监控资金: the base when no budget is named
        for a in ctx.amounts:
            if a.start > R.start:
                break
            if ctx.sentence_of(a) != sent:
                continue
            w = ctx.window(a)
            if spent is not None and ctx.text.find("其中", spent.end, a.start) >= 0:
                continue  # 实际支出19,872.45万元，其中基本支出…、项目支出…: the parts of the total
            if _DELTA_BEFORE.search(w):
                continue  # 比年初预算增加5.73亿元: a change, neither budget nor spending
            if _SPENT_STRONG.search(w) or _BUDGET_SPENT.search(w):
                spent = a
            elif _BUDGET.search(w):
                budget = a
            elif _SPENT.search(w):
                spent = a
            elif _SCOPE_BASE.search(w) and spent is None:
                scope = a
        if spent is not None and ctx.text.find("；", spent.end, R.start) >= 0:
            # 其中A项目预算3,260万元，执行3,108.56万元，执行率95.35%；B项目预算1,120万元，全部
            # 执行到位，执行率100%: the spending of another ；-part is not this rate's
            continue
        if spent is not None and budget is None and scope is None:
            # the base may close the previous sentence of the paragraph (`监控资金45,360万元。截至…已支出…`)
            ss, _ = ctx.layout.sentences[sent]
            line = ctx.layout.line(ss)  # (the sentence's first line: a wrapped sentence ends on another)
            prev = [a for a in ctx.amounts if a.end <= ss and ctx.layout.line(a.start) == line
                    and (_BUDGET.search(ctx.window(a)) or ctx.sentence_of(a) == sent - 1 and _SCOPE_BASE.search(ctx.window(a)))]
            prev = [a for a in prev if "其中" not in ctx.window(a)] or prev  # the total, not its parts
            # the adjusted budget when the sentence gives both (年初预算452,108.30万元，年中追加调整后
            # 为468,725.40万元): the year's spending is measured against what it could spend
            adjusted = [a for a in ctx.amounts if a.end <= ss and ctx.layout.line(a.start) == line
                        and ctx.sentence_of(a) == sent - 1 and _ADJUSTED.search(ctx.window(a, 12))
                        and not _DELTA_BEFORE.search(ctx.window(a))]
            scope = adjusted[-1] if adjusted else prev[-1] if prev else None
            g = _GROUP_LAST.search(ctx.window(spent, 12))
            if g is not None:
                # the budget of the same part: in the sentence before, on the same line (其中…项目支出
                # 4,386.52万元。项目支出全年实际执行4,246.15万元), else named as that part's budget
                # paragraphs before (项目支出预算22,418,600.00元 … 其中：…项目支出21,331,703.74元，执行率94.15%)
                part = g.group(1)
                same = [a for a in ctx.amounts if a.end <= ss and ctx.layout.line(a.start) == line
                        and ctx.sentence_of(a) == sent - 1 and ctx.window(a, 8).endswith(part)]
                if same:
                    scope = same[-1]
                else:
                    budget_word = r"(?:预算(?:数|金额)?)?" if part.endswith("预算") else r"预算(?:数|金额)?"
                    named = re.compile(re.escape(part) + r"(?:全年|调整后)?" + budget_word + r"(?:为|是)?[：:]?\s*$")
                    same = [a for a in ctx.amounts if a.end <= ss and not a.qualifier and named.search(ctx.window(a, 12))]
                    if same:
                        scope, part_of_whole = same[-1], True
        if spent is not None and budget is None and not part_of_whole:
            # 其中中央衔接资金执行18,204.37万元，执行率97.61% after 其中中央衔接资金18,650万元: the
            # budget stated under the same name
            named = _named_budget(ctx, spent, ctx.layout.sentences[sent][0])
            if named is not None:
                scope, part_of_whole = named, True
        if spent is not None and budget is None and scope is None:
            # the year's whole budget stated sections before (全年预算合计14,295,600.00元 … 实际支出
            # 13,152,847.36元，预算执行率92.01%): taken when it gives the stated rate
            whole = next((a for a in reversed(ctx.amounts) if a.end <= spent.start and not a.qualifier
                          and _WHOLE_BUDGET.search(ctx.window(a, 12))), None)
            q = op(spent).div(op(whole)) if whole is not None else None
            if q is not None and q.meets(rate_iv(R)):
                scope = whole
        inferred = budget is None
        budget = budget or scope
        if not (spent and budget):
            continue
        ctx.touch(spent, budget)
        if not part_of_whole:  # (a part's spending and budget are not the report's execution figures)
            ctx.execution.append((spent, budget, R))
        _balance(ctx, spent, budget, inferred)
        q = op(spent).div(op(budget))
        if q is not None and not q.meets(rate_iv(R)) and _other_budget(ctx, spent, R):
            continue  # another budget stated with it (年初 / 调整后) gives the rate: the base was misread
        if q is not None and not q.meets(rate_iv(R)):
            exp = fmt_pct(spent.value_yuan / budget.value_yuan, _pct_decimals(R))
            ctx.add("arithmetic.rate", "warning" if inferred or approx(spent, budget, R) else "error",
                    f"执行金额{spent.text}占预算{budget.text}的比例应为{exp}，而文中{cue}为{R.text}，请核实。",
                    [spent, budget, R], expected=exp, actual=R.text)


# the spending of a budget (一般公共预算支出18.26亿元, 政府性基金预算累计支出…), not a budget
_SPENT_NAME = re.compile(r"([\u4e00-\u9fff]{4,14})(?:执行|支出|拨付|使用)$")
_NAME_LEAD = re.compile(r"^(?:其中|全年|累计|实际|当年|年度)+")


def _named_budget(ctx: Ctx, spent, before: int):
    """The amount stated before `before` under the name the spent figure is of, when the name
    is specific (中央衔接资金, not 资金): that part's budget."""
    m = _SPENT_NAME.search(ctx.window(spent, 16))
    if m is None:
        return None
    name = _NAME_LEAD.sub("", m.group(1))
    if len(name) < 4:
        return None
    same = [a for a in ctx.amounts if a.end <= before and not a.qualifier and a.value_yuan >= spent.value_yuan
            and ctx.window(a, 14).endswith(name)]
    return same[-1] if same else None


_BUDGET_SPENT = re.compile(r"预算(?:累计|实际)?支出(?:数|额)?(?:为|达|共计)?\s*$")
# the part a spent figure is of: a kind of spending, or a budget of the four (政府性基金预算支出3.21亿元)
_GROUP_LAST = re.compile(r"(项目支出|基本支出|項目支出|一般公共预算|政府性基金预算|国有资本经营预算|社会保险基金预算)"
                         r"[^，,。；;、]{0,8}$")


# --------------------------------------------------------------------------- itemised sums

_LIST_AFTER = re.compile(r"具体|明细|分别|其中|包括|依次|分项")
# `1,046个，较上年增加87个，同比增长9.07%，其中…`: a comparison between a total and its parts
_AFTER_DELTA = re.compile(r"[，,]\s*(?:较|比|同比)[^，。；]{0,16}[，,](?:\s*同比[^，。；]{0,12}[，,])?\s*(?:其中|具体)")
_TOTAL_AFTER = re.compile(r"合计|共计|总计|总额|累计|共")
_OPENS_QIZHONG = re.compile(r"\s*其中")  # .match(text, ss, se): the sentence, less leading spaces, opens with 其中


_SCORE_TOTAL = re.compile(r"总分|總分|总得分|綜合得分|综合得分|合计|合計|得分")
_SCORE_NOT_TOTAL = re.compile(r"平均|最高|最低|均分")
_SOME_ITEMS = re.compile(r"主要|重点")  # (主要包括…: the main items)
_ETC_AFTER = re.compile(r"[ \t\u3000]*等")


# --------------------------------------------------------------------------- listed items against their total

_ITEM_LABEL = re.compile(r"^[ \t\u3000]*(?:(\d{1,2})[.．、](?!\d)|[（(](\d{1,2})[）)])", re.M)
_LIST_COLON = re.compile(r"[：:]")


def _item_spans(ctx: Ctx) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """Lists of items, each (head start, list start, [(item start, item end)…]): numbered lines
    (1. … 2. … or （1）… （2）…, numbers in order from 1) whose head is the line before them,
    and the ；-parts of a sentence after its ： whose head is the sentence before the ：."""
    text = ctx.text
    out = []
    run: list = []  # (number, style, label start)

    def close() -> None:
        if len(run) >= 3:
            starts = [st for _, _, st in run]
            last_end = text.find("\n", starts[-1])  # the last item ends with its line
            ends = starts[1:] + [last_end if last_end >= 0 else len(text)]
            head = text.rfind("\n", 0, max(0, starts[0] - 1)) + 1
            out.append((head, starts[0], list(zip(starts, ends))))

    for m in _ITEM_LABEL.finditer(text):
        n, style = (int(m.group(1)), ".") if m.group(1) else (int(m.group(2)), "(")
        if run and run[-1][1] == style and n == run[-1][0] + 1:
            run.append((n, style, m.start()))
            continue
        close()
        run = [(n, style, m.start())] if n == 1 else []
    close()
    for ss, se in ctx.layout.sentences:
        if text.count("；", ss, se) < 2:
            continue
        c = _LIST_COLON.search(text, ss, se)
        if not c or text.find("；", ss, c.start()) >= 0:
            continue
        starts = [c.end()]
        i = text.find("；", c.end(), se)
        while i >= 0:
            starts.append(i + 1)
            i = text.find("；", i + 1, se)
        ends = [x - 1 for x in starts[1:]] + [se]
        out.append((ss, c.end(), list(zip(starts, ends))))
    return out


def _item_lists(ctx: Ctx) -> None:
    """N items listed one per numbered line or ；-part, each with one amount under the same
    word, against the money of the N things stated before: `选取…6个项目开展评价，评价项目资金合计
    38,426.50万元` … `6个项目…分项目看：⏎1.…，涉及资金9,860.00万元，…；⏎2.…` (the six add up to
    37,826.50). The list's head names the N things again (N个项目…如下：), and the total is the one
    money figure after N in its sentence."""
    starts = ctx.amount_starts
    for head, list_start, items in _item_spans(ctx):
        k = len(items)
        parts = []
        for a, b in items:
            i, j = bisect.bisect_left(starts, a), bisect.bisect_left(starts, b)
            if j - i != 1:
                break
            parts.append(ctx.amounts[i])
        if len(parts) != k or any(ctx.role(p) != "scope" for p in parts):
            continue
        if len({ctx.window(p, 6)[-2:] for p in parts}) != 1:
            continue  # one word before every item's figure (涉及资金…, 评价资金…)
        named = [c for c in ctx.counts if c.value == k and c.start < list_start and ctx.count_category(c) == "项目"]
        if not any(c.start >= head for c in named):
            continue  # the head does not name the N things
        for c in reversed(named):
            ss, se = ctx.sentence_span(c)
            money = ctx.amounts[bisect.bisect_left(starts, c.end): bisect.bisect_left(starts, min(se, list_start))]
            if len(money) == 1 and ctx.role(money[0]) == "scope":
                ctx.lists.append((money[0], parts, "分项"))  # (the metric linker skips a list's items)
                _judge_sum(ctx, money[0], parts, amount_iv, _fmt_amt, False, "amount")
                break


# the words of money taken off or back, which a report states once in total and then by part
_BREAKDOWN_CUES = frozenset(("审减", "核减", "压减", "调减", "削减", "扣减", "收回", "节约", "審減", "核減", "壓減", "調減"))
_BREAKDOWN = re.compile(r"[ \t\u3000]*(?:分|按|从)[\u4e00-\u9fff]{1,6}?(?:来看|看|划分|统计)[，,：:]")


def _breakdowns(ctx: Ctx) -> None:
    """A sentence that breaks a cut down (分领域看，农业农村领域5个项目核减1,240万元，城乡建设
    领域4个项目核减1,860万元，…): one amount a clause, each under the same word of money taken
    off or back (核减, 收回 …), against the last figure under that word before it, in its
    paragraph or the one before (核减4,600万元). Not when it names the main parts only (主要)."""
    text = ctx.text
    starts = ctx.amount_starts
    for ss, se in ctx.layout.sentences:
        m = _BREAKDOWN.match(text, ss, se)
        if not m or text.find("主要", ss, se) >= 0:
            continue
        i, j = bisect.bisect_left(starts, m.end()), bisect.bisect_left(starts, se)
        parts = ctx.amounts[i:j]
        if len(parts) < 2 or len({ctx.layout.clause(p.start) for p in parts}) != len(parts):
            continue
        cues = {ctx.window(p, 6)[-2:] for p in parts}
        if len(cues) != 1:
            continue
        cue = cues.pop()
        if cue not in _BREAKDOWN_CUES:
            continue  # (资金, 支出 name too many figures to tell which one the parts make up)
        para = text.rfind("\n", 0, ss) + 1
        if not text[para:ss].strip():  # the breakdown opens its paragraph: the total may close the one before
            para = text.rfind("\n", 0, max(0, para - 1)) + 1
        T = None
        for a in reversed(ctx.amounts[:i]):
            if a.start < para:
                break
            if ctx.window(a, 6).endswith(cue):
                T = a
                break
        if T is not None:
            ctx.lists.append((T, parts, "分项"))
            _judge_sum(ctx, T, parts, amount_iv, _fmt_amt, False, "amount")


_ACTION = r"收回|回收|调减|调剂|压减|核减|审减|盘活|削减"
_KINDS_BACK = re.compile(rf"(?:上述|以上|前述)((?:{_ACTION})(?:[、和及与](?:{_ACTION}))+)")
_KIND_SPLIT = re.compile(r"[、和及与]")
_TOTAL_WORD = re.compile(r"总计|合计|共计|共")


def _named_kinds(ctx: Ctx) -> None:
    """`上述收回、调减和调剂事项共涉及…资金总计4,380.54万元`: the money of kinds named back, each
    stated on its own in the sentences before (收回预算资金1,236.50万元 … 按实调减预算2,418.74万元
    … 调剂金额645.30万元), adds up to the total. Each kind's figure is its last one in the eight
    sentences before."""
    text = ctx.text
    starts = ctx.amount_starts
    for m in _KINDS_BACK.finditer(text):
        words = _KIND_SPLIT.split(m.group(1))
        if len(set(words)) != len(words):
            continue
        si = ctx.layout.sentence(m.start())
        ss, se = ctx.layout.sentences[si]
        T = next((a for a in ctx.amounts[bisect.bisect_left(starts, m.end()): bisect.bisect_left(starts, se)]
                  if _TOTAL_WORD.search(ctx.window(a, 8)) and not a.qualifier), None)
        if T is None:
            continue
        lo = ctx.layout.sentences[max(0, si - 8)][0]
        before = ctx.amounts[bisect.bisect_left(starts, lo): bisect.bisect_left(starts, ss)]
        parts = []
        for w in words:
            a = next((a for a in reversed(before) if w in ctx.window(a, 12) and not a.qualifier), None)
            if a is None or a in parts:
                break
            parts.append(a)
        if len(parts) == len(words):
            _judge_sum(ctx, T, parts, amount_iv, _fmt_amt, False, "amount")


def _interleaved(ctx: Ctx, parts: list) -> bool:
    """Whether the parts are figures of two or more kinds taken in turn (预算A，支出B；预算C，
    支出D): the word right before each repeats, and not just one word throughout."""
    labels = [ctx.window(p, 6)[-2:] for p in parts]
    return len(set(labels)) > 1 and all(labels.count(x) > 1 for x in labels)


def _itemised(ctx: Ctx, facts: list, iv, fmt, kind: str) -> None:
    if facts is ctx.counts:
        by_sent = ctx.counts_by_sentence  # the same grouping, made once (read only here)
    else:
        by_sent = {}
        for f in facts:
            by_sent.setdefault(ctx.sentence_of(f), []).append(f)
    text = ctx.text
    for sent, fs in by_sent.items():
        ss, se = ctx.layout.sentences[sent]
        for i, T in enumerate(fs):
            # the gap after T read in place (pos/endpos), not sliced out for every fact
            g0 = T.end
            # (_AFTER_DELTA opens with a comma: the character after T decides most facts without it)
            g1 = (fs[i + 1].start if i + 1 < len(fs) else se) if not (text[g0:g0 + 1] in "，," and _AFTER_DELTA.match(text, g0)) else se
            m = _LIST_AFTER.search(text, g0, g1)
            if not m or text.find("；", g0, m.start()) >= 0:
                continue
            if m.start() - g0 > 4 and not _AFTER_DELTA.match(text, g0, m.end()):
                continue
            m_end = m.end() - g0  # the cue's end within the gap
            cat = _head(T) if kind == "count" else None
            # a 其中 in brackets lists only what the brackets hold: 申报资金5.84亿元（其中项目4.96亿元），
            # 评估后建议安排5.12亿元 — the figures after the closing bracket are no parts
            opened = max(text.rfind("（", g0, m.start()), text.rfind("(", g0, m.start()))
            close = min((x for x in (text.find("）", m.end()), text.find(")", m.end())) if x >= 0), default=-1) if opened >= 0 else -1
            parts = []
            for f in fs[i + 1:]:
                if close >= 0 and f.start > close:
                    break
                if f.start < T.end + m_end:  # the parts follow the cue (not a 较上年增加… figure)
                    continue
                between = ctx.text[(parts[-1].end if parts else T.end): f.start]
                if "；" in between and parts:
                    break
                if kind == "count" and (f.classifier != T.classifier or _head(f) not in (cat, None) and _head(f) in _KINDS):
                    continue
                if kind == "count" and parts and cat and _head(parts[0]) == cat and _head(f) != cat:
                    break  # 问题48个，其中…问题17个、…问题12个，截至…已整改41个: the list of 问题 has ended
                if parts and _DELTA_BEFORE.search(ctx.window(f, 10)):
                    break  # 其中中央…、省级…、县级…，较年初预算增加1,640万元: a change, not a part
                parts.append(f)
            if len(parts) < 2:
                continue
            partial = m.group(0) == "其中"
            # `主要包括A 3,250万元、B 1,680万元等`: the main items only, not all of them
            some = _SOME_ITEMS.search(text, g0, m.end()) is not None or _ETC_AFTER.match(text, parts[-1].end) is not None
            if kind == "amount":
                ctx.lists.append((T, parts, "其中" if some else m.group(0)))
            _judge_sum(ctx, T, parts, iv, fmt, partial or some, kind)
        # a sentence that opens with 其中: the parts of a total closing the previous sentence
        if sent > 0 and len(fs) >= 2 and _OPENS_QIZHONG.match(text, ss, se):
            prev = [f for f in by_sent.get(sent - 1, ()) if ctx.layout.line(f.start) == ctx.layout.line(ss)]
            parts = fs
            if kind == "count":
                prev = [f for f in prev if f.classifier == parts[0].classifier]
                parts = [f for f in parts if f.classifier == parts[0].classifier]
                if len({ctx.count_category(p) for p in parts} - {None}) > 1:
                    parts = []  # 其中，5个项目…，2个部门整体…: two kinds of things, not the parts of one count
            if prev and len(parts) >= 2:
                if kind == "amount":
                    total = sum((p.value_yuan for p in parts), Decimal(0))
                    match = [f for f in prev if amount_iv(f).meets(Iv(total, total))]
                    if match:
                        ctx.touch(match[-1], *parts)
                    elif len(prev) == 1 and not _interleaved(ctx, parts):
                        # (其中：基本支出预算A，支出B；项目支出预算C，支出D: figures of two kinds
                        # interleave, and which of them sum to the total is not for us to guess)
                        _judge_sum(ctx, prev[0], parts, iv, fmt, True, kind)
                elif kind != "score" or (_SCORE_TOTAL.search(ctx.window(prev[-1], 12))
                                         and not _SCORE_NOT_TOTAL.search(ctx.window(prev[-1], 12))
                                         and "分别" not in ctx.window(prev[-1], 16)):
                    # (a score is a total only when it says so: 最低分74.3分 is not the sum of what follows)
                    _judge_sum(ctx, prev[-1], parts, iv, fmt, True, kind)
        # parts first, then the total: `A 10万元、B 20万元，合计30万元`
        for i in range(2, len(fs)):
            T = fs[i]
            last_end = fs[i - 1].end  # the words between the last part and T, read in place; the length test first
            if T.start - last_end > 12 or not _TOTAL_AFTER.search(text, last_end, T.start):
                continue
            # `收回资金4,236万元，调整…资金1,580万元，合计5,716万元`: clauses that each state one part,
            # closed by 合计 right after a comma, list the parts too
            clauses = kind == "amount" and _COMMA_TOTAL.fullmatch(text, last_end, T.start) is not None
            parts = []
            for f in reversed(fs[:i]):
                between = ctx.text[f.end: (parts[0].start if parts else fs[i - 1].end)]
                if parts and (("，" in between and not clauses) or "；" in between or len(between) > 40):
                    break
                parts.insert(0, f)
            if kind == "count":
                if not (T.classifier in _PEOPLE and all(p.classifier in _PEOPLE for p in parts)):
                    # (people are people whatever they are called: 5名专家、3名…，共计11人)
                    cat = ctx.count_category(T)
                    parts = [p for p in parts if p.classifier == T.classifier and ctx.count_category(p) == cat]
            if parts and ctx.text.find("累计", last_end, T.start) >= 0 \
                    and ctx.text.find("新增", ctx.sentence_span(parts[0])[0], parts[0].start) >= 0:
                continue  # 新增…46条、…318条，指标库累计收录2,614条: this year's additions, the stock since
            if len(parts) >= 2 and all("、" in ctx.text[a.end: b.start] or (b is parts[-1] and _LAST_JOIN.search(ctx.text, a.end, b.start))
                                       or (clauses and ctx.text.count("，", a.end, b.start) == 1)
                                       for a, b in zip(parts, parts[1:])):
                _judge_sum(ctx, T, parts, iv, fmt, False, kind)


_KINDS = ("部门", "项目", "文件", "资金", "目标", "人")
_PEOPLE = frozenset("人名位")
_LAST_JOIN = re.compile(r"和|及|与|與|以及")
_DELTA_BEFORE = re.compile(r"(?:较|比|同比)[^，,、；;]{0,8}(?:增加|减少|增长|下降|提高|降低)")
_COMMA_TOTAL = re.compile(r"[，,][ \t\u3000]*(?:合计|共计|总计|合計|共計|總計)")  # `A、B和C`: the last two parts
_UNSET = object()


def _head(c: Count) -> Optional[str]:
    """The head noun's kind of a count's subject (its last item only: extractors may give
    `A的31个、B的`): a category named at the end, else the last two characters."""
    return _head_of(c.subject)


@lru_cache(maxsize=4096)  # a pure function of the subject, asked for every pair in a sentence
def _head_of(subject: Optional[str]) -> Optional[str]:
    subj = (_SUBJ_TAIL.split(subject)[-1] if subject else "").rstrip("的 ")
    if not subj:
        return None
    for name, pat in _CATEGORY:
        m = None
        for m in pat.finditer(subj):
            pass
        if m and m.end() == len(subj):
            return name
    return subj[-2:]


def _unnamed(c: Count) -> bool:
    """A count whose subject names no kind of thing (`执行进度滞后的31个`): it counts the
    total's things."""
    subj = _SUBJ_TAIL.split(c.subject)[-1] if c.subject else ""
    return not any(p.search(subj) for _, p in _CATEGORY)


def _judge_sum(ctx: Ctx, T, parts, iv, fmt, partial: bool, kind: str, strong: bool = True) -> None:
    if kind == "score" and getattr(T, "kind", None) == "average":
        if not partial:  # (平均得分83.9分，其中…最高，为92分…最低，为71.5分: some of them, not all)
            _judge_mean(ctx, T, parts)  # 平均得分85.6分，得分分别为91.2分、90.4分…: a mean, not a sum
        return
    ctx.touch(T, *parts)
    s = Iv.total((op(p) if kind == "amount" else Iv(p.value, p.value) if kind == "score" else iv(p)) for p in parts)
    t = iv(T)
    if s.meets(t):
        return
    # 其中 may list only some of the parts: exceeding the total is an error; falling short is
    # said (as a warning) only when the parts are the sides of a split that leaves nothing out
    # (新增项目182个、延续项目846个 of 项目1,046个; 基本支出…、项目支出… of the spending):
    # 问题48个，其中资金管理类问题17个、绩效目标设置类问题12个 and 固定资产…，其中通用设备…、
    # 专用设备… name some kinds of the whole, not all
    short = partial and s.hi < t.lo
    if short and kind in ("count", "amount") and not _complementary(ctx, T, parts, kind):
        return
    exact = sum((p.value_yuan if kind == "amount" else Decimal(p.value) for p in parts), Decimal(0))
    tv = T.value_yuan if kind == "amount" else Decimal(T.value)
    exp = fmt(exact, T, parts)
    ctx.add("arithmetic.sum", "error" if strong and not short and not approx(T, *parts) else "warning",
            f"分项{'、'.join(p.text for p in parts)}合计为{exp}，而文中总数为{T.text}，"
            f"相差{fmt(abs(exact - tv), T, parts) if kind == 'score' else _fmt_diff(abs(exact - tv), T, parts, kind)}，请核实。",
            parts + [T], expected=exp, actual=T.text)


# The sides of splits that leave nothing out: each part of a complete 其中 list names one side
# and no two parts the same one. Funding levels are such a split (其中中央…、省级…、县级配套…).
_SPLITS = tuple(tuple(re.compile(x) for x in sides) for sides in (
    (r"新增|新设|新建|新开工|新上|新出台", r"延续|续建|存量|跨年|以前年度"),
    (r"基本支出", r"项目支出|項目支出"),
    (r"当年|本年", r"上年结转|结转"),
    (r"已(?!经)", r"未|尚未|仍在"),
    (r"财政拨款(?!以外)", r"非财政|其他资金|自筹"),
    (r"本级", r"下级|转移支付|补助"),
    (r"项目(?!支出)|項目(?!支出)", r"部门整体|部門整體"),
    (r"结余|結餘", r"沉淀|沉澱"),
    (r"中央", r"省级|省級|省财政|省補助|省补助", r"市级|市級|州级|州級|市财政|市配套",
     r"县级|縣級|区级|區級|县财政|縣財政|本级|本級|县配套|縣配套", r"自筹|自籌|社会资本|社會資本|其他资金"),
))


_REST_ITEM = re.compile(r"其他|其它|其余|其餘|剩余|剩餘")
_ITEM_TAIL = re.compile(r"[^。；;，,、\n]*")  # the words after a list item, up to the next item


def _complementary(ctx: Ctx, T, parts: list, kind: str) -> bool:
    """Whether a 其中 list leaves nothing out: the parts' words name the sides of one split in
    _SPLITS (each part one side, no side twice), or as many parts as the things counted right
    before the total (3个项目…评价金额5,620万元，其中A 2,380万元，B 1,960万元，C 1,280万元)."""
    words = [((p.subject or "") + ctx.window(p, 8) + _ITEM_TAIL.match(ctx.text, p.end, p.end + 10).group())
             if kind == "count" else ctx.window(p, 12) for p in parts]  # (5个项目为续建项目: the side after the count)
    for sides in _SPLITS:
        named = []
        for w in words:
            hit = [k for k, side in enumerate(sides) if side.search(w)]
            if len(hit) != 1 or hit[0] in named:
                break
            named.append(hit[0])
        else:
            return True
    if _REST_ITEM.search(words[-1]) and len(parts) >= 2:
        return True  # …、其他类5个: the last part takes the rest, so the list is the whole
    if len(parts) >= 3 and all("类" in w or "類" in w for w in words):
        # 问题47个，其中资金管理类18个、项目管理类16个、绩效目标类9个: three classes or more that
        # cover most of the whole (here 43 of 47) are its classification, one figure wrong; two
        # classes covering 29 of 48 (资金管理类17个、绩效目标设置类12个) name some of them
        value = (lambda f: f.value_yuan) if kind == "amount" else (lambda f: Decimal(f.value))
        if sum(value(p) for p in parts) >= Decimal("0.8") * value(T):
            return True
    if kind == "amount":
        sent = ctx.sentence_of(T)
        before = [c for c in ctx.counts_by_sentence.get(sent, ()) if c.end <= T.start]
        if before and before[-1].value == len(parts) and ctx.count_category(before[-1]) in ("项目", "部门"):
            return True
    return False


def _judge_mean(ctx: Ctx, T, parts) -> None:
    """An average score against the scores it averages, at the average's written precision."""
    ctx.touch(T, *parts)
    mean = sum((p.value for p in parts), Decimal(0)) / len(parts)
    if _score_iv(T).lo <= mean <= _score_iv(T).hi:
        return
    exp = _fmt_score(mean.quantize(Decimal(1).scaleb(T.value.as_tuple().exponent if T.value.as_tuple().exponent < 0 else 0)), T, [])
    ctx.add("arithmetic.sum", "warning",
            f"分项{'、'.join(p.text for p in parts)}的平均值为{exp}，而文中平均得分为{T.text}，请核实。",
            parts + [T], expected=exp, actual=T.text)


def _fmt_amt(v: Decimal, T: Amount, parts) -> str:
    return fmt_amount(v, T, T.decimals)


def _fmt_diff(v: Decimal, T, parts, kind: str) -> str:
    if kind != "amount":
        return f"{int(v)}{T.classifier}"
    return fmt_amount(v, T, max([T.decimals] + [p.decimals for p in parts]))


def _score_iv(sc) -> Iv:
    """A stated score stands for what rounds to it; `op` below treats parts as exact."""
    d = -sc.value.as_tuple().exponent if sc.value.as_tuple().exponent < 0 else 0
    h = Decimal(1).scaleb(-d) / 2
    return Iv(sc.value - h, sc.value + h)


def _fmt_score(v: Decimal, T, parts) -> str:
    d = max([-x.value.as_tuple().exponent for x in [T, *parts] if x.value.as_tuple().exponent < 0] or [0])
    return f"{v:.{d}f}分"


def _fmt_cnt(v: Decimal, T: Count, parts) -> str:
    return f"{int(v)}{T.classifier}"


# --------------------------------------------------------------------------- count partitions

_BAND = re.compile(
    r"(?P<a>\d+(?:\.\d+)?)分?(?:（含\d+分?）|\(含\d+分?\))?\s*(?:"
    r"(?P<up>及?以上)|(?P<down>以下)|[-—–~～至到](?P<b>\d+(?:\.\d+)?)分)"
    r"|(?:不足|低于|不到|未达到?)(?P<lt>\d+(?:\.\d+)?)分"
)


_CN_SCORE = re.compile(r"[零〇一二两三四五六七八九十百]+(?=分)")


@lru_cache(maxsize=4096)  # pure; the same count's window is asked by three rules
def _band(w: str) -> Optional[tuple[Decimal, Decimal]]:
    if "分" not in w:
        return None
    if _CN_SCORE.search(w):  # 九十分以上 → 90分以上
        w = _CN_SCORE.sub(lambda m: str(cn_int(m.group(0))), w)
    m = None
    for m in _BAND.finditer(w):
        pass
    if not m:
        return None
    if m.group("lt"):
        return (-INF, Decimal(m.group("lt")))
    a = Decimal(m.group("a"))
    if m.group("up"):
        return (a, INF)
    if m.group("down"):
        return (-INF, a)
    b = Decimal(m.group("b"))
    if b % 10 == 9:  # 80-89分 means [80, 90)
        b += 1
    return (a, b)


def _complete(bands: list[tuple[Decimal, Decimal]]) -> bool:
    bs = sorted(bands)
    if bs[0][0] != -INF or bs[-1][1] != INF:
        return False
    return all(x[1] == y[0] for x, y in zip(bs, bs[1:]))


def _band_counts(ctx: Ctx) -> None:
    """Counts per score band add up to the count they divide: the count before them in the
    sentence, or else the nearest count of the same kind in the two sentences before."""
    by_sent = ctx.counts_by_sentence  # read only
    partitions: list[tuple[Optional[Count], list[tuple[Count, tuple]]]] = []
    for fs in by_sent.values():
        total = None
        part: list[tuple[Count, tuple]] = []
        for c in fs:
            b = _band(ctx.window(c, 30))
            if b is None:
                if part:
                    partitions.append((total, part))
                total, part = c, []
                continue
            if any(b[0] < o[1] and o[0] < b[1] for _, o in part):  # overlaps: a new partition
                partitions.append((total, part))
                part = []
            part.append((c, b))
        if part:
            partitions.append((total, part))
    for total, part in partitions:
        cs = [c for c, _ in part]
        complete = len(part) >= 2 and _complete([b for _, b in part])
        if total is None and complete:
            total = _total_before(ctx, cs[0], ctx.count_category(cs[0]), 2)
        if total is None:
            continue
        s = sum(c.value for c in cs)
        if (complete and s != total.value) or s > total.value:
            ctx.add("arithmetic.sum", "warning" if approx(total, *cs) else "error",
                    f"各分数段数量{'+'.join(c.text for c in cs)}={s}{total.classifier}，"
                    f"而文中总数为{total.text}，请核实。",
                    cs + [total], expected=f"{total.value}{total.classifier}", actual=f"{s}{total.classifier}")


def _total_before(ctx: Ctx, first, cat: Optional[str], max_sentences: int) -> Optional[Count]:
    """The nearest count of the kind `cat` before `first`, in its section and at most
    `max_sentences` sentences back, that is neither a band nor inside a graded count."""
    sec = ctx.layout.section_index(first.start)
    for c in reversed(ctx.counts[:bisect.bisect_right(ctx.count_starts, first.start)]):  # (see _grade_counts)
        if c.end > first.start or ctx.in_grade(c):
            continue
        if ctx.sentence_of(first) - ctx.sentence_of(c) > max_sentences or ctx.layout.section_index(c.start) != sec:
            return None
        if _band(ctx.window(c, 30)) or c.qualifier:
            continue
        if ctx.count_category(c) == cat:
            return c
    return None


@dataclass
class _Graded:
    """A count tagged with a grade by its words (`“优”41个`) that no grade fact covers."""

    text: str
    start: int
    end: int
    level: str
    count: int
    subject: Optional[str] = None
    qualifier: Optional[str] = None


_LEVEL_BEFORE = re.compile(r"(?:[“\"「『](优秀|良好|中等|较差|优|良|中|差)[”\"」』]|(优秀|良好|中等|较差))"
                           r"(?:的|为)?(?:项目|部门|单位)?\s*$")
# the characters a _LEVEL_BEFORE match can end with (before trailing spaces): a closing quote,
# the end of 优秀/良好/中等/较差, of 的/为, or of 项目/部门/单位
_LEVEL_LAST = "”\"」』秀好等差的为目门位"
_LEVEL_NORM = {"优秀": "优", "良好": "良", "中等": "中", "较差": "差"}
_GRADE_CONTEXT = re.compile(r"评价|评级|等级|结果|复核")


def _graded(ctx: Ctx) -> list:
    if "graded" in ctx._memo:
        return ctx._memo["graded"]
    out = ctx._memo["graded"] = _graded_uncached(ctx)
    return out


def _graded_uncached(ctx: Ctx) -> list:
    out = [g for g in ctx.grades if g.count is not None]
    text = ctx.text
    for c in ctx.counts:
        if c.qualifier or ctx.in_grade(c):
            continue
        p = text[c.start - 1] if c.start else ""  # the window ends at c.start: its last character
        if p not in _LEVEL_LAST and not p.isspace():  # decides most counts without the window
            continue
        m = _LEVEL_BEFORE.search(ctx.window(c, 10))
        if not m:
            continue
        ss, se = ctx.sentence_span(c)
        if not _GRADE_CONTEXT.search(ctx.text, ss, c.start):
            continue
        word = m.group(1) or m.group(2)
        out.append(_Graded(text=c.text, start=c.start, end=c.end, level=_LEVEL_NORM.get(word, word), count=c.value))
    return sorted(out, key=lambda g: g.start)


def _aside(text: str, pos: int) -> bool:
    """Whether `pos` stands inside an unclosed bracket opened at most 30 characters before,
    or right after a comparison with another year (上年为, 2022年为)."""
    lo = max(0, pos - 30)
    o = max(text.rfind("（", lo, pos), text.rfind("(", lo, pos))
    if o >= 0 and max(text.rfind("）", o, pos), text.rfind(")", o, pos)) < 0:
        return True
    return bool(_OTHER_YEAR.search(text, max(0, pos - 8), pos))


_OTHER_YEAR = re.compile(r"(?:上年|去年|上一年|同期|\d{4}年)(?:为|是|有)?$")
_CLAUSE_HEAD = re.compile(r"[^。；;，,\n]*")  # the words after a graded item, up to its clause's end
_LIST_GAP = re.compile(r"\s*[、，,；;]\s*")  # the next item of the same list: it grades the same things
_TOTAL_AFTER_GRADES = re.compile(r"[，,]?\s*(?:合计|合計|共计|共計|总计|總計|共)\s*")


# a sentence that sets the grading rule (90分（含）以上为“优”，80分…为“良”…), not a result
_GRADING_RULE = re.compile(r"(?:以上|以下|（含）|\(含\)|至\d+分?|分)[^。；;]{0,6}?为[“\"「]?(?:优|良|中|差|合格|不合格|[ABCD]级?)")


def _sentences_between(ctx: Ctx, c, first_sent: int) -> int:
    """How many sentences after c's lead to `first_sent`, grading rules not counted:
    `对12个项目开展重点评价。评价得分90分（含）以上为“优”…。评价结果为“优”的3个…`."""
    n = 0
    for k in range(ctx.sentence_of(c) + 1, first_sent + 1):
        if k < first_sent:
            ss, se = ctx.layout.sentences[k]
            if _GRADING_RULE.search(ctx.text, ss, se):
                continue
        n += 1
    return n


def _grade_counts(ctx: Ctx) -> None:
    graded = _graded(ctx)
    if not graded:
        return
    grade_spans = [(g.start, g.end) for g in graded]

    def inside_grade(c: Count) -> bool:
        return any(s <= c.start and c.end <= e for s, e in grade_spans)

    def known(x):
        c = category(x)
        return c if c in ("项目", "部门") else None

    cats: dict[int, Optional[str]] = {}  # by id: each graded item is asked up to three times

    def gcat(g) -> Optional[str]:
        v = cats.get(id(g), _UNSET)
        if v is _UNSET:
            v = cats[id(g)] = (category(g.subject) if g.subject else None) or known(_CLAUSE_HEAD.match(ctx.text, g.end, g.end + 6).group()) \
                or known(ctx.text[max(0, g.start - 12): g.start])
        return v

    runs: list[list] = []
    for g in graded:
        if runs:
            last = runs[-1][-1]
            same = gcat(last) == gcat(g) or (gcat(g) is None and _LIST_GAP.fullmatch(ctx.text, last.end, g.start))
            if same and ctx.sentence_of(g) - ctx.sentence_of(last) <= 1 and g.level not in {x.level for x in runs[-1]}:
                runs[-1].append(g)
                continue
        runs.append([g])
    for run in runs:
        cat = gcat(run[0])
        first = run[0]
        sec = ctx.layout.section_index(first.start)
        total = None
        first_sent = ctx.sentence_of(first)
        # counts starting after `first` all end after it: start the walk back at the last one that does not
        for c in reversed(ctx.counts[:bisect.bisect_right(ctx.count_starts, first.start)]):
            if c.end > first.start or inside_grade(c):
                continue
            if first_sent - ctx.sentence_of(c) > 3 or ctx.layout.section_index(c.start) != sec:
                break
            if _band(ctx.window(c, 30)):
                continue
            if _aside(ctx.text, c.start):
                continue  # 选取9个项目（2022年为6个）: last year's figure, in brackets
            if ctx.count_category(c) == cat or (cat is None and _sentences_between(ctx, c, first_sent) <= 1
                                                and ctx.count_category(c) == "项目"):
                # (a run that names no kind grades the projects counted just before it:
                # 对620个项目开展自评…。自评结果为“优”的538个…)
                total = c
                break
        if total is None and cat is None:  # unknown kind: the count the sentence evaluates
            before = [c for c in ctx.counts_by_sentence.get(ctx.sentence_of(first), ())
                      if c.end <= first.start and not inside_grade(c) and not _band(ctx.window(c, 30))]
            total = before[-1] if before else None
        if total is None:  # the total after the list: 优的12个、良的6个、中的2个，合计21个项目
            last = run[-1]
            after = [c for c in ctx.counts_by_sentence.get(ctx.sentence_of(last), ())
                     if c.start >= last.end and not inside_grade(c)]
            if after and _TOTAL_AFTER_GRADES.fullmatch(ctx.text, last.end, after[0].start) \
                    and (cat is None or ctx.count_category(after[0]) in (cat, None)):
                total = after[0]
        if total is None:
            continue
        s = sum(g.count for g in run)
        levels = {g.level for g in run}
        every_level = {"优", "良", "中", "差"} <= levels
        partial = (bool(re.search(r"其中|部分", ctx.text[total.end: first.start])) or len(run) < 2) and not every_level
        if s == total.value or (partial and s < total.value):
            continue
        # more graded than evaluated cannot be right; fewer may be a level left unmentioned,
        # unless all four levels are given
        sev = "error" if (s > total.value or every_level) and not approx(total) else "warning"
        ctx.add("arithmetic.sum", sev,
                f"各评价等级数量（{'、'.join(f'{g.level}{g.count}' for g in run)}）合计{s}{total.classifier}，"
                f"而文中评价对象为{total.text}，请核实。",
                list(run) + [total], expected=f"{total.value}{total.classifier}", actual=f"{s}{total.classifier}")


_PASSED = re.compile(r"通过|合格|细化量化|予以|保留|符合|同意")
_REJECTED = re.compile(r"取消|退回|不予|未通过|剔除|驳回|否决|撤销")


_LIST_ITEM_GAP = re.compile(r"[、，,；;][^、，,；;。\d]{0,20}")  # the words between two items of one list
_TOTAL_CUE = re.compile(r"共|合计|总计|累计|全部")  # a count that states what was reviewed in all


def _label(w: str) -> str:
    """The words before an item, for a message: cut at the front with … when the window was."""
    w = w.lstrip("，,、；; ")
    return "…" + w[-10:] if len(w) >= 14 else w


_REVIEWED_AFTER = re.compile(r"(?:项目|政策|部门|单位)?(?:(?:开展|进行|实施)(?:了)?|逐一|逐项)(?:事前)?(?:绩效)?(?:评估|评审|审核|评价)")


def _pass_reject(ctx: Ctx) -> None:
    """The outcomes of a review add up to what was reviewed: `共评估项目23个。经评估，建议予以
    支持的17个，调整后支持的4个，不予支持的2个` (17 + 4 + 2 = 23), `申报项目1,046个…。项目绩效
    目标一次审核通过的918个，退回修改的128个`. From a passed count to a rejected one in the
    same sentence, with every `…的N个` between them, against the count of the same kind in
    the two sentences before."""
    cs = ctx.counts
    for i, P in enumerate(cs):
        if not _PASSED.search(ctx.window(P, 40)):
            continue
        cat = ctx.count_category(P)
        known = cat in _KINDS

        def kin(c: Count) -> bool:  # of P's kind, or of no kind that says otherwise
            k = ctx.count_category(c)
            return k == cat or not known or k not in _KINDS

        same = ctx.counts_by_sentence[ctx.sentence_of(P)]  # the later counts of P's sentence, not all later counts
        k = next(j for j, q in enumerate(same) if q is P)
        q_at = next((j for j, q in enumerate(same[k + 1:], k + 1)
                     if _REJECTED.search(ctx.window(q, 20)) and q.classifier == P.classifier and kin(q)), None)
        if q_at is None:
            continue
        Q = same[q_at]
        if k > 0 and same[k - 1].classifier == P.classifier and _LIST_ITEM_GAP.fullmatch(ctx.text, same[k - 1].end, P.start):
            continue  # P is not the list's first outcome (通过571个、修改后通过58个…): the first one reads it
        # the outcomes between them (调整后支持的4个) count the same things
        middle = same[k + 1:q_at]
        if any(c.classifier != P.classifier for c in middle):
            continue  # something else is counted between them: not one list of outcomes
        parts = [P, *middle, Q]
        if any(c.qualifier for c in parts):
            continue
        sec = ctx.layout.section_index(P.start)
        found = []  # the counts of P's kind before it, nearest first
        for c in reversed(cs[:i]):
            if ctx.sentence_of(P) - ctx.sentence_of(c) > 2 or ctx.layout.section_index(c.start) != sec:
                break
            if (ctx.sentence_of(c) != ctx.sentence_of(P) and c.classifier == P.classifier and not c.qualifier
                    and not _aside(ctx.text, c.start) and ctx.text.find("其中", ctx.sentence_span(c)[0], c.start) < 0
                    and (ctx.count_category(c) == cat or (not known and ctx.count_category(c) == "项目"))):
                found.append(c)  # (其中重点项目绩效目标126个: a part of the set reviewed, not the set)
        # the set the review was carried out on (对其余16个项目开展评估, after 3 of 19 declared were
        # sent back), else the one that says it is the whole (共评估项目12个) over a nearer part
        # (5个为续建项目)
        N = next((c for c in found if _REVIEWED_AFTER.match(ctx.text, c.end, c.end + 14)), None) \
            or next((c for c in found if _TOTAL_CUE.search(ctx.window(c, 16))), found[0] if found else None)
        if N is None:
            continue
        total = sum(c.value for c in parts)
        ctx.touch(N, *parts)
        # the set reviewed may be two kinds (共评估项目21个、政策4项: outcomes 13 + 8 + 4 = 25)
        others = [c for c in ctx.counts_by_sentence.get(ctx.sentence_of(N), ()) if c is not N and not c.qualifier]
        if total != N.value and not any(N.value + o.value == total for o in others):
            shown = "、".join(_label(ctx.window(c, 14)) + c.text for c in parts)
            ctx.add("arithmetic.sum", "warning",
                    f"各项结果（{shown}）合计{total}{P.classifier}，而此前总数为{N.text}，请核实。",
                    [*parts, N], expected=f"{N.value}{N.classifier}", actual=f"{total}{P.classifier}")


_AS_FOLLOWS = re.compile(r"如下[：:]?\s*$")


def _lines_as_follows(ctx: Ctx) -> None:
    """`共组织对935个项目…，覆盖资金合计170,379.90万元。分旗县市情况如下：` then one line per
    item, each stating one figure of each kind: the lines' figures add up to the totals."""
    text = ctx.text
    if "如下" not in text:
        return
    for m in re.finditer(r"如下[：:]?[ \t]*\n", text):
        ls, _ = ctx.layout.line(m.start())
        head = (ls, m.start())
        lines, pos = [], m.end()
        while pos < len(text):
            s, e = ctx.layout.line(pos)
            body = text[s:e].strip()
            if not body:
                if lines:
                    break
                pos = e + 1
                continue
            if not re.match(r"^\s*(?:\d{1,2}[.、．]|[（(]\d{1,2}[）)]|[①-⑳])", text[s:e]):
                break
            lines.append((s, e))
            pos = e + 1
        if len(lines) < 2:
            continue
        for kind, facts, iv, fmt in (("amount", ctx.amounts, op, _fmt_amt), ("count", ctx.counts, count_iv, _fmt_cnt)):
            totals = [f for f in facts if head[0] <= f.start < head[1]]
            per_line = [[f for f in facts if s <= f.start < e] for s, e in lines]
            if not totals or any(len(x) != 1 for x in per_line):
                continue
            parts = [x[0] for x in per_line]
            if kind == "count":
                totals = [t for t in totals if t.classifier == parts[0].classifier
                          and all(p.classifier == t.classifier for p in parts)]
            if len(totals) != 1:
                continue
            T = totals[0]
            _judge_sum(ctx, T, parts, amount_iv if kind == "amount" else count_iv, fmt, False, kind)


_PLAN = re.compile(r"目标|计划|任务|要求")
_NOT_CJK = r"[^\u4e00-\u9fff]"  # compiled on first use (rare branch; a CJK-range class costs ~2 ms to compile)
_RATE_WORD = re.compile(r"([\u4e00-\u9fff]{1,5})(?:率|比例)(?:为|达到|达|是)?\s*$")  # (抽查比例 as 抽查率)
_NEGATED = re.compile(r"未|没有|不能|无法|不到位|不合格|不达标")
_GROW = re.compile(r"(增长|增加|提高|上升|下降|减少|降低)(?:了)?\s*$")
_COMPARE = re.compile(r"比|较|同比")
_DELTA_WORD = re.compile(r"增加|减少|增长|下降|多|少|节约|节省|提高|降低|超|新增")
_UP_WORD = re.compile(r"增加|增长|多|提高|新增")


def _rate_finding(ctx: Ctx, R: Rate, what: str, frac: Decimal, facts: list, severity: str = "error") -> None:
    exp = fmt_pct(frac, _pct_decimals(R))
    ctx.add("arithmetic.rate", "warning" if approx(R, *facts) else severity,
            f"{what}应为{exp}，而文中为{R.text}，请核实。", [*facts, R], expected=exp, actual=R.text)


_WHOLE_CUE = re.compile(r"共|发现|發現|合计|总计|累计|查找|梳理")
_REST = re.compile(r"(?:其余|其餘|剩余|剩餘|余下|餘下|尚有|另有)$")


def _count_rates(ctx: Ctx) -> None:
    """`共发现问题27个…已整改的问题23个，整改完成率85.19%`, `发放问卷600份，回收572份，回收率
    95.33%`, `优良率` over graded counts: part ÷ whole of two counts the rate's own word ties."""
    graded = None
    for R in ctx.rates:
        if R.qualifier:
            continue
        m = _RATE_WORD.search(ctx.window(R, 14))
        if not m or _CUT_RATE.search(m.group(0)) or _EXEC_RATE.search(m.group(0)) or _GROW.search(m.group(1)):
            continue
        stem = m.group(1)
        sent = ctx.sentence_of(R)
        before = [c for c in ctx.counts if c.end <= R.start and sent - ctx.sentence_of(c) <= 1 and not c.qualifier]
        if "优良" in stem:
            graded = graded if graded is not None else _graded(ctx)
            run = [g for g in graded if g.end <= R.start and sent - ctx.sentence_of(g) <= 1]
            good = [g for g in run if g.level in ("优", "良")]
            if len(good) >= 1 and len({g.level for g in run}) >= 2:
                total_c = _total_before(ctx, run[0], None, 1) if False else None
                cands = [c for c in ctx.counts_by_sentence.get(ctx.sentence_of(run[0]), ())
                         if c.end <= run[0].start and not any(g.start <= c.start < g.end for g in run)]
                total_c = cands[-1] if cands else None
                if total_c is None or total_c.value == 0:
                    continue
                n = sum(g.count for g in good)
                ctx.touch(R)
                q = Iv(Decimal(n), Decimal(n)).div(count_iv(total_c))
                if q is not None and not q.meets(rate_iv(R)):
                    _rate_finding(ctx, R, f"优良数{n}占{total_c.text}的比例", Decimal(n) / total_c.value,
                                  [*good, total_c])
            continue
        keys = {stem[-2:], stem[:2]} - {""}
        prev_rate = max((r.end for r in ctx.rates if r.end <= R.start and ctx.sentence_of(r) == sent), default=-1)
        own = [c for c in before if c.start > prev_rate]  # after the sentence's previous rate
        part = next((c for c in reversed(own) if any(k in ctx.window(c, 16) + (c.subject or "") for k in keys)), None)
        by_word = part is not None
        if part is None and len([c for c in own if ctx.sentence_of(c) == sent]) == 1:
            part = [c for c in own if ctx.sentence_of(c) == sent][0]
        if part is None:
            continue
        # a part found only by being the sentence's one count is tied to its whole by nothing
        # but place: the whole must then be in the rate's sentence too (`抽取62个项目复核，复核
        # 一致率91.9%` has none: the 70个 of the sentence before counts something else)
        whole = next((c for c in reversed(before) if c.end <= part.start and c.classifier == part.classifier
                      and c.value >= part.value and (by_word or ctx.sentence_of(c) == sent)), None)
        if whole is not None and any(whole.end <= r.start < part.start and not r.qualifier for r in ctx.rates):
            # 应参保人数1,223,600人，参保率96.96%。其中…资助参保63,518人，资助参保率100%: the
            # whole was the base of the rate between them; the part's own base is not stated
            continue
        severity = "error"
        if whole is None and by_word:  # the plan stated earlier (`绩效目标为：完成户厕改造2,400户`)
            wp = re.sub(_NOT_CJK, "", ctx.window(part, 16))
            grams = {wp[i:i + 4] for i in range(max(0, len(wp) - 3))}
            whole = next((c for c in reversed(ctx.counts) if c.end <= part.start and c.classifier == part.classifier
                          and c is not part and c.value >= part.value
                          and any(g in ctx.window(c, 16) for g in grams)
                          and _PLAN.search(ctx.text[ctx.sentence_span(c)[0]: c.start])), None)
            severity = "warning"
        if whole is None and by_word and _head(part):
            # the whole found earlier in the report (`共发现问题42个` … `已整改问题35个，整改率87.5%，
            # …其余7个问题…`): the nearest count of the same thing that a finding or total
            # introduces, taken only when a 其余 count after the rate makes up the difference
            # (35 + 7 = 42): without it, 自评项目共286个…覆盖率100% is not of 共申报项目412个
            whole = next((c for c in reversed(ctx.counts) if c.end <= part.start and c is not part
                          and c.classifier == part.classifier and c.value > part.value and _head(c) == _head(part)
                          and _WHOLE_CUE.search(ctx.window(c, 12))), None)
            rest = next((c for c in ctx.counts_by_sentence.get(sent, ()) if c.start > R.end
                         and c.classifier == part.classifier and _REST.search(ctx.window(c, 4))), None)
            if whole is None or rest is None or part.value + rest.value != whole.value:
                continue
            severity = "error"
        if whole is None or whole.value == 0:
            continue
        q = count_iv(part).div(count_iv(whole))
        if q is not None and not q.meets(rate_iv(R)) and _NEGATED.search(_CLAUSE_HEAD.match(ctx.text, part.end).group()):
            # 有3处工程未能在计划工期内完工，完工及时率88.5%: the part counts the others
            q = (count_iv(whole) - count_iv(part)).div(count_iv(whole))
        if q is not None and not q.meets(rate_iv(R)):
            if R.value == 1 and ctx.sentence_of(whole) != sent:
                continue  # 87个重点项目绩效目标…公开，公开比例100%: all of them, with no whole stated here
            if by_word and _other_reading(ctx, R, own, keys, whole):
                continue  # “通过”的412个，“调整后通过”的228个…通过率60.3%: 412 ÷ 683 reads true
            _rate_finding(ctx, R, f"{part.text}占{whole.text}的比例", Decimal(part.value) / whole.value, [part, whole],
                          severity)


_SHARE_OF_COUNT = re.compile(r"[ \t\u3000]*[，,（(][ \t\u3000]*占(?:比|[^，,。；;（）()\d]{1,12}?的(?:比例|比重)?)(?:为|為|达|達)?[ \t\u3000]*")


def _count_shares(ctx: Ctx) -> None:
    """`自评等级为“良”及以下的部门12个，占比35%`: a count's share of a larger count of the same
    things stated in its sentence or the two before (40个部门). Said only when no such count
    gives the rate (12 of 28 or of 40: neither is 35%), a warning when more than one was a
    candidate."""
    for R in ctx.rates:
        if R.qualifier or R.bound:
            continue
        i = bisect.bisect_right(ctx.count_starts, R.start) - 1
        if i < 0:
            continue
        C = ctx.counts[i]
        if C.qualifier or not _SHARE_OF_COUNT.fullmatch(ctx.text, C.end, R.start):
            continue
        sent, cat = ctx.sentence_of(R), ctx.count_category(C)
        wholes = [c for c in ctx.counts[:i] if sent - ctx.sentence_of(c) <= 2 and c.classifier == C.classifier
                  and c.value > C.value and not c.qualifier and ctx.count_category(c) == cat]
        if not wholes:
            continue
        ctx.touch(R)
        if any((q := count_iv(C).div(count_iv(w))) is None or q.meets(rate_iv(R)) for w in wholes):
            continue
        W = max(wholes, key=lambda c: c.value)
        _rate_finding(ctx, R, f"{C.text}占{W.text}的比例", Decimal(C.value) / W.value, [C, W],
                      "error" if len(wholes) == 1 else "warning")


def _other_reading(ctx: Ctx, R, own: list, keys: set, whole) -> bool:
    """Whether another count the rate's word names, over the whole or a larger count before
    it, gives the stated rate: with two candidates, only a rate no reading explains is wrong."""
    parts = [c for c in own if any(k in ctx.window(c, 16) + (c.subject or "") for k in keys)]
    wholes = [c for c in ctx.counts if c.end <= R.start and c.classifier == whole.classifier and c.value >= whole.value]
    for p in parts:
        for w in wholes + [whole]:
            if w is p or w.value == 0 or w.value < p.value:
                continue
            q = count_iv(p).div(count_iv(w))
            if q is not None and q.meets(rate_iv(R)):
                return True
    return False


def _other_current(earlier: list, B, iv, up: bool, R) -> bool:
    """Whether a figure of the sentence before A gives the stated change over B: `实际支出31.27万元，
    较预算节约7.33万元，较上年的33.01万元下降5.27%` compares the spending, not the saving."""
    for X in earlier:
        q = iv(X).div(iv(B))
        if q is not None and Iv(*((q.lo - 1, q.hi - 1) if up else (1 - q.hi, 1 - q.lo))).meets(rate_iv(R)):
            return True
    return False


def _growth(ctx: Ctx) -> None:
    """`涉及资金186,430.6万元，比2022年的171,952.4万元增长8.42%`: R = A ÷ B − 1;
    `项目1,046个，较上年增加87个，同比增长9.07%`: R = D ÷ (T − D)."""
    for R in ctx.rates:
        m = _GROW.search(ctx.window(R, 10))
        if not m or R.qualifier:
            continue
        up = m.group(1) in ("增长", "增加", "提高", "上升")
        sent = ctx.sentence_of(R)
        for facts, iv in ((ctx.amounts, op), (ctx.counts, count_iv)):
            before = [f for f in facts if f.end <= R.start and ctx.sentence_of(f) == sent]
            if len(before) < 2:
                continue
            A, B = before[-2], before[-1]
            if facts is ctx.counts and A.classifier != B.classifier:
                continue
            wB = ctx.window(B, 10)
            if not _COMPARE.search(wB):
                continue
            if not _DELTA_WORD.search(wB):
                # A … 比/较 … B … 增长 R: B is the comparison base
                if iv(B).lo <= 0:
                    break
                q = iv(A).div(iv(B))
                if facts is ctx.amounts:
                    ctx.touch(A, B)
                frac = (A.value_yuan / B.value_yuan if facts is ctx.amounts else Decimal(A.value) / B.value)
                got = (q.lo - 1, q.hi - 1) if up else (1 - q.hi, 1 - q.lo)
                if not Iv(*got).meets(rate_iv(R)) and not _other_current(before[:-2], B, iv, up, R):
                    _rate_finding(ctx, R, f"{A.text}较{B.text}的{m.group(1)}幅度", (frac - 1) if up else (1 - frac), [A, B])
                break
            if len(ctx.text[B.end: R.start]) <= 12 and _UP_WORD.search(wB) and up:
                # T …，较上年增加 D，同比增长 R: R = D ÷ (T − D)
                T, D = A, B
                base = (T.value_yuan - D.value_yuan) if facts is ctx.amounts else Decimal(T.value - D.value)
                if base <= 0:
                    break
                dv = D.value_yuan if facts is ctx.amounts else Decimal(D.value)
                frac = dv / base
                if facts is ctx.amounts:
                    ctx.touch(T, D)
                r = rate_iv(R)
                if not (r.lo <= frac <= r.hi):
                    _rate_finding(ctx, R, f"{D.text}占上年数（{T.text}减{D.text}）的比例", frac, [T, D])
                break


_CHANGE_OVER = re.compile(r"(?:比|较)(?P<ref>[\u4e00-\u9fff]{2,8}?)(?P<dir>增加|减少|增长|下降|提高|降低|调增|调减|压减)(?:了)?[ \t\u3000]*$")
_DOWN = frozenset(("减少", "下降", "降低", "调减", "压减"))


def _change_over(ctx: Ctx) -> None:
    """`年初预算为54,646.90万元 … 调整后预算为52,318.60万元，比年初预算减少2,146.30万元`: a change
    over a figure the report named before (年初预算), from the figure the sentence just gave.
    Not over another year (比上年, 较2022年): that year's figure is another matter."""
    for i, C in enumerate(ctx.amounts):
        m = _CHANGE_OVER.search(ctx.window(C, 16))
        if not m or C.qualifier or _YEAR_REF.search(m.group("ref")):
            continue
        ref = m.group("ref")
        sent = ctx.sentence_of(C)
        B = ctx.amounts[i - 1] if i > 0 else None
        if B is None or ctx.sentence_of(B) != sent or B.qualifier or ctx.text.find("；", B.end, C.start) >= 0:
            continue
        lo = ctx.layout.sentences[max(0, sent - 2)][0]
        A = next((a for a in reversed(ctx.amounts[:i - 1]) if a.start >= lo and not a.qualifier
                  and ref in ctx.window(a, 16)), None)
        if A is None:
            continue
        ctx.touch(A, B, C)
        delta = op(A) - op(B) if m.group("dir") in _DOWN else op(B) - op(A)
        if delta.meets(amount_iv(C)):
            continue
        exact = (A.value_yuan - B.value_yuan) if m.group("dir") in _DOWN else (B.value_yuan - A.value_yuan)
        exp = fmt_amount(exact, C, C.decimals)
        ctx.add("arithmetic.difference", "error",
                f"{A.text}与{B.text}之差应为{exp}，而文中“{m.group(0).strip()}”{C.text}，请核实。",
                [A, B, C], expected=exp, actual=C.text)


_YEAR_REF = re.compile(r"上年|去年|前年|同期|\d|[一二三四五六七八九〇零]{4}年")  # (a change over another year)


# `由1,280万元压减至1,150万元，压减130万元`: a change from one figure to another, then its size
_TO = re.compile(r"(?:压减|调减|削减|减少|核减|下降|降低|降|减|增加|增长|提高|调增|上升|增)(?:到|至)\s*$")
_BY = re.compile(r"[，,]?\s*(?:共|合计|累计)?(?:压减|调减|削减|减少|核减|下降|降低|增加|增长|提高|调增|上升)(?:了|资金|预算|金额)?\s*$")
_FROM = re.compile(r"(?:由|从)\s*$")


def _from_to(ctx: Ctx) -> None:
    """由A压减至B，压减C: C is A − B (由A增加至B，增加C: B − A)."""
    amts = ctx.amounts
    for i in range(len(amts) - 2):
        A, B, C = amts[i], amts[i + 1], amts[i + 2]
        if A.qualifier or B.qualifier or C.qualifier or A.bound or B.bound:
            continue
        if not (_FROM.search(ctx.text, max(0, A.start - 3), A.start) and _TO.search(ctx.text, A.end, B.start)
                and B.start - A.end <= 6 and _BY.match(ctx.text, B.end, C.start) and C.start - B.end <= 8):
            continue
        ctx.touch(A, B, C)
        change = op(A) - op(B) if A.value_yuan >= B.value_yuan else op(B) - op(A)
        if change.meets(amount_iv(C)):
            continue
        exact = abs(A.value_yuan - B.value_yuan)
        exp = fmt_amount(exact, A, C.decimals)
        ctx.add("arithmetic.difference", "error",
                f"由{A.text}变为{B.text}，变动额应为{exp}，而文中为{C.text}，相差"
                f"{fmt_amount(abs(C.value_yuan - exact), A, C.decimals)}，请核实。",
                [A, B, C], expected=exp, actual=C.text)


def run(ctx: Ctx) -> None:
    groups = _groups(ctx)
    for g in groups:
        _check_group(ctx, g)
    _grand_totals(ctx, groups)
    _execution(ctx)
    _itemised(ctx, ctx.amounts, amount_iv, _fmt_amt, "amount")
    _itemised(ctx, ctx.counts, count_iv, _fmt_cnt, "count")
    _itemised(ctx, ctx.scores, _score_iv, _fmt_score, "score")
    _item_lists(ctx)
    _breakdowns(ctx)
    _named_kinds(ctx)
    _lines_as_follows(ctx)
    _count_rates(ctx)
    _count_shares(ctx)
    _growth(ctx)
    _band_counts(ctx)
    _grade_counts(ctx)
    _pass_reject(ctx)
    _from_to(ctx)
    _change_over(ctx)
    if "占" in ctx.text or "佔" in ctx.text:
        _shares(ctx)


# `…资金17,820万元，占衔接资金总额的62.4%`: a share of a whole named after 占
_SHARE_OF = re.compile(r"[，,]?[ \t\u3000]*[占佔](?P<name>[\u4e00-\u9fff]{2,16}?)(?:总额|總額|总数|總數|总量|總量|规模|規模)?"
                       r"(?:的)?(?:比例|比重)?(?:为|為|达|達)?[ \t\u3000]*$")


def _shares(ctx: Ctx) -> None:
    """A part's share of a named whole: the whole is the one figure stated before under that
    name (its last two characters in the words before it, the rest in its sentence), not
    a part of a list; the check is a warning, the whole being found by its name."""
    by_start = {a.end: a for a in ctx.amounts}
    for R in ctx.rates:
        if R.qualifier or R.bound:
            continue
        lo = R.start - 24 if R.start > 24 else 0
        k = ctx.text.rfind("元", lo, R.start)
        A = by_start.get(k + 1) if k >= 0 else None
        if A is None or A.qualifier or A.bound:
            continue
        m = _SHARE_OF.match(ctx.text, A.end, R.start)
        if m is None:
            continue
        name = m.group("name")
        head, tail = name[:-2], name[-2:]
        values = set()
        cands = []
        for a in ctx.amounts:
            if a.end > A.start:
                break
            if a.qualifier or a.bound or a.value_yuan <= A.value_yuan:
                continue
            w = ctx.window(a, 16)
            if tail not in w or "其中" in w:
                continue
            ss, _ = ctx.sentence_span(a)
            if head and head not in ctx.text[ss:a.start]:
                continue
            values.add(a.value_yuan)
            cands.append(a)
        if len(values) != 1:
            continue
        whole = cands[-1]
        ctx.touch(A, whole)
        q = op(A).div(op(whole))
        if q is not None and not q.meets(rate_iv(R)):
            _rate_finding(ctx, R, f"{A.text}占{whole.text}的比例", A.value_yuan / whole.value_yuan, [A, whole],
                          "warning")
