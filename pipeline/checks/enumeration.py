"""enumeration_count: a stated count that differs from the number of items the text lists.

Lists read:
- names right before the count: quoted (`选取“A”、“B”和“C”3个专项资金`) or separated by 、
  (`县公安局、县文旅局、县人社局3个部门`, whose last item must be the kind of thing counted);
- titles or names after the count, after 分别/具体/包括 (`针对4个项目…分别下发《A》、《B》…`),
  also in the next sentence (`…项目15个…。主要涉及A、B…等项目`);
- 文号 serials before a count of documents (`（师财报〔2023〕7、8号）2个正式文件`);
- ordinals after a count of sessions (`开展2次培训，第一次…第二次…`);
- itemised amounts after a total named with a count (`涉及项目5个，资金…，具体为A…万元、B…万元`).
A list ending in 等 (or introduced by 主要) is not exhaustive: it can only contradict a count
smaller than itself.
"""
from __future__ import annotations

import bisect
import re
from functools import lru_cache
from typing import Optional

from pipeline.checks import Ctx
from pipeline.segment import cn_int
from schemas import Count

_COUNTED = re.compile(r"[\d０-９]+\s*[个家项人次份条类批名所户篇本套轮期场台座件個項]")
_QUOTED = re.compile(r"[“\"「『]([^”\"」』]{2,60})[”\"」』]")
_CLOSE_QUOTE = re.compile(r"[”\"」』]")
_SEP = re.compile(r"^\s*(?:、|和|及|以及|与|，)?\s*$")
_ORG = re.compile(r"(?:局|委|办|队|会|院|所|馆|中心|部门|单位|科|站|室|处|司|厅|镇|乡|街道|社区|村|公司|学校|小学|中学|医院|机构)$")
# counted kinds that organisations are (3家第三方机构 after four firms' names)
_ORG_KINDS = frozenset(("机构", "公司", "企业", "单位", "部门"))
_PROJ = re.compile(r"(?:项目|工程|资金|经费|专项|基金|政策)$")
_ORG_NOUN = re.compile(r"学校|小学|中学|幼儿园|医院|卫生院|单位|机构|乡镇|街道|社区")


_ITEM_PAREN = re.compile(r"（[^）]*）|\([^)]*\)")


@lru_cache(maxsize=4096)  # pure; asked for every part of every list before a count
def item_category(name: str) -> Optional[str]:
    if "（" in name or "(" in name:
        name = _ITEM_PAREN.sub("", name)
    name = name.strip()
    if _PROJ.search(name):
        return "项目"
    if _ORG.search(name):
        return "部门"
    return None


_OPEN, _CLOSE = "（(《“「【[<", "）)》”」】]>"
_NEST = re.compile(r"[（(《“「【\[<）)》”」】\]>]")
_NEST_OR_SEP = re.compile(r"[（(《“「【\[<）)》”」】\]>、]")


def _split_top(s: str, seps: str = "、") -> list[str]:
    """Split at top-level separators (not inside brackets or quotes)."""
    if seps == "、":  # the usual case: visit only brackets and separators, not every character
        if not _NEST.search(s):
            return s.split("、")
        out, depth, last = [], 0, 0
        for m in _NEST_OR_SEP.finditer(s):
            ch = m.group()
            if ch in _OPEN:
                depth += 1
            elif ch in _CLOSE:
                if depth:
                    depth -= 1
            elif not depth:
                out.append(s[last: m.start()])
                last = m.end()
        out.append(s[last:])
        return out
    out, depth, cur = [], 0, []
    for ch in s:
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE and depth:
            depth -= 1
        if ch in seps and depth == 0:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


def names_before(ctx: Ctx, c: Count) -> tuple[list[str], bool, bool]:
    """(items, non_exhaustive, quoted) listed right before a count, or ([], False, False)."""
    memo = ctx._names_before  # asked by repeated_total and by run below
    v = memo.get(c.start)
    if v is None:
        v = memo[c.start] = _names_before(ctx, c)
    return v


