"""Performance grades (评价等级) reported as results, with their counts.

    综合评价等级为“良”                 → 良, count None
    评价等级为“优”的项目2个             → 优, 2, 项目
    1个评级为良 / 16个评级为良          → 良, 1 / 16 (count written before)
    评价结果为优秀的3个、良好的5个       → 优 3, 良 5 (a list continues the grade)
    評價等級為“優”                      → 优 (Traditional script)

Rules and policies are not results. The genre writes them as conditions: the grade is
followed by 的 and no count (`评级为良的，督促改进`, `评级为优的部门给予支持`), or the cue
is preceded by a modal or policy word (`不得评为“优秀”`, `应评为`, `将…评为`, `给予…评级为`).
`直接列入“较差”档次` has no grading cue at all. A grade after a conditional clause
(`得分在90分以上的，评价等级为“优”`) or before a band (`为“中”及以下的项目`) is a rule too.
Levels normalise to 优/良/中/差; merged bands (优良) and letters (A, B) stay as written.

Also read without a cue: a count with a quoted level and 等级 (`1,020个“优”等级项目`), a
list of two or more levels with counts (`A级2个、B级1个、C级1个`), and the grade column of
a flattened table (`|项目|得分|等级|` …). With 分别/依次 (`两个项目评价等级分别为“优”和“良”`)
each level is its own grade and the count before the cue is not theirs.

Anchored on the grading cue's last character (为/是/：/评) with the standard `re` module.
"""
from __future__ import annotations

import re

from extractors.spans import Mask
from schemas import Grade

try:  # the shared number grammar (Chinese numerals in counts: 两个, 十五个)
    from extractors.numbers import parse_number
except ImportError:  # pragma: no cover
    parse_number = None

