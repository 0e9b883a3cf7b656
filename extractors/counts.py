"""counts: a number + classifier counting real things, with the counted subject.

`794个项目` (subject after) · `项目支出绩效目标共计707个` (subject before) · `70余人` ·
`十五类` · `两批` · `不少于10个` (bound) · `3万人次` · `1 个部门`.

Not counts: fixed political or rhetorical phrases (“四个意识”, “两个维护”, 三本预算 as a
name, 一式两份, 成熟一个推出一个), durations (两个月内, 5个工作日), ordinals (第一次,
污水管网三期), percentage points (5个百分点), and 一次性."""
from __future__ import annotations

from typing import Optional

import re

from extractors.context import BAD_BEFORE_ARABIC, BAD_BEFORE_CN, CLAUSE_END, far_qualifier, is_bound
from extractors.context import _CLAUSE_END_RE  # (one class of CLAUSE_END's characters, compiled once)
from extractors.numbers import (
    AR, CN, PREFIX_LAST, RUN_LAST, RUN_NEXT, SUFFIX_RE, number_runs, prefix_before, combine_qualifiers, parse_number,
    grouped_head, CN_DIGITS,
)
from extractors.spans import EMPTY, Mask
from schemas.models import trusted
from schemas import Count

# Longest first so that 人次 wins over 人. Traditional forms beside the simplified.
CLASSIFIERS = (
    "人次", "户次", "批次", "个", "個", "家", "项", "項", "人", "次", "份", "条", "條", "类", "類",
    "批", "名", "所", "户", "戶", "篇", "本", "套", "轮", "輪", "期", "场", "場", "台", "座", "件",
    "稿", "笔", "筆", "张", "張", "间", "間", "届", "屆", "位", "支", "处", "處", "种", "種", "册", "冊",
    "组", "組", "宗", "起", "例", "辆", "輛", "所", "栋", "棟", "幢", "片", "眼", "艘", "架", "只",
)  # (亩 measures land, as 公里 measures road: a quantity of area, not a count of things)
_CLF_FIRST = frozenset(c[0] for c in CLASSIFIERS)
assert _CLF_FIRST <= RUN_NEXT and set("万萬千") <= RUN_LAST  # number_runs keeps the runs read here
# the two-character classifiers first (人次 before 人), then one class for the single
# characters: the engine tests a class at once, an alternation one branch at a time
_CLF = "|".join(sorted({c for c in CLASSIFIERS if len(c) > 1}, key=lambda c: (-len(c), c))) + \
    "|[" + "".join(sorted({c for c in CLASSIFIERS if len(c) == 1})) + "]"

_COUNT = re.compile(
    rf"(?P<num>{AR}|{CN})"
    rf"(?P<mult>万|萬|千)?"
    rf"(?P<inf>[余多餘])?"
    rf"(?:[ \u00a0]|\n(?=[个個项項家]))?"  # (“中”2⏎个: a line wrapped between the number and its classifier)
    rf"(?P<clf>{_CLF})"
    rf"(?P<suf>{SUFFIX_RE})?"
)

