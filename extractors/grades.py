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

Lists read with or without a cue, in either order and with or without quotes:
`复核结果为：“优”41个、“良”58个` (the cue may end in 为：), `41个“优”、58个“良”`,
`12个项目为“优”、7个项目为“良”` (a bare 中 right after a count is the preposition: 12个项目中),
and levels first with counts after 分别/依次 (`优、良、中的项目分别为5个、3个、1个`).
A result restated in a follow-up measure is a grade when it has a count
(`对复核为“差”的5个项目，暂停安排`) or names one project (`对评价等级为“中”的城东污水厂扩建
项目压减预算`: a category such as 所有/新增/政府投资项目, or a rule word such as 一律, keeps it a
rule); a count followed by 以上/以下 is a threshold.

Anchored on the grading cue's last character (为/是/：/评) with the standard `re` module.
"""
from __future__ import annotations

import re

from extractors.spans import Mask, contains
from schemas.models import trusted
from extractors.tables import has_row_marks, is_row as _is_row, lines_with_offsets, row_cells
from schemas import Grade

try:  # the shared number grammar (Chinese numerals in counts: 两个, 十五个)
    from extractors.numbers import parse_number
except ImportError:  # pragma: no cover
    parse_number = None

class _Lazy:
    """A pattern compiled on first use: the big grade patterns cost ~20 ms to compile, paid
    only by documents that have a grading cue (cold start of `jixiao extract` matters)."""

    # after the first use the methods sit in slots: a slot read, not a __getattr__ call, each time
    __slots__ = ("_args", "_p", "match", "search", "finditer", "fullmatch")

    def __init__(self, *args):
        self._args, self._p = args, None

    def __getattr__(self, name):  # only for names whose slot is still empty, or not a slot (pattern …)
        p = self._p
        if p is None:
            p = self._p = re.compile(*self._args)
            self.match, self.search, self.finditer, self.fullmatch = p.match, p.search, p.finditer, p.fullmatch
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
    r"(?:(?:综合|綜合)?(?:绩效|績效)?(?:评价|评估|考核|自评|复核|評價|評估|自評|複核)?"
    r"(?:等级|等級|等次|评级|評級|级别|級別|结果|結果)(?:均|全部|都|分别|分別|依次)?"
    r"(?:(?:为|為|是)[ \t\u3000]*[：:]?|评定为|確定為|确定为|如下[：:]|[：:])"
    r"|(?:被|均|获|獲)?(?:评|評)(?:定|价|估|價)?(?:为|為)|获评|獲評"
    r"|(?:复核|複核|核定|认定|認定)(?:为|為)"
    # the level quoted right after 等级 (自评得分87.6分、等级“良好”)
    r"|(?:评价|評價|自评|自評|绩效|績效|综合|綜合)?(?:等级|等級|等次)(?=[\"“「『])"
    # 评定“优秀”等次21个: the verb right before a quoted level
    r"|(?:评定|評定|评出|評出))"
)
_GRADE = _Lazy(
    rf"(?P<cue>{_CUE})[ \t\u3000]*{_Q1}(?P<lv>{_LV}){_Q2}(?:等级|等級|等次|级|級|档次|檔次)?"
    rf"(?:(?:的|之)?(?P<subj>{_SUBJ})?(?:数量|數量|个数|個數|数|數)?(?:共有|共计|共|有|为|為|达|達)?[ \t\u3000]*(?P<n>{_N})(?:[ \t\u3000]*|\n)(?P<cl>{_CL}))?"
)
# a count written before the cue: 1个评级为良, 3个项目评价等级为优
_BEFORE = _Lazy(
    rf"(?P<n>{_N})[ \t\u3000]*(?P<cl>{_CL})(?P<subj>{_SUBJ})?(?:的)?(?:绩效|績效)?$"
)
# the list goes on: 、良好的5个 / ，“良”的项目3个 / 、良好5个 / ，为“良”的部门9个
_CONT = _Lazy(
    rf"[、，,；;][ \t\u3000]*(?:{_CUE}|为|為)?[ \t\u3000]*{_Q1}(?P<lv>{_LV}){_Q2}(?:等级|等級|等次|级|級)?"
    rf"(?:的|之)?(?P<subj>{_SUBJ})?(?:共有|共计|共|有|为|為)?[ \t\u3000]*(?P<n>{_N})(?:[ \t\u3000]*|\n)(?P<cl>{_CL})"
)
# words that make what follows a rule or a condition, not a result
_RULE_BEFORE = _Lazy(
    r"(?:不得|不能|不予|不应|不可|应当|(?<![相对反供适响效呼])应(?!用)|須|须|必须|将|拟|(?<![认许])可|方可|才能"
    r"|争取|力争|确保|凡|若|(?<![例比])如(?!下)|一律|原则上|给予|給予)"
    r"[^，,。；;：:]{0,8}$"
)
_SUBJ_BACK = re.compile(_SUBJ)
# a level joined to a further condition before the 的 that closes it
_CONDITION_TAIL = re.compile(r"[且或][^，,。；;：:\n]{0,24}?[的之]")
# a share stated after a graded count, before the list goes on: ，占比46% / （占38%）
_SHARE = re.compile(r"[ \t\u3000]*[，,（(][ \t\u3000]*(?:占比|占|比例为|比重为|比重)[^，,；;。）)\n]{0,16}?[%％][）)]?")
# a counted set the sentence names before “all of them”: 2个部门, 5个项目
_COUNTED_SET = _Lazy(rf"(?P<n>{_N})[ \t\u3000]*(?P<cl>{_CL})(?P<subj>{_SUBJ})")
_RULE_AFTER = _Lazy(
    r"给予|給予|予以|扣减|扣減|扣除|扣|取消|督促|约谈|約談|通报|通報|压减|壓減|减少|減少|削减|削減|调减|調減"
    r"|不予|暂缓|暫緩|优先|優先|奖励|獎勵|支持|安排|挂钩|掛鉤|问责|問責|整改|收回|列入|作为|作為|按照|将|將"
    r"|应|應|须|須|不得|可以|原则上|原則上|一律|视为|視為|确定|確定"
)
# a named project after the grade's 的 (城区道路改造项目): no 的 inside, at least four characters
_NAMED = _Lazy(
    r"(?P<name>[^的，,。；;：:、\s“”「」\"'0-9０-９%％]{4,30}?)"
    r"(?P<kind>项目|項目|工程|专项资金|專項資金|专项|專項|政策|计划|計劃)"
    # a named body, whose name may be short (区水务局, 县医院)
    r"|(?P<bname>[^的，,。；;：:、\s“”「」\"'0-9０-９%％]{2,30}?)(?P<bkind>局|委员会|委|办公室|中心|医院|学校)(?=[，,。；;]|$)"
)
# a restatement takes up its object with 对/针对 in the same clause: 一是对评价等级为“中”的…
_RESTATED = _Lazy(r"(?:对|對)[^，,。；;：:\n]{0,10}$")
# …but a category is not a name: 所有项目, 新增项目, 政府投资项目, 下一年度项目
_GENERIC = _Lazy(
    r"所有|全部|相关|相關|类|類|各项|各項|新增|延续|延續|续建|續建|存量|其他|其余|其餘"
    r"|预算|預算|年度|次年|基本建设|基本建設|政府投资|政府投資|一般性|部门|部門|单位|單位|支出|转移支付|轉移支付|上述|以上|以下"
)
# rule words after a named project: 一律, 原则上, 不再, 不得, 应, 须, 可
_RULE_MODAL = _Lazy(r"优先|優先|一律|原则上|原則上|不再|不得|不予|应|應|须|須|必须|可以|均将|均將|将|將")
_FIGURE_AFTER = re.compile(r"[0-9０-９%％]|占|共|合计")
# a threshold before the cue makes the grade a rule: 得分90分以上的项目评为优
_THRESHOLD_BEFORE = re.compile(r"分[（(]?含?[0-9]*分?[）)]?(?:以上|以下|及以上|及以下)|(?:以上|以下)的")
# every cue ends in 为/為/是/：/: right before the (quoted) level: find those characters
# (str.find runs in C), check the level's first character, then match the cue backwards
_CUE_END_CHARS = "为為是：:评評"
_LEVEL_FIRST = frozenset("优優良中一合不较較差ABCDＡＢＣＤ")
_QUOTES = frozenset("\"“「『‘'")
_CUE_BACK = _Lazy(rf"{_CUE}$")
_QUOTED_CUE_BACK = re.compile(r"(?:评价|評價|自评|自評|绩效|績效|综合|綜合)?(?:等级|等級|等次)$")
_CUE_KEYS = frozenset("级級次果评評核定")  # one of these stands within 4 characters before every cue's end


_CUE_END = re.compile(r"[为為是：:评評定出](?=[ \t\u3000]*[\"“「『‘']?[优優良中一合不较較差A-DＡ-Ｄ])")
# the same, one pattern per character: a literal first character is found with a fast
# string search, a character class is tried at every position (~10 ns a character)
_CUE_END_ONE = tuple((c, re.compile(c + _CUE_END.pattern[_CUE_END.pattern.index("]") + 1:])) for c in "为為是：:评評定出")


_JI_CI = frozenset("级級次")


def _candidates(text: str):
    ends = []
    for ch, pattern in _CUE_END_ONE:
        # (`ch in text` first: a one-character `in` skips along at memory speed, ~0.2 µs a
        # report, a pattern's scan for its first character takes ~2 µs; 為, 評, : are rare)
        if ch in text:
            ends += [m.start() for m in pattern.finditer(text)]
    hits = [p for p in ends if text[p] in "评評" or not _CUE_KEYS.isdisjoint(text[max(0, p - 4):p])]
    quoted = []  # 等级“良好”: the cue ends in 级/次, right before the quote
    p = text.find("等")  # (等级, 等級, 等次 from each 等: a one-character find skips along in C, a two-character one reads every character)
    while p >= 0:
        if text[p + 1:p + 2] in _JI_CI and text[p + 2:p + 3] in _QUOTES and text[p + 3:p + 4] in _LEVEL_FIRST:
            quoted.append(p + 1)
        p = text.find("等", p + 1)
    if quoted:
        hits = sorted(set(hits + quoted))
    else:
        hits.sort()
    for p in hits:
        c = _CUE_BACK.search(text, max(0, p - 12), p + 1) if p not in quoted else _QUOTED_CUE_BACK.search(text, max(0, p - 6), p + 1)
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
# (quoted levels may follow one another with no separator: 分别为“良”“优”“中”)
_CONT_BARE = _Lazy(rf"[ \t\u3000]*(?:(?:、|和|及|与|與|，|,)[ \t\u3000]*|(?=[\"“「『‘']))(?P<q>{_Q1})(?P<lv>{_LV}){_Q2}")
# a count with a quoted level and 等级, no cue: 1,020个“优”等级项目
_COUNT_LEVEL = _Lazy(
    rf"(?P<n>{_N})[ \t\u3000]*(?P<cl>{_CL})[ \t\u3000]*[\"“「『‘'](?P<lv>{_LV})[\"”」』’'](?:等级|等級|等次)(?P<subj>{_SUBJ})?$"
)
# a list of levels with counts and no cue: A级2个、B级1个、C级1个 / 优5个，良3个
_ITEM = (
    rf"{_Q1}(?:优秀|優秀|良好|中等|较差|較差|[优優良中差](?![化先质質势勢])|[A-DＡ-Ｄ](?=[级級])){_Q2}"
    rf"(?:级|級|等级|等級|等次)?(?:的)?(?:{_SUBJ})?(?:共|有)?[ \t\u3000]*{_N}[ \t\u3000]*{_CL}"
)
_LIST = _Lazy(rf"(?P<first>{_ITEM})(?:[ \t\u3000]*[、，,；;和及][ \t\u3000]*{_ITEM})+")
_ITEM_ONE = _Lazy(
    rf"{_Q1}(?P<lv>优秀|優秀|良好|中等|较差|較差|[优優良中差]|[A-DＡ-Ｄ]){_Q2}(?:级|級|等级|等級|等次)?(?:的)?(?P<subj>{_SUBJ})?(?:共|有)?[ \t\u3000]*(?P<n>{_N})(?:[ \t\u3000]*|\n)(?P<cl>{_CL})"
)
_LIST_LEAD = ("其中", "中", "即", "为", "為", "是", "有", "结果", "結果", "：", ":", "评定", "評定", "认定", "認定", "核定", "定级", "定級")
# the list goes on with the count first: 3个项目评价结果为“良”，2个项目为“中”
_CONT_BEFORE = _Lazy(
    rf"[、，,；;][ \t\u3000]*(?P<n>{_N})(?:[ \t\u3000]*|\n)(?P<cl>{_CL})(?P<subj>{_SUBJ})?(?:的)?(?:{_CUE}|为|為|是)"
    rf"[ \t\u3000]*{_Q1}(?P<lv>{_LV}){_Q2}(?:等级|等級|等次|级|級)?"
)


_new_grade = trusted(Grade, ("text", "start", "end", "level", "count", "subject"))


_MERGED_LEVELS = re.compile(r"[ \t\u3000]*(?:(?:和|及|与|與|、)[ \t\u3000]*|(?=[“\"「『]))[“\"「『]?(?:优秀|良好|中等|较差|優秀|較差|优|優|良|中|差)"
                            r"[”\"」』]?(?:等级|等級|等次)?[ \t\u3000]*(?:的|之)")


def _grade(text: str, start: int, end: int, level: str, count, subject) -> Grade:
    """Grade(...) without validation: every caller passes str/int/None values (see schemas.models.trusted)."""
    return _new_grade({"text": text, "start": start, "end": end, "section": None,
                                   "level": level, "count": count, "subject": subject})


def _level_subject(kind: str) -> str:
    return {"工程": "项目", "专项": "专项资金", "專項": "專項資金", "计划": "项目", "計劃": "項目"}.get(
        kind, "部门" if kind in _BODY_KINDS else kind)


_LEVEL_AFTER = re.compile(r"[ \t\u3000]*(?:和|及|与|與|、)[ \t\u3000]*[“\"「『]?(?:优秀|良好|中等|较差|優秀|較差|优|優|良|中|差)(?:[”\"」』](?![的之])|(?![”\"」』的之]))")
_RESPECTIVE_BEFORE = re.compile(r"(?:分别|分別|依次)[^。；;]*$")
_ITEM_NOUNS = ("项目", "項目", "部门", "部門", "单位", "單位", "政策")
_BODY_KINDS = frozenset(("局", "委员会", "委", "办公室", "中心", "医院", "学校"))  # a named body (区水务局): its 部门整体 grade


def _count(s: str) -> int | None:
    if s[-1] in "0123456789０１２３４５６７８９":
        return int(s.replace(",", "").replace("，", ""))
    if parse_number is not None:
        v = parse_number(s)
        return int(v) if v is not None else None
    return None


def _last_before(pattern, text: str, start: int, reach: int):
    """The last match of `pattern` between the sentence's start (at most `reach` characters
    back) and `start`, or None."""
    lo = max(0, start - reach)
    for c in _CLAUSE_STOP:
        i = text.rfind(c, lo, start)
        if i >= 0:
            lo = i + 1
    last = None
    for last in pattern.finditer(text, lo, start):
        pass
    return last


def _subject_before(text: str, start: int) -> str | None:
    m = _last_before(_SUBJ_BACK, text, start, 80)
    return m.group() if m is not None else None


def extract(text: str, mask: Mask | None = None) -> list[Grade]:
    out: list[Grade] = []
    if contains(text, "分别") or contains(text, "分別") or contains(text, "依次", 0):
        _respective_counts(text, out, mask)  # 评价结果为优、良的项目分别为5个、3个: before the cue reads 优 alone
    taken = [(g.start, g.end) for g in out]
    pos = 0
    for m in _candidates(text):
        if m.start() < pos:
            continue
        s, e = m.span()
        if taken and any(a < e and s < b for a, b in taken):
            continue
        count = _count(m.group("n")) if m.group("n") else None
        subj = m.group("subj")
        respectively = any(w in m.group("cue") or text.endswith(w, max(0, s - 2), s)
                           for w in ("分别", "分別", "依次"))  # (in the cue, or just before it: 分别被评为)
        if not respectively and m.group("n") is None and _LEVEL_AFTER.match(text, e) and _RESPECTIVE_BEFORE.search(text, max(0, s - 40), s):
            respectively = True  # 得分分别为88.5分和91.2分，等级为“良”和“优”: the scores' 分别 lists the levels too
        # a count before the cue: 16个评级为良 (not with 分别: 两个项目分别为“优”和“良”)
        if count is None and not respectively:
            b = _BEFORE.search(text, max(0, s - 14), s)
            if b is not None:
                count = _count(b.group("n"))
                subj = subj or b.group("subj")
                s = b.start()
        if count is None and text[e:e + 1] in ("且", "或") and _CONDITION_TAIL.match(text, e):
            continue  # 对自评结果为“优”且执行良好的项目…, 评价为“中”或“差”的: a condition
        elif count is None and text[e:e + 1] in ("的", "之"):
            # …为良的，督促改进 / …为优的部门给予支持: a condition, unless what follows the 的
            # reports a figure (评价等级为优的项目占比95%)
            rest = text[e + 1:e + 31]
            cut = min((i for i in (rest.find(c) for c in "。；;\n，,") if i >= 0), default=len(rest))
            rest = rest[:cut]
            named = _NAMED.match(rest)
            if named is not None and _RESTATED.search(text, max(0, s - 12), s) \
                    and not _GENERIC.search(named.group("name") or named.group("bname")) and not _RULE_MODAL.search(rest, named.end()):
                # 对评价等级为“中”的城区道路改造项目压减预算: the grade of one named project, restated
                subj = subj or _level_subject(named.group("kind") or named.group("bkind"))
            elif not rest or _RULE_AFTER.search(rest) or not _FIGURE_AFTER.search(rest):
                continue
            else:
                after = _SUBJ_BACK.match(rest)
                subj = subj or (after.group() if after else None)
        elif count is not None and _BAND_AFTER.match(text, e):
            continue  # 评级为“差”的项目3个以上的: a threshold
        if count is not None and subj is None:
            after = _SUBJ_BACK.match(text, e)  # 复核为“差”的5个项目
            subj = after.group() if after else None
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
        if count is None and not respectively and ("均" in m.group("cue") or "全部" in m.group("cue") or "都" in m.group("cue")):
            # 2个部门整体支出评价等级均为“良” / 2个部门…涉及资金1.82亿元，评价等级均为“良”: “all of
            # them” takes its count from the set the sentence named before the cue (once the
            # grade is known to be a result: the rule tests above read the cue's own context)
            b = _last_before(_COUNTED_SET, text, s, 60)
            if b is not None:
                count, subj = _count(b.group("n")), subj or b.group("subj")
                if not any(c in text[b.end():s] for c in "，,"):
                    s = b.start()  # in the same clause: the count belongs to the fact
        if count is None and not respectively and _MERGED_LEVELS.match(text, e):
            continue  # 评价结果为“中”和“差”的5个项目, 评价等级为“优”“良”的项目: two levels taken together, a reference to those graded
        if mask is not None and mask.hit(s, e):
            continue
        out.append(_grade(text=text[s:e], start=s, end=e, level=_level(m.group("lv")), count=count,
                         subject=subj or _subject_before(text, s)))
        pos = e
        if count is None and respectively:
            while True:  # 评价等级分别为“良”和“中”
                c = _CONT_BARE.match(text, pos)
                if c is None or _BAND_AFTER.match(text, c.end()):
                    break
                k = c.start("q") if c.group("q") else c.start("lv")
                out.append(_grade(text=text[k:c.end()], start=k, end=c.end(), level=_level(c.group("lv")),
                                 count=None, subject=subj or _subject_before(text, k)))
                pos = c.end()
        if count is not None and s < m.start():  # the count came first: 3个项目评价结果为“良”，2个项目为“中”
            while True:
                c = _CONT_BEFORE.match(text, pos)
                if c is None or _BAND_AFTER.match(text, c.end()) or text[c.end():c.end() + 1] in ("的", "之"):
                    break
                k = c.start("n")
                out.append(_grade(text=text[k:c.end()], start=k, end=c.end(), level=_level(c.group("lv")),
                                 count=_count(c.group("n")), subject=c.group("subj") or subj or _subject_before(text, k)))
                pos = c.end()
        if count is not None:
            while True:
                c = _CONT.match(text, pos)
                if c is None and text.startswith(_ITEM_NOUNS, pos):  # …的2个项目、“良”的5个项目
                    c = _CONT.match(text, pos + next(len(w) for w in _ITEM_NOUNS if text.startswith(w, pos)))
                if c is None:
                    share = _SHARE.match(text, pos)  # “优秀”的23个，占比46%；“良好”的19个…
                    c = _CONT.match(text, share.end()) if share is not None else None
                if c is None:
                    break
                lv = c.group("lv")
                cs = c.start("lv") - (1 if text[c.start("lv") - 1] in "\"“「『‘'" else 0)
                # the cue, when repeated, belongs to the fact
                k = c.start()
                while k < cs and text[k] in "、，,；; \t\u3000":
                    k += 1
                out.append(_grade(
                    text=text[k:c.end()], start=k, end=c.end(), level=_level(lv),
                    count=_count(c.group("n")), subject=c.group("subj") or subj or _subject_before(text, k),
                ))
                pos = c.end()
    _cueless(text, out, mask)
    if has_row_marks(text):
        _table_grades(text, out, mask)
    out.sort(key=lambda g: g.start)
    return out


_GRADE_HEADER = _Lazy(r"^(?:评价|绩效|自评|综合|評價|績效|自評|綜合)?(?:等级|等級|等次|评级|評級|评价结果|評價結果)$")
_CELL_LEVEL = _Lazy(rf"^[ \t\u3000]*[\"“「]?(?P<lv>{_LV})[\"”」]?(?:级|級)?[ \t\u3000]*$")


def _table_grades(text: str, out: list[Grade], mask: Mask | None) -> None:
    """A grade column in a flattened table (`|项目|得分|等级|` then `|道路养护|92|优|`)."""
    lines = lines_with_offsets(text)
    i = 0
    while i < len(lines):
        line, base = lines[i]
        i += 1
        if not _is_row(line) or not any(k in line for k in ("等级", "等級", "等次", "评级", "評級", "结果", "結果")):
            continue
        header = row_cells(line, base)
        idx = [k for k, (c, _, _) in enumerate(header) if _GRADE_HEADER.match(c.strip())]
        if len(header) < 2 or len(idx) != 1:
            continue
        k = idx[0]
        from_right = len(header) - 1 - k
        while i < len(lines):
            row, rbase = lines[i]
            if not row.strip() or not _is_row(row):
                break
            cells = row_cells(row, rbase)
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
                out.append(_grade(text=text[st:en], start=st, end=en, level=_level(m.group("lv")), count=None, subject=None))


_FW_LETTERS = str.maketrans("ＡＢＣＤ", "ABCD")


def _level(lv: str) -> str:
    return _NORM.get(lv) or lv.translate(_FW_LETTERS)


def _free(out: list[Grade], s: int, e: int) -> bool:
    return not any(g.start < e and s < g.end for g in out)


_NUMERALS = frozenset("0123456789０１２３４５６７８９一二两兩三四五六七八九十")



def _level_anchors(text: str) -> tuple[list[int], list[int]]:
    """One pass over the level characters (string searches, not a scan of every position)
    for both kinds of list: level first (A级2个、B级1个: a numeral within the next four
    characters) and count first (41个“优”、58个“良”: a classifier within the nine characters
    before)."""
    starts, first = [], set()
    hits = []
    for ch in "优優良差":
        p = text.find(ch)
        while p >= 0:
            hits.append((p, ch))
            p = text.find(ch, p + 1)
    # 中 and 级 are common (其中, 县级): only the occurrences the loop below can use are visited
    hits += [(m.start(), "中") for m in _MID_HIT.finditer(text)]
    hits += [(m.start(), m.group()) for c, pattern in zip("级級", _LETTER_LEVEL) if c in text for m in pattern.finditer(text)]
    for p, ch in hits:
        letter = ch in "级級"
        if letter or (
                ch != "中" or text[p - 1:p] in _MID_BEFORE or text[p + 1:p + 2] in _MID_AFTER):
            # (a bare 中 is the preposition, 项目中 / 其中, unless quoted or after 为: see _LVB)
            lo = max(0, p - 9)
            w = text[lo:p]
            if "个" in w or "個" in w or "项" in w or "項" in w or "家" in w:
                a = _CL_THEN_LEVEL.search(text, lo, p + 1)
                if a is not None:
                    b = _NUM_BACK.search(text, max(0, a.start() - 12), a.start())
                    if b is not None:
                        first.add(b.start())
        if not _NUMERALS.isdisjoint(text[p + 1:p + 5]):
            st = p
            if ch in "级級":  # A级2个: the letter starts the item
                st = p - 1 if p > 0 and text[p - 1] in "ABCDＡＢＣＤ" else -1
            elif ch == "差" and p > 0 and text[p - 1] in "较較":
                st = p - 1
            if st > 0 and text[st - 1] in _QUOTES:  # “优”41个: the quote starts the item
                st -= 1
            if st >= 0:
                starts.append(st)
    starts.sort()
    return starts, sorted(first)


def _list_matches(text: str, starts: list[int]):
    """Level lists (A级2个、B级1个) from their anchors."""
    pos = 0
    for st in starts:
        if st < pos:
            continue
        m = _LIST.match(text, st)
        if m is not None:
            pos = m.end()
            yield m


# a list with the count first: 41个“优”、58个“良” / 3个A级、2个B级
# (a bare 中 right after the count is the preposition: 12个项目中，…; it needs a quote, 为 or 等级)
_LVB = (
    r"(?:优秀|優秀|良好|中等|较差|較差|[优優良差](?![化先质質势勢])"
    r"|(?<=[为為是评評\"“「『‘'])中(?![央心期国國])|中(?=[\"”」』’'等级級])|[A-DＡ-Ｄ](?=[级級]))"
)
_ITEM_B = (
    rf"{_N}[ \t\u3000]*{_CL}(?:{_SUBJ})?(?:为|為|是|获评|獲評|评为|評為)?[ \t\u3000]*{_Q1}{_LVB}{_Q2}"
    rf"(?:级|級|等级|等級|等次)?(?![0-9０-９])"
)
_LIST_B = _Lazy(rf"{_ITEM_B}(?:[ \t\u3000]*[、，,；;和及][ \t\u3000]*{_ITEM_B})+")
_ITEM_B_ONE = _Lazy(
    rf"(?P<n>{_N})[ \t\u3000]*(?P<cl>{_CL})(?P<subj>{_SUBJ})?(?:为|為|是|获评|獲評|评为|評為)?[ \t\u3000]*{_Q1}"
    rf"(?P<lv>{_LVB}){_Q2}(?:级|級|等级|等級|等次)?"
)
_CL_THEN_LEVEL = _Lazy(
    rf"[个個项項家](?:{_SUBJ})?(?:为|為|是|获评|獲評|评为|評為)?[\"“「『‘']?(?:优|優|良|中|差|较|較|[A-DＡ-Ｄ][级級])"
)
_NUM_BACK = _Lazy(rf"{_N}[ \t\u3000]*$")
# levels first, counts after 分别/依次: 优、良、中的项目分别为5个、3个、1个
_RESP_LIST = _Lazy(
    rf"(?P<lvs>{_Q1}{_LV}{_Q2}(?:(?:[ \t\u3000]*[、和及与與，,/][ \t\u3000]*|(?<=[”」』’\"']))"
    rf"{_Q1}{_LV}{_Q2})+)"
    rf"(?:等级|等級|等次|级|級|档次|檔次)?(?:的)?(?P<subj>{_SUBJ})?(?:的)?(?:数量|數量|个数|個數|数|數)?"
    rf"(?:分别|分別|依次)(?:为|為|是|有|达|達)?[ \t\u3000]*"
    rf"(?P<ns>{_N}[ \t\u3000]*{_CL}(?:[ \t\u3000]*[、和及，,][ \t\u3000]*{_N}[ \t\u3000]*{_CL})+)"
)
_LEVEL_CHARS = frozenset("优優良好中等般合格差ABCDＡＢＣＤ")
_ONE_LV = _Lazy(rf"{_Q1}(?P<lv>{_LV}){_Q2}")
_ONE_N = _Lazy(rf"(?P<n>{_N})[ \t\u3000]*{_CL}")


def _add(text: str, out: list[Grade], mask: Mask | None, s: int, e: int, level: str, count, subj) -> None:
    if _free(out, s, e) and not (mask and mask.hit(s, e)):
        out.append(_grade(text=text[s:e], start=s, end=e, level=_level(level), count=count,
                         subject=subj or _subject_before(text, s)))


def _lead_ok(text: str, s: int) -> bool:
    before = text[max(0, s - 2):s]
    return not (s > 0 and "\u4e00" <= text[s - 1] <= "\u9fff" and not any(before.endswith(w) for w in _LIST_LEAD))


_LETTERS = frozenset("ABCDＡＢＣＤ")
_CLOSE_QUOTES = frozenset("\"”」』’'")
_MID_BEFORE = frozenset("为為是评評\"“「『‘'")
_MID_AFTER = frozenset("\"”」』’'等级級")


def _class(chars) -> str:
    return "[" + "".join(sorted(chars)).replace("\\", "\\\\").replace("]", "\\]").replace("^", "\\^").replace("-", "\\-") + "]"


# the 中 that _level_anchors can use: quoted or after 为 (a level, see _MID_BEFORE/_MID_AFTER),
# or followed by a numeral within four characters; and 级/級 after a letter (A级). The
# literal comes first, so the engine skips to each occurrence with a string search.
_MID_HIT = re.compile(
    rf"中(?:(?={_class(_MID_AFTER)})|(?<={_class(_MID_BEFORE)}中)|(?=[\s\S]{{0,3}}{_class(_NUMERALS)}))"
)
_LETTER_LEVEL = tuple(re.compile(rf"{c}(?<={_class(_LETTERS)}{c})") for c in "级級")


def _count_first_lists(text: str, out: list[Grade], mask: Mask | None, starts: list[int]) -> None:
    """41个“优”、58个“良”、19个“中”, from the counts found before the levels (_level_anchors)."""
    pos = 0
    for s in starts:
        if s < pos:
            continue
        m = _LIST_B.match(text, s)
        if m is None or not _lead_ok(text, s):
            continue
        items = list(_ITEM_B_ONE.finditer(text, s, m.end()))
        if len({_level(i.group("lv")) for i in items}) < len(items):
            continue
        pos = m.end()
        for i in items:
            _add(text, out, mask, i.start(), i.end(), i.group("lv"), _count(i.group("n")), i.group("subj"))


def _respective_counts(text: str, out: list[Grade], mask: Mask | None) -> None:
    """优、良、中的项目分别为5个、3个、1个: each level takes the count in the same place."""
    for key, rare in (("分别", -1), ("分別", -1), ("依次", 0)):
        # a key that is absent costs a whole-text read with find: test it from a rare character first
        p = text.find(key) if contains(text, key, rare) else -1
        while p >= 0:
            # cheap gates first: a level just before 分别 (within 12 characters: 等级的项目数量)
            # and a numeral just after it (为5个)
            m = None
            if not _LEVEL_CHARS.isdisjoint(text[max(0, p - 12):p]) \
                    and not _NUMERALS.isdisjoint(text[p + 2:p + 6]):
                m = _RESP_LIST.search(text, max(0, p - 40), p + 80)
            if m is not None and m.start("ns") > p >= m.end("lvs"):
                lvs = list(_ONE_LV.finditer(text, m.start("lvs"), m.end("lvs")))
                ns = list(_ONE_N.finditer(text, m.start("ns"), m.end("ns")))
                distinct = len({_level(v.group("lv")) for v in lvs}) == len(lvs)
                if len(lvs) == len(ns) and distinct:
                    for v, n in zip(lvs, ns):
                        _add(text, out, mask, v.start(), v.end(), v.group("lv"), _count(n.group("n")), m.group("subj"))
            p = text.find(key, p + 2)


def _cueless(text: str, out: list[Grade], mask: Mask | None) -> None:
    """Grades written without a grading cue: 1,020个“优”等级项目 / A级2个、B级1个、C级1个."""
    list_starts, first_starts = _level_anchors(text)
    if first_starts:
        _count_first_lists(text, out, mask, first_starts)
    # every 等级/等級/等次, from one search for 等 (a multi-character find reads the whole text
    # once per key), handled key by key as before
    at: dict[str, list[int]] = {"等级": [], "等級": [], "等次": []}
    p = text.find("等")
    while p >= 0:
        key = text[p:p + 2]
        if key in at:
            at[key].append(p)
        p = text.find("等", p + 1)
    for key in ("等级", "等級", "等次"):
        for p in at[key]:
            # _COUNT_LEVEL ends with a quoted level right before the key: test that character first
            m = _COUNT_LEVEL.search(text, max(0, p - 24), p + 2) if text[p - 1:p] in _CLOSE_QUOTES else None
            if m is not None and _free(out, m.start(), m.end()) and not (mask and mask.hit(m.start(), m.end())):
                e, subj = m.end(), m.group("subj")
                sm = _SUBJ_BACK.match(text, e) if subj is None else None
                if sm is not None:
                    e, subj = sm.end(), sm.group()
                out.append(_grade(text=text[m.start():e], start=m.start(), end=e, level=_level(m.group("lv")),
                                 count=_count(m.group("n")), subject=subj or _subject_before(text, m.start())))
    for m in _list_matches(text, list_starts):
        s = m.start()
        before = text[max(0, s - 2):s]
        if s > 0 and "\u4e00" <= text[s - 1] <= "\u9fff" and not any(before.endswith(w) for w in _LIST_LEAD):
            continue
        items = list(_ITEM_ONE.finditer(text, s, m.end()))
        if len({i.group("lv") for i in items}) < len(items):
            continue  # a list of grades names each level once
        for i in items:
            if _free(out, i.start(), i.end()) and not (mask and mask.hit(i.start(), i.end())):
                out.append(_grade(text=i.group(), start=i.start(), end=i.end(), level=_level(i.group("lv")),
                                 count=_count(i.group("n")), subject=i.group("subj") or _subject_before(text, i.start())))