class _Lazy:
    """A pattern compiled on first use: the big grade patterns cost ~20 ms to compile, paid
    only by documents that have a grading cue (cold start of `jixiao extract` matters)."""

    __slots__ = ("_args", "_p")

    def __init__(self, *args):
        self._args, self._p = args, None

    def __getattr__(self, name):  # only for names not in __slots__: match, search, pattern …
        p = self._p
        if p is None:
            p = self._p = re.compile(*self._args)
        return getattr(p, name)


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
_N = r"(?:[0-9０-９]{1,3}(?:[,，][0-9０-９]{3})+(?![0-9０-９])|[0-9０-９]+|[一二两兩三四五六七八九十百千零〇]+)"
_CL = r"[个個项項家类類]"
_SUBJ = r"(?:部门整体|部門整體|项目|項目|部门|部門|单位|單位|政策|专项资金|專項資金|资金|資金)"
_CUE = (
    r"(?:(?:综合|綜合)?(?:绩效|績效)?(?:评价|评估|考核|自评|評價|評估|自評)?"
    r"(?:等级|等級|等次|评级|評級|级别|級別|结果|結果)(?:均|全部|都|分别|分別|依次)?"
    r"(?:为|為|是|评定为|確定為|确定为|如下[：:]|[：:])"
    r"|(?:被|均|获|獲)?(?:评|評)(?:定|价|估|價)?(?:为|為)|获评|獲評)"
)
_GRADE = _Lazy(
    rf"(?P<cue>{_CUE})[ \t\u3000]*{_Q1}(?P<lv>{_LV}){_Q2}(?:等级|等級|等次|级|級|档次|檔次)?"
    rf"(?:(?:的|之)?(?P<subj>{_SUBJ})?(?:数量|數量|个数|個數|数|數)?(?:共有|共计|共|有|为|為|达|達)?[ \t\u3000]*(?P<n>{_N})[ \t\u3000]*(?P<cl>{_CL}))?"
)
# a count written before the cue: 1个评级为良, 3个项目评价等级为优
_BEFORE = _Lazy(
    rf"(?P<n>{_N})[ \t\u3000]*(?P<cl>{_CL})(?P<subj>{_SUBJ})?(?:的)?(?:绩效|績效)?$"
)
# the list goes on: 、良好的5个 / ，“良”的项目3个 / 、良好5个
_CONT = _Lazy(
    rf"[、，,；;][ \t\u3000]*(?:{_CUE})?[ \t\u3000]*{_Q1}(?P<lv>{_LV}){_Q2}(?:等级|等級|等次|级|級)?"
    rf"(?:的|之)?(?P<subj>{_SUBJ})?(?:共有|共计|共|有|为|為)?[ \t\u3000]*(?P<n>{_N})[ \t\u3000]*(?P<cl>{_CL})"
)
# words that make what follows a rule or a condition, not a result
_RULE_BEFORE = _Lazy(
    r"(?:不得|不能|不予|不应|不可|应当|(?<![相对反供适响效呼])应(?!用)|須|须|必须|将|拟|(?<![认许])可|方可|才能"
    r"|争取|力争|确保|凡|若|(?<![例比])如(?!下)|一律|原则上|给予|給予)"
    r"[^，,。；;：:]{0,8}$"
)
_SUBJ_BACK = re.compile(_SUBJ)
_RULE_AFTER = _Lazy(
    r"给予|給予|予以|扣减|扣減|扣除|扣|取消|督促|约谈|約談|通报|通報|压减|壓減|减少|減少|削减|削減|调减|調減"
    r"|不予|暂缓|暫緩|优先|優先|奖励|獎勵|支持|安排|挂钩|掛鉤|问责|問責|整改|收回|列入|作为|作為|按照|将|將"
    r"|应|應|须|須|不得|可以|原则上|原則上|一律|视为|視為|确定|確定"
)
_FIGURE_AFTER = re.compile(r"[0-9０-９%％]|占|共|合计")
# a threshold before the cue makes the grade a rule: 得分90分以上的项目评为优
_THRESHOLD_BEFORE = re.compile(r"分[（(]?含?[0-9]*分?[）)]?(?:以上|以下|及以上|及以下)|(?:以上|以下)的")
# every cue ends in 为/為/是/：/: right before the (quoted) level: find those characters
# (str.find runs in C), check the level's first character, then match the cue backwards
_CUE_END_CHARS = "为為是：:评評"
_LEVEL_FIRST = frozenset("优優良中一合不较較差ABCDＡＢＣＤ")
_QUOTES = frozenset("\"“「『‘'")
_CUE_BACK = _Lazy(rf"{_CUE}$")
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
# a conditional clause right before the cue: 得分在90分以上的，评价等级为“优” (a rule)
_CONDITIONAL_BEFORE = re.compile(r"的[ \t\u3000]*[，,][ \t\u3000]*$")
# a threshold right after the level: 评价结果为“中”及以下的项目 (a rule)
_BAND_AFTER = re.compile(r"(?:及以下|及以上|以下|以上|或以下|或以上)")
# the list goes on without counts after 分别/依次: 评价等级分别为“良”和“中”
_CONT_BARE = _Lazy(rf"[ \t\u3000]*(?:、|和|及|与|與|，|,)[ \t\u3000]*(?P<q>{_Q1})(?P<lv>{_LV}){_Q2}")
# a count with a quoted level and 等级, no cue: 1,020个“优”等级项目
_COUNT_LEVEL = _Lazy(
    rf"(?P<n>{_N})[ \t\u3000]*(?P<cl>{_CL})[ \t\u3000]*[\"“「『‘'](?P<lv>{_LV})[\"”」』’'](?:等级|等級|等次)(?P<subj>{_SUBJ})?$"
)
# a list of levels with counts and no cue: A级2个、B级1个、C级1个 / 优5个，良3个
_ITEM = (
    rf"(?:优秀|優秀|良好|中等|较差|較差|[优優良中差](?![化先质質势勢])|[A-DＡ-Ｄ](?=[级級]))"
    rf"(?:级|級|等级|等級|等次)?(?:的)?(?:{_SUBJ})?(?:共|有)?[ \t\u3000]*{_N}[ \t\u3000]*{_CL}"
)
_LIST = _Lazy(rf"(?P<first>{_ITEM})(?:[ \t\u3000]*[、，,；;和及][ \t\u3000]*{_ITEM})+")
_ITEM_ONE = _Lazy(
    rf"(?P<lv>优秀|優秀|良好|中等|较差|較差|[优優良中差]|[A-DＡ-Ｄ])(?:级|級|等级|等級|等次)?(?:的)?(?P<subj>{_SUBJ})?(?:共|有)?[ \t\u3000]*(?P<n>{_N})[ \t\u3000]*(?P<cl>{_CL})"
)
_LIST_LEAD = ("其中", "中", "即", "为", "為", "是", "有", "结果", "結果", "：", ":")
# the list goes on with the count first: 3个项目评价结果为“良”，2个项目为“中”
_CONT_BEFORE = _Lazy(
    rf"[、，,；;][ \t\u3000]*(?P<n>{_N})[ \t\u3000]*(?P<cl>{_CL})(?P<subj>{_SUBJ})?(?:的)?(?:{_CUE}|为|為|是)"
    rf"[ \t\u3000]*{_Q1}(?P<lv>{_LV}){_Q2}(?:等级|等級|等次|级|級)?"
)