# What may follow a classifier and makes the whole a duration, a rate, a word or a name.
_BAD_AFTER = {
    "个": re.compile(r"月|小时|工作日|自然日|星期|季度|百分点|半月|年头|别|体|人(?!次)|性"),
    "個": re.compile(r"月|小時|工作日|星期|季度|百分點|別|體|性"),
    "次": re.compile(r"性|要|级|級|生|序|日|年|月"),
    "本": re.compile(r"预算|預算|级|級|身|质|質|着|来|來|部|单位|次|地|科|年|月|届|期"),
    "名": re.compile(r"单|單|称|稱|义|義|录|錄|额|額|片|牌"),
    "所": re.compile(r"有|属|屬|在|得|以|需|谓|述|示|称"),
    "台": re.compile(r"账|帳|阶|階|湾|灣"),
    "间": re.compile(r"隔|断|斷"),
    "間": re.compile(r"隔|斷"),
    "期": re.compile(r"间|間|限|内|內|末|初|中|满|滿|工程|项目|項目"),
    "位": re.compile(r"置|于|於|数|數"),
    "处": re.compile(r"理|置|罚|罰|长|長|室|于|於|分"),
    "處": re.compile(r"理|置|罰|長|室|於|分"),
    "支": re.compile(r"出|持|付|撑|部|队伍建设"),
    "种": re.compile(r"植|子"),
    "起": re.compile(r"来|來|草|步|始|点|點|到|止|的"),
    "例": re.compile(r"如|外|行|会|會"),
    "件": re.compile(r"事"),
    "条": re.compile(r"件|例|款|线|線"),
    "條": re.compile(r"件|例|款"),
    "片": re.compile(r"区|區"),
    "家": re.compile(r"庭|乡(?!镇)|鄉(?!鎮)|长|長|属|屬|具|电|電"),  # (20家乡镇卫生院: 家 counts 乡镇卫生院)
    "人": re.compile(r"民|大|社|口|才|事|员|員|力|群|均|身|文|工智能|为|為|们|們|性|格|心|情|物"),
    "项": re.compile(r"目(?!的)"),
    "項": re.compile(r"目"),
    # 十八届人大常委会, 十九届三中全会: the ordinal of a congress or plenum, written without 第
    "届": re.compile(r"人大|人民代表|政协|县委|市委|区委|党委|常委|全会|中央|全国|省委|纪委|一中|二中|三中|四中|五中|六中|七中"),
    "屆": re.compile(r"人大|人民代表|政協|縣委|市委|區委|黨委|常委|全會|中央|全國|省委|紀委|一中|二中|三中|四中|五中|六中|七中"),
    "批": re.compile(r"复|復|准|評|评|示|转|轉|判"),  # (分两批发行/发放: batches; 批发 needs no numeral)
    "份": re.compile(r"额|額"),
    "组": re.compile(r"织|織|长|長|成|建"),
    "场": re.compile(r"所|景|地|馆|館|面|合"),
    "轮": re.compile(r"换|換|流|岗|崗"),
    "座": re.compile(r"谈|談|位"),
    "宗": re.compile(r"旨|教|族"),
    "只": re.compile(r"有|是|要|能|需|在|对|對|会|會|得|好|管|用|限|为|為"),
}
# the first characters of each _BAD_AFTER pattern's alternatives (each starts with a plain
# character): most classifiers are followed by none of them, and a set test is cheaper than a match
# words opening with 一 after a classifier: 二十三个一级预算部门, 四類一級指標 (not 五个一工程)
_ONE_WORD = re.compile(r"一(?:级|級|般|线|線|类|類|批|季度)")

_BAD_FIRST = {}
for _clf, _bad in _BAD_AFTER.items():
    _alts = _bad.pattern.split("|")
    assert all(a and a[0] not in "()[]\\.^$*+?{}" for a in _alts), _bad.pattern
    _BAD_FIRST[_clf] = frozenset(a[0] for a in _alts)
del _clf, _bad, _alts

# Fixed phrases whose numerals name a doctrine, not a quantity (genre list; quoted slogans are
# caught generally below).
_SLOGAN_AFTER = re.compile(
    r"意识|意識|自信|维护|維護|确立|確立|代表|全面|务必|務必|坚持|堅持|一百年|没有变|沒有變|"
    r"统筹|統筹|转变|轉變|有利于|必须|必須|到位|服务|服務|落实|落實|不动摇|不動搖|基本|优先|優先|"
    r"只要|凡是|文明|建设|建設|三个|提升|作风|作風|监督|監督|责任|責任|结合|結合|体系|體系|确保|確保|攻坚|攻堅|同步|不变|不變"
)
_ORDINAL_CHARS = frozenset("第每逐头頭")
_NOT_PLACE_HEAD = frozenset("乡鄉镇鎮村街社城县縣市省区區个個重所")  # 三个乡镇, 两所乡镇学校: the classifier counts them
_QUOTE_OPEN = "“「『\"‘《"
_QUOTE_CLOSE = "”」』\"’》"