_AND = re.compile(r".(?:和|及|与|以及).")
_PAREN_LIST = re.compile(r"\s*[（(]([^（）()]{4,200})[）)]")  # used with .match(pos)
_NOUN = re.compile(r"[\u4e00-\u9fff]{1,6}")
_ETC_END = re.compile(r"(?:等|等等)\s*(?:共|计|共计)?\s*$")
_TOTAL_WORD_END = re.compile(r"(?:共|计|共计|合计|这|此)\s*$")
_LAST_AND = re.compile(r"^(.*?)(?:和|及|以及|与)(.+)$")
_DIGIT = re.compile(r"\d")


def names_after(ctx: Ctx, c: Count) -> list[str]:
    """Names listed in brackets right after a count: `上述4个项目（A、B、C、D）`."""
    memo = ctx._names_after  # asked by repeated_total and by run below
    v = memo.get(c.start)
    if v is None:
        v = memo[c.start] = _names_after(ctx, c)
    return v


# what both readings below need at least: a bracket after at most six characters (one test
# instead of three for the usual count that no bracket follows)
_PAREN_NEAR = re.compile(r"[\u4e00-\u9fff]{0,6}\s*[（(]")


def _names_after(ctx: Ctx, c: Count) -> list[str]:
    if not _PAREN_NEAR.match(ctx.text, c.end):
        return []
    m = _PAREN_LIST.match(ctx.text, c.end, min(len(ctx.text), c.end + 220))
    if not m:
        # the counted noun may come first: `4个项目（A、B…）`
        k = _NOUN.match(ctx.text[c.end: c.end + 6])
        if not k:
            return []
        m = _PAREN_LIST.match(ctx.text, c.end + k.end(), min(len(ctx.text), c.end + 226))
        if not m:
            return []
    items = [x.strip() for x in _split_top(m.group(1)) if x.strip()]
    if len(items) < 2 or any("等" in x or _COUNTED.search(x) or len(x) > 40 for x in items):
        return []
    if all(x in _GENERIC_UNITS for x in items):
        return []  # 7个乡（镇、街道）, 村（社区、居）: other words for the kind counted, not its members
    return items


# the kinds of place and body a bracket may add to a counted noun (乡（镇、街道）), never names
_GENERIC_UNITS = frozenset("乡 镇 鄉 鎮 街道 村 社区 社區 居 居委会 场 站 所 部门 部門 单位 單位 科室 园区 "
                           "園區 管委会 片区 区 县 縣 市 州 盟 旗 乡镇 鄉鎮 中心".split())


_LIST_MARK = re.compile(r"[、”\"」]")
_JOIN_AFTER_COUNT = re.compile(r"[\u4e00-\u9fff]{0,6}?(?:和|及|以及|与|與|、|，)")
# `目标不完整、指标不可衡量的项目`: qualities of the things counted, not their names
_DESCRIBED = re.compile(r"的(?:项目|項目|单位|單位|部门|部門|问题|問題|政策|资金|資金)$")
_PREDICATE = re.compile(r"涉及|共|合计|累计|开展|实施|纳入|覆盖|事项")


def _two_names(last: str, cat: Optional[str]) -> bool:
    """Whether a list's last item, joined by 和/及/与, may be two names. Bodies' names are
    formal and end in their kind (局, 委, 中心…): `县财政局和县审计局` is two, while
    `县文化体育广电和旅游局` is one, since `县文化体育广电` names no body. Projects' names
    are free, so for them it may always be two."""
    m = _AND.search(last)
    if not m:
        return False
    if cat != "部门":
        return True
    return any(item_category(last[:k.start()]) for k in _AND.finditer(last))


# how the name of a project of works or of a fund often ends (…门诊综合楼建设, …提质改造, 标准厂房三期)
_PROJECT_NAME_END = re.compile(r"(?:建设|改造|工程|提质|提升|扩建|新建|维修|养护|整治|治理|补助|补贴|奖补|资金|项目|"
                               r"[一二三四五六七八九十]期)$")


_FIELD_NOUN = re.compile(r"(?:重点|重點|主要)?(?:领域|領域|行业|行業|方面|板块|板塊|类别|類別)")
_LEAD_WORDS = re.compile(r"^.*?(?:对|對|在|围绕|圍繞|聚焦|涉及|包括)")


_TOTAL_ONLY = re.compile(r"[ \t\u3000]*(?:共|共计|合计|总计|共計|合計|總計)[ \t\u3000]*")


_NOT_LISTED = frozenset(("人次", "户次", "次", "批次", "人", "名", "位"))