def _count(s: str) -> int | None:
    if s[-1] in "0123456789０１２３４５６７８９":
        return int(s.replace(",", "").replace("，", ""))
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
        respectively = any(w in m.group("cue") for w in ("分别", "分別", "依次"))
        # a count before the cue: 16个评级为良 (not with 分别: 两个项目分别为“优”和“良”)
        if count is None and not respectively:
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
        if count is None and _CONDITIONAL_BEFORE.search(text, max(0, s - 4), s):
            continue  # 得分在90分以上的，评价等级为“优”: the grade is the consequence of a condition
        if count is None and _BAND_AFTER.match(text, e):
            continue  # 评价结果为“中”及以下的项目: a threshold
        if mask is not None and mask.hit(s, e):
            continue
        out.append(Grade(text=text[s:e], start=s, end=e, level=_level(m.group("lv")), count=count,
                         subject=subj or _subject_before(text, s)))
        pos = e
        if count is None and respectively:
            while True:  # 评价等级分别为“良”和“中”
                c = _CONT_BARE.match(text, pos)
                if c is None or _BAND_AFTER.match(text, c.end()):
                    break
                k = c.start("q") if c.group("q") else c.start("lv")
                out.append(Grade(text=text[k:c.end()], start=k, end=c.end(), level=_level(c.group("lv")),
                                 count=None, subject=subj or _subject_before(text, k)))
                pos = c.end()
        if count is not None and s < m.start():  # the count came first: 3个项目评价结果为“良”，2个项目为“中”
            while True:
                c = _CONT_BEFORE.match(text, pos)
                if c is None or _BAND_AFTER.match(text, c.end()) or text[c.end():c.end() + 1] in ("的", "之"):
                    break
                k = c.start("n")
                out.append(Grade(text=text[k:c.end()], start=k, end=c.end(), level=_level(c.group("lv")),
                                 count=_count(c.group("n")), subject=c.group("subj") or subj or _subject_before(text, k)))
                pos = c.end()
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
                    text=text[k:c.end()], start=k, end=c.end(), level=_level(lv),
                    count=_count(c.group("n")), subject=c.group("subj") or subj or _subject_before(text, k),
                ))
                pos = c.end()
    _cueless(text, out, mask)
    if "|" in text or "\t" in text:
        _table_grades(text, out, mask)
    out.sort(key=lambda g: g.start)
    return out


_GRADE_HEADER = _Lazy(r"^(?:评价|绩效|自评|综合|評價|績效|自評|綜合)?(?:等级|等級|等次|评级|評級|评价结果|評價結果)$")
_CELL_LEVEL = _Lazy(rf"^[ \t\u3000]*[\"“「]?(?P<lv>{_LV})[\"”」]?(?:级|級)?[ \t\u3000]*$")