# Words that end a subject read after the classifier, or begin the predicate.
# (only where the first stop starts is used: the one-character stops are one class, and 共计/及时
# are covered by 共/及)
_SUBJECT_END = re.compile(
    r"[，。；;：:！？!?\n\t|共中均已为為达達和与與及0-9０-９]|的(?!项目|單位|单位|部门|部門)"
    r"|开展|進行|进行|实施|實施|纳入|納入|涉及|作为|作為|申报|申報|合计|金额|全部|进入|予以|以及"
)
_SUBJECT_OK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaffA-Za-z（）()“”\"、·\-－—]+")
_SUBJECT_RUN = re.compile(rf"{_SUBJECT_OK.pattern[:-1]}(?:(?!{_SUBJECT_END.pattern}){_SUBJECT_OK.pattern[:-1]}){{0,23}}")
_SUBJECT_STOP = re.compile(
    r"^[的了和与及等、个（(被获]|^(?:开展|进行|实施|纳入|涉及|作为|申报|共计|合计|参加|参与|评级|评为|评价为|"
    r"完成|通过|出席|到会|报名|受益|接受|审核|达到|以上|以下|左右|分别|均|全部)"
)
_LAST_CLAUSE_END = re.compile(rf".*[{re.escape(CLAUSE_END)}]", re.S)
_CUE_BEFORE = re.compile(r"(?:共计|共計|合计|合計|总计|總計|累计|累計|共有|共|计|計|达|達|为|為|有|约|約)$")
_CUE_WORDS_2 = frozenset(("共计", "共計", "合计", "合計", "总计", "總計", "累计", "累計", "共有"))
_CUE_WORDS_1 = frozenset("共计計达達为為有约約")
_LEAD_CUES = ("其中", "一是", "二是", "三是")
_PARENS = frozenset("（()）")


def _subject(text: str, start: int, end: int) -> Optional[str]:
    """The counted noun phrase: read forward from the classifier (`6个项目`), else back to
    the clause start (`项目支出绩效目标共计707个`)."""
    if end < len(text) and text[end] not in CLAUSE_END and text[end] not in "，、）)”（(":
        # one match: the run of subject characters up to the first stop word after its first
        # character (what _SUBJECT_END.search from end + 1, then _SUBJECT_OK, would give)
        ok = _SUBJECT_RUN.match(text, end, end + 25)
        cand = ok.group(0) if ok else ""
        if cand and not _SUBJECT_STOP.match(cand):
            subj = cand.strip("“”\"、-－— ")
            if _PARENS.isdisjoint(subj):
                pass  # the common case: nothing to balance
            elif subj.count("（") + subj.count("(") < subj.count("）") + subj.count(")"):
                subj = subj.rstrip("）)")
            elif subj.endswith(("（", "(")):
                subj = subj[:-1]
            if subj and not subj[0].isdigit():
                return subj
    # back to the clause start, at most 40 characters: the last clause end in the window
    lo = max(0, start - 40)
    back = _LAST_CLAUSE_END.match(text, lo, start)
    before = text[back.end() if back else lo:start]
    # the cue word ending the text (共计, 达 …), longest first: what _CUE_BEFORE.sub removes
    if before[-2:] in _CUE_WORDS_2:
        before = before[:-2]
    elif before[-1:] in _CUE_WORDS_1:
        before = before[:-1]
    before = before.strip()
    if "、" in before:  # 滞后的31个、偏离的12个: the subject is the last item of the list
        before = before.rsplit("、", 1)[1]
    if before.startswith(("对", "對")) and len(before) > 1:
        before = before[1:]
    if before.startswith(_LEAD_CUES):
        for cue in _LEAD_CUES:
            if before.startswith(cue):
                before = before[len(cue):]
    return before.strip("，、：: ") or None


def _is_slogan(text: str, start: int, end: int, chinese: bool) -> bool:
    after = text[end:end + 4]
    if chinese and _SLOGAN_AFTER.match(after):
        return True
    # a quoted short numeral phrase: “两个维护”, “三重一大”, 《…三个…》 names
    if start > 0 and text[start - 1] in _QUOTE_OPEN:
        close = text.find(next((c for c in _QUOTE_CLOSE if c in text[end:end + 8]), "\0"), end, end + 8)
        if close != -1:
            return True
    return False