def _prev_count_end(ctx: Ctx, c: Count, cs: int) -> int:
    """max(p.end for p in ctx.counts if cs <= p.end <= c.start and p is not c), or -1: only
    counts that start before c can end by c.start, and none starting more than the longest
    count's length before cs reaches it (ctx.counts is sorted by start)."""
    longest = ctx._memo.get("count_len")
    if longest is None:
        longest = ctx._memo["count_len"] = max((p.end - p.start for p in ctx.counts), default=0)
    starts = ctx.count_starts
    best = -1
    for p in ctx.counts[bisect.bisect_left(starts, cs - longest): bisect.bisect_right(starts, c.start)]:
        e = p.end
        if cs <= e <= c.start and e > best and p is not c:
            best = e
    return best


def _names_before(ctx: Ctx, c: Count) -> tuple[list[str], bool, bool]:
    if c.classifier in _NOT_LISTED:
        # people and occurrences (培训各乡镇、县直部门财务人员共186人次) are counted, not named
        return [], False, False
    cs = ctx.clause_start(c.start)
    if cs > 1 and ctx.text[cs - 1] in "，," and _TOTAL_ONLY.fullmatch(ctx.text, cs, c.start):
        # A、B、…、M，共14个: the list is the clause before the total
        cs = ctx.clause_start(cs - 1)
    if not _LIST_MARK.search(ctx.text, cs, c.start):
        return [], False, False  # no list can end here
    # `A、B六个项目和C、D两个部门`: the list of a count begins after the clause's previous
    # count and the noun it counted
    prev = _prev_count_end(ctx, c, cs)
    if prev >= 0:
        j = _JOIN_AFTER_COUNT.match(ctx.text, prev, c.start)
        if j is None:
            return [], False, False
        cs = j.end()
    run = ctx.text[cs: c.start]
    tail = run.rstrip()
    etc = False
    m = _ETC_END.search(tail)
    if m:
        etc, tail = True, tail[: m.start()]
    tail = _TOTAL_WORD_END.sub("", tail)
    # quoted names ending right at the count
    # (a quoted list ends with its closing mark in the last two characters: look only then)
    qs = list(_QUOTED.finditer(tail)) if _CLOSE_QUOTE.search(tail, len(tail) - 2) else None
    if qs and len(tail) - qs[-1].end() <= 1 and not tail.endswith("的"):
        # (表示“满意”和“比较满意”的261份: the answers the 261 gave, not 2 things listed)
        items = [qs[-1].group(1)]
        for a, b in zip(reversed(qs[:-1]), reversed(qs[1:])):
            if not _SEP.match(tail[a.end(): b.start()]):
                break
            items.insert(0, a.group(1))
        if len(items) >= 2:
            return items, etc, True
    # two of the tests below on the parts, asked of the whole tail first (neither 等 nor a
    # counted number can straddle a separator, so the answer is the same, before any split)
    if "等" in tail or _COUNTED.search(tail):
        return [], False, False
    parts = _split_top(tail)
    if len(parts) < 2:
        return [], False, False
    last = parts[-1]
    if _DESCRIBED.search(last) or _PREDICATE.search(last):
        return [], False, False  # (上述收回、调减和调剂事项共涉及项目33个: a clause, not names)
    m = _LAST_AND.search(last)
    if m and item_category(m.group(1)) and item_category(m.group(2)):
        parts[-1:] = [m.group(1), m.group(2)]
    if (any(not p.strip() or len(p) > 40 or "等" in p for p in parts) or len(parts[-1]) > 30
            or any(_DIGIT.search(p) for p in parts[1:]) or any(_COUNTED.search(p) for p in parts)):
        return [], False, False  # `其中局机关1个、所属事业单位26个`: counts itemised, not names
    cat = ctx.count_category(c)
    if cat not in ("项目", "部门") and _ORG_NOUN.match(ctx.text, c.end):
        cat = "部门"  # 4所学校校舍维修改造: the noun right after the classifier says what is counted
    cats = [item_category(p) for p in parts]
    if cat == "项目" and all(_PROJECT_NAME_END.search(p) for p in parts):
        return parts, etc, False  # 县人民医院门诊综合楼建设、…、标准厂房三期5个项目: works named by what is built
    if len(parts) >= 3 and all(len(p.strip()) <= 6 for p in parts[1:]) \
            and _FIELD_NOUN.match(ctx.text, c.end):
        # 对教育、卫生健康、农业农村、水利、交通运输6个重点领域: short names of fields or sectors
        parts[0] = _LEAD_WORDS.sub("", parts[0])
        return parts, etc, False
    if ctx.text[c.end:c.end + 1] in "。，,；;" and sum(x == "部门" for x in cats) * 2 >= len(cats) >= 3:
        return parts, etc, False  # 市林业和草原局、…、市妇联、市残联，共14个。: bodies counted with no noun after
    if cats[-1] != cat:
        # the last name does not say its kind (`…改造和农村饮水安全巩固提升4个项目`): accept
        # when some name is of the counted kind and none of another
        if cat in _ORG_KINDS and all(x == "部门" for x in cats):
            pass  # names of firms or bodies, counted as 机构/公司: the same kind of thing
        elif cat not in ("项目", "部门") or cat not in cats or any(x not in (None, cat) for x in cats):
            return [], False, False
    return parts, etc, False


