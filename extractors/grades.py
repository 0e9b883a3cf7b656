"""Performance grades (评价等级) reported as results, with their counts.

    综合评价等级为“良”                 → 良, count None
    评价等级为“优”的项目2个             → 优, 2, 项目
    1个评级为良 / 16个评级为良          → 良, 1 / 16 (count written before)
    评价结果为优秀的3个、良好的5个       → 优 3, 良 5 (a list continues the grade)
    評價等級為“優”                      → 优 (Traditional script)

Rules and policies are not results. The genre writes them as conditions: the grade is
followed by 的 and no count (`评级为良的，督促改进`, `评级为优的部门给予支持`), or the cue
is preceded by a modal or policy word (`不得评为“优秀”`, `应评为`, `将…评为`, `给予…评级为`).
`直接列入“较差”档次` has no grading cue at all. Levels normalise to 优/良/中/差;
merged bands (优良) and letters (A, B) stay as written.

Anchored on the grading cue (等级/等次/评级/结果/评为 …) with the standard `re` module.
"""
from __future__ import annotations

import re

from extractors.spans import Mask
from schemas import Grade

try:  # the shared number grammar (Chinese numerals in counts: 两个, 十五个)
    from extractors.numbers import parse_number
except ImportError:  # pragma: no cover
    parse_number = None

_NORM = {
    "优秀": "优", "優秀": "优", "优": "优", "優": "优",
    "良好": "良", "良": "良",
    "中等": "中", "一般": "中", "合格": "中", "中": "中",
    "较差": "差", "較差": "差", "差": "差", "不合格": "差",
    "优良": "优良", "優良": "优良",
}
_LV = (
    r"(?:优秀|優秀|良好|优良|優良|中等|一般|不合格|合格|较差|較差"
    r"|(?:优|優|良|中|差)(?![化先质質势勢惠待异異性央期心国國])"
    r"|[A-DＡ-Ｄ](?![A-Za-z0-9]))"
)
_Q1 = r"[\"“「『‘']?"
_Q2 = r"[\"”」』’']?"
_N = r"(?:[0-9０-９]+|[一二两兩三四五六七八九十百零〇]+)"
_CL = r"[个個项項家类類]"
_SUBJ = r"(?:部门整体|部門整體|项目|項目|部门|部門|单位|單位|政策|专项资金|專項資金|资金|資金)"
_CUE = (
    r"(?:(?:综合|綜合)?(?:绩效|績效)?(?:评价|评估|考核|自评|評價|評估|自評)?"
    r"(?:等级|等級|等次|评级|評級|级别|級別|结果|結果)(?:均|全部|都|分别|分別)?"
    r"(?:为|為|是|评定为|確定為|确定为|如下[：:]|[：:])"
    r"|(?:被|均|获|獲)?(?:评|評)(?:定|价|估|價)?(?:为|為)|获评|獲評)"
)
_GRADE = re.compile(
    rf"(?P<cue>{_CUE})[ \t\u3000]*{_Q1}(?P<lv>{_LV}){_Q2}(?:等级|等級|等次|级|級|档次|檔次)?"
    rf"(?:(?:的|之)?(?P<subj>{_SUBJ})?(?:共有|共计|共|有|为|為)?[ \t\u3000]*(?P<n>{_N})[ \t\u3000]*(?P<cl>{_CL}))?"
)
# a count written before the cue: 1个评级为良, 3个项目评价等级为优
_BEFORE = re.compile(
    rf"(?P<n>{_N})[ \t\u3000]*(?P<cl>{_CL})(?P<subj>{_SUBJ})?(?:的)?(?:绩效|績效)?$"
)
# the list goes on: 、良好的5个 / ，“良”的项目3个 / 、良好5个
_CONT = re.compile(
    rf"[、，,；;][ \t\u3000]*(?:{_CUE})?[ \t\u3000]*{_Q1}(?P<lv>{_LV}){_Q2}(?:等级|等級|等次|级|級)?"
    rf"(?:的|之)?(?P<subj>{_SUBJ})?(?:共有|共计|共|有|为|為)?[ \t\u3000]*(?P<n>{_N})[ \t\u3000]*(?P<cl>{_CL})"
)
# words that make what follows a rule or a condition, not a result
_RULE_BEFORE = re.compile(
    r"(?:不得|不能|不予|不应|不可|应当|(?<![相对反供适响效呼])应(?!用)|須|须|必须|将|拟|(?<![认许])可|方可|才能"
    r"|争取|力争|确保|凡|若|(?<![例比])如(?!下)|一律|原则上|给予|給予)"
    r"[^，,。；;：:]{0,8}$"
)
_SUBJ_BACK = re.compile(_SUBJ)
_RULE_AFTER = re.compile(
    r"给予|給予|予以|扣减|扣除|扣|取消|督促|约谈|通报|压减|减少|削减|调减|不予|暂缓|优先|奖励|支持|安排|挂钩"
    r"|问责|整改|收回|列入|作为|按照|将|应|须|不得|可以|原则上|一律|视为|确定"
)
_FIGURE_AFTER = re.compile(r"[0-9０-９%％]|占|共|合计")
# a threshold before the cue makes the grade a rule: 得分90分以上的项目评为优
_THRESHOLD_BEFORE = re.compile(r"分[（(]?含?[0-9]*分?[）)]?(?:以上|以下|及以上|及以下)|(?:以上|以下)的")
# every cue ends in 为/為/是/：/: right before the (quoted) level: find those characters
# (str.find runs in C), check the level's first character, then match the cue backwards
_CUE_END_CHARS = "为為是：:评評"
_LEVEL_FIRST = frozenset("优優良中一合不较較差ABCDＡＢＣＤ")
_QUOTES = frozenset("\"“「『‘'")
_CUE_BACK = re.compile(rf"{_CUE}$")
_CUE_KEYS = frozenset("级級次果评評")  # one of these stands within 4 characters before every cue's end