_count = trusted(Count, ("text", "start", "end", "value", "classifier", "subject", "qualifier", "bound"))


def extract(text: str, mask: Mask = EMPTY) -> list[Count]:
    out: list[Count] = []
    n_text = len(text)
    for rs, re_, nxt in number_runs(text):
        if nxt not in _CLF_FIRST and text[re_ - 1] not in "万萬千":
            continue
        m = _COUNT.match(text, rs)
        if m is None:
            continue
        # one groups() call instead of a call per group: this loop runs ~20 times a report
        num, mult, inf, clf, suf = m.groups()
        ns = rs  # the number is the head of the match
        chinese = not num[0].isdigit()
        if not chinese and ns > 1 and text[ns - 1] in " \u00a0":
            joined = grouped_head(text, ns, num)  # `1 126个`, `8,6 40条`: a group split by a space
            if joined is not None:
                ns, num = joined
        # preceded_ok, inline (this runs for every candidate)
        if ns and text[ns - 1] in (BAD_BEFORE_CN if chinese else BAD_BEFORE_ARABIC) or mask.hit(ns, ns + len(num)):
            continue
        if ns and text[ns - 1] in _ORDINAL_CHARS:
            continue
        pre = prefix_before(text, ns) if ns and text[ns - 1] in PREFIX_LAST else None  # (its first test)
        end = m.end()
        clf_end = end - len(suf) if suf else end
        bad = _BAD_AFTER.get(clf)
        if bad is not None and text[clf_end:clf_end + 1] in _BAD_FIRST[clf] and bad.match(text, clf_end):
            continue
        if clf == "位" and text[ns - 2:ns] in _RANK_MOVES:
            continue  # 前进四位, 上升3位: places in a ranking, not people
        if chinese:
            if clf == "期" and num not in ("两", "兩") and not (pre or _PHASE_COUNTED.search(text[max(0, ns - 2):ns])):
                continue  # 污水管网三期, 建设一期项目: phases of works, unless counted (举办培训三期)
            if num == "一" and not _ONE_COUNTED.search(text[max(0, ns - 2):ns]) and not (
                    text[ns - 1:ns] == "的" and text[clf_end:clf_end + 1] in _ITEM_END
                    and text.find("最", max(0, ns - 6), ns - 1) < 0):
                continue  # 一项政治任务, 成熟一个推出一个, 近三年来最高的一次: rhetorical (but “中”的一个。 ends a list of counts)
            if num in ("两", "兩") and clf in ("项", "項") and text.startswith(_NAMED_TWO, clf_end):
                continue  # 残疾人两项补贴, 两项制度衔接: the names of policies
            if text[ns - 2:ns] == "一式" or (ns > 0 and text[ns - 1] == "式"):
                continue  # 一式两份
            if _is_slogan(text, ns, clf_end, chinese):
                continue
            if (clf == "台" and text[clf_end:clf_end + 1] in _PLACE_AFTER) or text.startswith(PLACE_NAMES, ns):
                continue  # 三台县, 五台山, 七台河市, 五家渠市: a place's name, not a count (两家县直单位 is one)
            if text[clf_end + 1:clf_end + 2] in ("镇", "鄉", "乡", "鎮") and "\u4e00" <= text[clf_end:clf_end + 1] <= "\u9fff" \
                    and text[clf_end] not in _NOT_PLACE_HEAD:
                continue  # 二户来镇, 三家子乡: a town's name opening with a numeral and a classifier (三个乡镇 is a count)
            # a numeral right after the classifier makes a name, not a quantity:
            # 五个一工程, 两个一百年, 五位一体, 一个一个
            if end < n_text and text[end] in "一二两三四五六七八九十百" and not _ONE_WORD.match(text, end):
                continue
        elif ns > 0 and text[ns - 1] in _QUOTE_OPEN and _is_slogan(text, ns, clf_end, chinese):
            continue  # (for Arabic digits _is_slogan only looks for an opening quote)
        if not mult and num.isascii() and num.isdigit():
            value = int(num)  # plain digits: what parse_number gives, without the Decimal
        else:
            dec = parse_number(num + (mult or ""))
            if dec is None or dec != dec.to_integral_value():
                continue
            value = int(dec)
        if pre is None and inf is None and suf is None:
            # combine_qualifiers has nothing to combine, and far_qualifier needs a 不 within the
            # 30 characters before (tested here: most counts have none, and a call costs more)
            qualifier = far_qualifier(text, ns) if text.find("不", ns - 30 if ns > 30 else 0, ns) >= 0 else None
        else:
            qualifier = combine_qualifiers(pre, inf, suf) or far_qualifier(text, ns)
        start = ns - len(pre) if pre else ns
        if pre is None and ns > 1 and text[ns - 1] in _RANGE_SEP:
            # 设置3至5个量化指标: a range is one count, its value the low end (the least promised)
            head = _RANGE_HEAD.search(text, max(0, ns - 10), ns)
            if head is not None:
                low = parse_number(head.group("num"))
                if low is not None and low == low.to_integral_value() and 0 <= low < value:
                    start, value = head.start(), int(low)
        if suf is None and pre is None:  # all that is_bound tests without a prefix or suffix
            bound = qualifier == "at_least" or qualifier == "at_most"
        else:
            bound = is_bound(text, start, end, qualifier, suf, pre)
        if not bound and text.find("对", start - 4 if start > 4 else 0, start) >= 0:  # _rule_frame's first test
            bound = _rule_frame(text, start, end)
        out.append(_count({
            "text": text[start:end],
            "start": start,
            "end": end,
            "section": None,
            "value": value,
            "classifier": clf,
            "subject": _subject(text, start, end),
            "qualifier": qualifier,
            "bound": bound,
        }))
    return out