_AFTER_CUE = re.compile(r"分别(?:下发|印发|出台|制定|为|是|对|将)?|具体(?:为|是|包括)?|包括|即|(?<=[\u4e00-\u9fff])为(?=[：:])")
_NEXT_CUE = re.compile(r"^\s*(?:主要)?(?:涉及|包括|分别为|分别是|具体为|具体包括|具体是)")
_NEXT_CUE_AT = re.compile(_NEXT_CUE.pattern[1:])  # for .match(text, pos, endpos), where ^ would not match


def _titles_after(s: str) -> int:
    """Number of top-level 《…》 titles in a 、-separated run at the start of s."""
    n, i, depth = 0, 0, 0
    s = s.lstrip()
    while i < len(s):
        if s[i] != "《":
            break
        depth, j = 0, i
        while j < len(s):
            if s[j] == "《":
                depth += 1
            elif s[j] == "》":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        n += 1
        j += 1
        if j < len(s) and s[j] in "（(":
            k = s.find("）" if s[j] == "（" else ")", j)
            j = k + 1 if k > 0 else j
        if j < len(s) and s[j] in "、和及":
            i = j + 1
            continue
        break
    return n


_DOC_GAP = re.compile(r"^[\s、，,和及与）)（(]*(?:《[^》]*》)?[\s、，,和及与）)（(]*$")


def _docs_before(ctx: Ctx, c: Count, doc_ends: list) -> list:
    """The 文号 listed right before a count (`《A》（甲〔2022〕18号）、《B》（乙〔2023〕3号）和
    《C》（乙〔2023〕12号）3个制度文件`): walk back while only titles, brackets and
    separators lie between them."""
    if not doc_ends:
        return []
    k = bisect.bisect_right(doc_ends, (c.start, len(doc_ends)))  # those ending after the count never qualify
    if not k or c.start - doc_ends[k - 1][0] > 3:  # the nearest must end right before the count
        return []
    out, pos = [], c.start
    for e, i in reversed(doc_ends[:k]):
        if e > pos:
            continue
        gap = ctx.text[e:pos]
        if not (pos == c.start and c.start - e <= 3) and not (pos != c.start and _DOC_GAP.match(gap)):
            break
        d = ctx.doc_numbers[i]
        out.insert(0, d)
        pos = d.start
    return out


def _flag(ctx: Ctx, c: Count, n: int, items_desc: str, etc: bool, severity: str, extra=()) -> None:
    if n == c.value or (etc and n < c.value):
        return
    ctx.add("enumeration_count", severity,
            f"文中称{c.text}，但列举了{n}项（{items_desc}），数量不一致，请核实。",
            [c, *extra], expected=f"{n}{c.classifier}", actual=c.text)