def _table_grades(text: str, out: list[Grade], mask: Mask | None) -> None:
    """A grade column in a flattened table (`|项目|得分|等级|` then `|道路养护|92|优|`)."""
    from extractors.scores import _cells  # the same cell splitter as the score columns

    lines, pos = [], 0
    for line in text.split("\n"):
        lines.append((line, pos))
        pos += len(line) + 1
    i = 0
    while i < len(lines):
        line, base = lines[i]
        i += 1
        if not ("|" in line or "\t" in line) or not any(k in line for k in ("等级", "等級", "等次", "评级", "評級", "结果", "結果")):
            continue
        header = _cells(line, base)
        idx = [k for k, (c, _, _) in enumerate(header) if _GRADE_HEADER.match(c.strip())]
        if len(header) < 2 or len(idx) != 1:
            continue
        k = idx[0]
        from_right = len(header) - 1 - k
        while i < len(lines):
            row, rbase = lines[i]
            if not row.strip() or not ("|" in row or "\t" in row):
                break
            cells = _cells(row, rbase)
            i += 1
            j = k if len(cells) == len(header) else len(cells) - 1 - from_right
            if not 0 <= j < len(cells):
                continue
            c, cs, _ = cells[j]
            m = _CELL_LEVEL.match(c)
            if m is None:
                continue
            st = cs + len(c) - len(c.lstrip(" \t\u3000"))
            en = cs + len(c.rstrip(" \t\u3000"))
            if _free(out, st, en) and not (mask and mask.hit(st, en)):
                out.append(Grade(text=text[st:en], start=st, end=en, level=_level(m.group("lv")), count=None, subject=None))


_FW_LETTERS = str.maketrans("ＡＢＣＤ", "ABCD")


def _level(lv: str) -> str:
    return _NORM.get(lv) or lv.translate(_FW_LETTERS)


def _free(out: list[Grade], s: int, e: int) -> bool:
    return not any(g.start < e and s < g.end for g in out)


_NUMERALS = frozenset("0123456789０１２３４５６７８９一二两兩三四五六七八九十")


def _list_matches(text: str):
    """Level lists (A级2个、B级1个): anchored on the level characters (str.find) that have a
    numeral within the next four characters, instead of scanning every position."""
    starts = []
    for ch in "优優良中差级級":
        p = text.find(ch)
        while p >= 0:
            if not _NUMERALS.isdisjoint(text[p + 1:p + 5]):
                if ch in "级級":  # A级2个: the letter starts the item
                    if p > 0 and text[p - 1] in "ABCDＡＢＣＤ":
                        starts.append(p - 1)
                elif ch == "差" and p > 0 and text[p - 1] in "较較":
                    starts.append(p - 1)
                else:
                    starts.append(p)
            p = text.find(ch, p + 1)
    starts.sort()
    pos = 0
    for st in starts:
        if st < pos:
            continue
        m = _LIST.match(text, st)
        if m is not None:
            pos = m.end()
            yield m


def _cueless(text: str, out: list[Grade], mask: Mask | None) -> None:
    """Grades written without a grading cue: 1,020个“优”等级项目 / A级2个、B级1个、C级1个."""
    for key in ("等级", "等級", "等次"):
        p = text.find(key)
        while p >= 0:
            m = _COUNT_LEVEL.search(text, max(0, p - 24), p + 2)
            if m is not None and _free(out, m.start(), m.end()) and not (mask and mask.hit(m.start(), m.end())):
                e, subj = m.end(), m.group("subj")
                sm = _SUBJ_BACK.match(text, e) if subj is None else None
                if sm is not None:
                    e, subj = sm.end(), sm.group()
                out.append(Grade(text=text[m.start():e], start=m.start(), end=e, level=_level(m.group("lv")),
                                 count=_count(m.group("n")), subject=subj or _subject_before(text, m.start())))
            p = text.find(key, p + 1)
    for m in _list_matches(text):
        s = m.start()
        before = text[max(0, s - 2):s]
        if s > 0 and "\u4e00" <= text[s - 1] <= "\u9fff" and not any(before.endswith(w) for w in _LIST_LEAD):
            continue
        items = list(_ITEM_ONE.finditer(text, s, m.end()))
        if len({i.group("lv") for i in items}) < len(items):
            continue  # a list of grades names each level once
        for i in items:
            if _free(out, i.start(), i.end()) and not (mask and mask.hit(i.start(), i.end())):
                out.append(Grade(text=i.group(), start=i.start(), end=i.end(), level=_level(i.group("lv")),
                                 count=_count(i.group("n")), subject=i.group("subj") or _subject_before(text, i.start())))