_RANGE_SEP = frozenset("至到-—～~－")
_RANGE_HEAD = re.compile(rf"(?<![\d.０-９{CN_DIGITS}十百千])(?P<num>\d+|{CN})[ ]?(?:至|到|-|—|～|~|－)$")
_RULE_NOUNS = ("项目", "項目", "单位", "單位", "部门", "部門", "资金", "資金")
_PHASE_COUNTED = re.compile(r"(?:共|计|計|办|辦|举办|舉辦|开展|開展|了|培训|培訓|分|班)$")
_ITEM_END = frozenset("、，,。；;")
_RANK_MOVES = frozenset(("前进", "前進", "上升", "下降", "后退", "後退", "提升", "提高", "下滑", "前移", "后移"))
_PLACE_AFTER = frozenset("县縣市区區镇鎮乡鄉旗山河村")
# county-level places whose names begin with a numeral and a classifier (every one in the
# gazetteer, extractors/data/adcodes.tsv; tests/test_counts.py checks the list against it)
PLACE_NAMES = ("七台河", "三台", "九台", "五台", "五家渠")
_NAMED_TWO = ("补贴", "補貼", "制度")
_ONE_COUNTED = re.compile(r"(?:共|仅|僅|只|计|計|有|了|对|對|选取|選取)$")
_RULE_FRAME = re.compile(r"对(?:连续|連續|累计|累計)?$")


def _rule_frame(text: str, start: int, end: int) -> bool:
    """`对连续两次…不合格且不整改的项目`: a count inside a `对…的<noun>` condition states a rule."""
    if text.find("对", max(0, start - 4), start) < 0 or not _RULE_FRAME.search(text, max(0, start - 4), start):
        return False
    # the 的 of `的<noun>` within 30 characters, before the clause ends: the clause's end found
    # with one search and each 的 with str.find (not a Python step per character)
    stop = min(len(text), end + 30)
    cut = _CLAUSE_END_RE.search(text, end, stop)
    if cut is not None:
        stop = cut.start()
    i = text.find("的", end, stop)
    while i >= 0:
        if text.startswith(_RULE_NOUNS, i + 1):
            return "不" in text[end:i] or "未" in text[end:i]
        i = text.find("的", i + 1, stop)
    return False