def run(ctx: Ctx) -> None:
    counts = ctx.counts
    sentences = ctx.layout.sentences
    doc_ends = sorted((d.end, i) for i, d in enumerate(ctx.doc_numbers))
    for c in counts:
        if c.qualifier:
            continue
        # names right before the count
        items, etc, quoted = names_before(ctx, c)
        if items:
            if not quoted and len(items) + 1 == c.value and _two_names(items[-1], ctx.count_category(c)):
                continue  # `A、B和C`: the last name may be two (names contain 和 too: 住房和城乡建设局)
            shown = [re.sub(r"^(?:选取|抽取|对|将|组织|包括|开展)", "", x) for x in items[:6]]
            _flag(ctx, c, len(items), "、".join(shown) + ("…" if len(items) > 6 else ""), etc, "error")
            continue
        paren = names_after(ctx, c)
        if paren:
            _flag(ctx, c, len(paren), "、".join(paren[:6]), False, "error")
            continue
        # 文号 serials right before a count of documents
        docs = _docs_before(ctx, c, doc_ends)
        if docs and ctx.count_category(c) == "文件":
            n = sum(max(1, len(d.serials)) for d in docs)
            etc = "等" in ctx.text[docs[-1].end: c.start]  # 《A》（…15号）、《B》（…16号）等3项制度: not all of them
            _flag(ctx, c, n, "、".join(d.text for d in docs), etc, "error", extra=docs)
            continue
        si = ctx.sentence_of(c)
        ss, se = sentences[si]  # the rest of the sentence, text[c.end: se], read in place
        # ordinals after a count of sessions or batches
        if c.classifier in ("次", "批", "轮", "期"):
            ls, le = ctx.layout.line(c.start)
            found = list(re.compile(rf"第([一二三四五六七八九十\d]+){c.classifier}").finditer(ctx.text, c.end, le))
            ords = [cn_int(m.group(1)) for m in found]
            if any(ctx.text.endswith("年", 0, m.start()) for m in found):
                continue  # 分两批发行：2022年第一批…，2023年第三批: each year numbers its own batches
            if ords and ords[0] == 1:
                _flag(ctx, c, max(ords), "、".join(f"第{k}{c.classifier}" for k in sorted(set(ords))), False, "warning")
                continue
        # titles after 分别/具体 in the same sentence
        m = _AFTER_CUE.search(ctx.text, c.end, se)
        if m and m.start() - c.end < 30:
            n = _titles_after(ctx.text[m.end(): se])
            if n >= 2:
                _flag(ctx, c, n, f"{n}个文件名称", False, "warning")
                continue
            # names after a colon: `5个项目分别为：A、B、C、D。`
            if ctx.text.startswith(("：", ":"), m.end()) and ctx.count_category(c) in ("项目", "部门", "单位"):
                lst = ctx.text[m.end() + 1: se].rstrip("。.；; \n")
                names = [x.strip() for x in _split_top(lst) if x.strip()]
                if (len(names) >= 2 and not any(_DIGIT.search(x) or len(x) > 40 or "等" in x[-3:] for x in names)
                        and "\n" not in lst and "，" not in lst):
                    _flag(ctx, c, len(names), "、".join(names[:6]), False, "error")
                    continue
        # a list in the next sentence: 主要涉及A、B…等项目
        nxt = si + 1
        if nxt < len(sentences):
            ns, ne = sentences[nxt]
            m = _NEXT_CUE_AT.match(ctx.text, ns, ne)  # no slice of every next sentence
            if m and ctx.count_category(c) == "项目" and ctx.text[c.end: se].strip("，。 ").count("，") <= 2:
                lst = ctx.text[m.end(): ne]
                em = re.search(r"等(?:项目|单位|部门)?", lst)
                etc2 = bool(em) or "主要" in m.group(0)
                lst = lst[: em.start()] if em else lst
                parts = [p for p in _split_top(lst) if p.strip()]
                if len(parts) >= 3:
                    _flag(ctx, c, len(parts), f"{parts[0]}…{parts[-1]}", etc2, "warning")

    # itemised amounts after a total named with a count
    for T, parts, cue in ctx.lists:
        if cue == "其中":  # 其中 breaks a total down by source or kind, not by the items counted
            continue
        before = [c for c in counts if c.end <= T.start and ctx.sentence_of(c) == ctx.sentence_of(T)]
        if not before:
            continue
        c = before[-1]
        if any(c.end <= a.start < T.start for a in ctx.amounts) or c.qualifier:
            continue
        if ctx.layout.clause(T.start) - ctx.layout.clause(c.start) > 1:  # the count names T's items
            continue
        if ctx.count_category(c) in ("项目", "部门"):
            _flag(ctx, c, len(parts), f"{len(parts)}笔金额", False, "warning", extra=[T])