_CUE_END = re.compile(r"[为為是：:评評](?=[ \t\u3000]*[\"“「『‘']?[优優良中一合不较較差A-DＡ-Ｄ])")


def _candidates(text: str):
    hits = [
        p for p in (m.start() for m in _CUE_END.finditer(text))
        if text[p] in "评評" or not _CUE_KEYS.isdisjoint(text[max(0, p - 4):p])
    ]
    hits.sort()
    for p in hits:
        c = _CUE_BACK.search(text, max(0, p - 12), p + 1)
        if c is not None:
            m = _GRADE.match(text, c.start())
            if m is not None:
                yield m


_CLAUSE_STOP = "。；;\n"


def _count(s: str) -> int | None:
    if s[-1] in "0123456789０１２３４５６７８９":
        return int(s)
    if parse_number is not None:
        v = parse_number(s)
        return int(v) if v is not None else None
    return None


def _subject_before(text: str, start: int) -> str | None:
    lo = max(0, start - 80)
    for c in _CLAUSE_STOP:
        i = text.rfind(c, lo, start)
        if i >= 0:
            lo = i + 1
    last = None
    for m in _SUBJ_BACK.finditer(text, lo, start):
        last = m.group()
    return last


def extract(text: str, mask: Mask | None = None) -> list[Grade]:
    out: list[Grade] = []
    pos = 0
    for m in _candidates(text):
        if m.start() < pos:
            continue
        s, e = m.span()
        count = _count(m.group("n")) if m.group("n") else None
        subj = m.group("subj")
        # a count before the cue: 16个评级为良
        if count is None:
            b = _BEFORE.search(text, max(0, s - 14), s)
            if b is not None:
                count = _count(b.group("n"))
                subj = subj or b.group("subj")
                s = b.start()
        if count is None and text[e:e + 1] in ("的", "之"):
            # …为良的，督促改进 / …为优的部门给予支持: a condition, unless what follows the 的
            # reports a figure (评价等级为优的项目占比95%)
            rest = text[e + 1:e + 31]
            cut = min((i for i in (rest.find(c) for c in "。；;\n，,") if i >= 0), default=len(rest))
            rest = rest[:cut]
            if not rest or _RULE_AFTER.search(rest) or not _FIGURE_AFTER.search(rest):
                continue
            after = _SUBJ_BACK.match(rest)
            subj = subj or (after.group() if after else None)
        # rule: a modal or policy word governs the cue (不得评为“优秀”, 给予…评级为优)
        if _RULE_BEFORE.search(text, max(0, s - 10), s) is not None:
            lo = max(0, s - 10)
            seg = text[lo:s]
            # only when no clause stop lies between the rule word and the cue
            if not any(c in seg for c in _CLAUSE_STOP):
                continue
        if count is None:
            lo = max(0, s - 30)
            for c in _CLAUSE_STOP + "，,":
                i = text.rfind(c, lo, s)
                if i >= 0:
                    lo = i + 1
            if _THRESHOLD_BEFORE.search(text, lo, s):
                continue
        if mask is not None and mask.hit(s, e):
            continue
        lv = m.group("lv")
        level = _NORM.get(lv, lv.translate(str.maketrans("ＡＢＣＤ", "ABCD")))
        out.append(Grade(text=text[s:e], start=s, end=e, level=level, count=count,
                         subject=subj or _subject_before(text, s)))
        pos = e
        if count is not None:
            while True:
                c = _CONT.match(text, pos)
                if c is None:
                    break
                lv = c.group("lv")
                cs = c.start("lv") - (1 if text[c.start("lv") - 1] in "\"“「『‘'" else 0)
                # the cue, when repeated, belongs to the fact
                k = c.start()
                while k < cs and text[k] in "、，,；; \t\u3000":
                    k += 1
                out.append(Grade(
                    text=text[k:c.end()], start=k, end=c.end(), level=_NORM.get(lv, lv),
                    count=_count(c.group("n")), subject=c.group("subj") or subj or _subject_before(text, k),
                ))
                pos = c.end()
    return out
