"""文号 (official document numbers): issuer code + year in brackets + serial(s) + 号.

    昆经开财〔2021〕41号   师财绩[2022]13号   师财报[2023]7、8号   国办发〔2018〕34号
    财预 （2020） 10 号     云财〔２０２３〕绩评第38号   中发〔201834号 (damaged)

Every 文号 ends in 号, so each 号 (found with str.find) is the anchor: the 40 characters
before it are searched for a year in brackets (or, for the damaged bracketless form, an
issuer suffix + 5–8 digits + 号), the rest is matched from the bracket, and the issuer is
the Han/letter run before the bracket, trimmed of running text (根据, 印发, 我区将以 …).
Bare serials that follow share issuer and year (`师财绩[2023]10号、12号`). `canonical`
rewrites every bracket to 〔〕, full-width digits to ASCII and drops spaces; `repaired` is
set when the written form was damaged. The 《…》 title a 文号 belongs to is read from the
same clause (see `_title`): `《title》（文号）`, with a short gap (`的通知`), the outer title
when the 文号 sits inside it, a title whose opening 《 was lost, or `文号《title》`.
"""
from __future__ import annotations

import re

from extractors.spans import Mask
from schemas.models import trusted
from schemas import DocNumber

_D = r"[0-9０-９]"
_SP = r"[ \t\u3000\u00a0]*"
_OPEN = r"[〔\[［【（(〖]"
_CLOSE = r"[〕\]］】）)〗]"
_SEP = r"[、，,和及]"
# serials: 7 / 7、8 / 第38
_SERIALS = rf"(?P<ser>{_D}{{1,5}}(?:{_SP}{_SEP}{_SP}{_D}{{1,5}})*)"

# Words that end the running text before an issuer code (根据财预〔2020〕10号 → 财预).
_LEAD = re.compile(
    r".*(?:根据|依据|按照|依照|参照|对照|执行|落实|贯彻|印发|下发|转发|出台|制定|发布|通过|详见|文件|以及"
    r"|根據|依據|按照|參照|對照|執行|落實|貫徹|下發|轉發|製定|發佈|發布|通過|詳見|以及"  # (Traditional)
    r"|[的了])"
)

# Anchors, found with the standard `re` module (a plain scan is ~20x faster than trying a
# pattern with a leading Han run at every position): a year in brackets, or 5–8 digits + 号.
_ANCHOR = re.compile(
    r"(?P<br>[〔\[［【（(〖][ \t\u3000\u00a0]*(?:19|20|１９|２０)[0-9０-９]{2})"
    r"|(?<![0-9０-９])(?P<bare>(?:19|20)[0-9]{3,6}[号號])"
)
# the rest of a bracketed 文号 from its open bracket (the close bracket may be lost: 中发〔201834号)
_REST = re.compile(
    rf"(?P<open>{_OPEN}){_SP}(?P<year>(?:19|20|１９|２０){_D}{{2}})"
    rf"(?:{_SP}(?P<close>{_CLOSE}){_SP}(?:(?P<mid>[\u4e00-\u9fff]{{1,4}}){_SP}(?=第))?(?P<di>第)?{_SP}{_SERIALS}"
    rf"|{_SP}(?P<glued>{_D}{{1,4}})){_SP}(?P<hao>[号號])"  # (凌财绩〔2023 12号: the close bracket lost, a space left)
)
_BARE = re.compile(r"(?P<y2>(?:19|20)[0-9]{2})(?P<s2>[0-9]{1,4})(?P<hao2>[号號])")
_ISS_SUFFIX = set("发函字办复电令通报财政预绩")

# a following bare serial of the same issuer and year: 师财绩[2023]10号、12号
_MORE = re.compile(rf"{_SP}[、，,和及]{_SP}(?P<di>第)?(?P<ser>{_D}{{1,5}}){_SP}(?P<hao>[号號])")
_MORE_STOP = re.compile(r"(?:楼|院|线|路|街|栋|室|房|门|库|机|车)")

_NOT_ISSUER = re.compile(r"编号|序号|单号|账号|批号|代号|型号|第")
_SPACE = re.compile(r"[ \t\u3000\u00a0]+")
_SPACES = " \t\u3000\u00a0"
_CONJ = "和与及或并暨"
_ISSUER_OPENERS = "（(【[［〔《“、，,；;：: \t\u3000\n"
_LEAD_CHARS = frozenset("根依按参对执落贯印下转出制发布通过详文件以的了據參對執落貫轉製發佈過詳")


# function characters of running text (我区将以中发〔2018〕34号): cut after the last one,
# but never at the run's first character, which may begin a code (于都 于财, 将乐 将财, 和平 和财)
_FUNCTION_CHARS = frozenset("以在将和与及并是于按据对由把从向")


def _issuer(raw: str | None) -> str:
    if not raw:
        return ""
    if _LEAD_CHARS.isdisjoint(raw):
        iss = raw
    else:
        m = _LEAD.match(raw)
        iss = (raw[m.end():] if m else raw).lstrip(_SPACES)
    for k in range(len(iss) - 2, 0, -1):  # leave at least two characters
        if iss[k] in _FUNCTION_CHARS:
            iss = iss[k + 1:]
            break
    return iss[-8:] if len(iss) > 8 else iss


_DIGITS = re.compile(r"[0-9０-９]+")


def _ints(s: str) -> list[int]:
    return [int(x) for x in _DIGITS.findall(s)]


# the run that ends a window: \Z, not $, which would also match before a final newline
_HAN_RUN_BEFORE = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbfA-Za-z]+\Z")


def _raw_issuer(text: str, pos: int) -> tuple[str | None, int]:
    """The Han/letter run right before `pos` (spaces allowed between), and where it starts."""
    q = pos
    while q > 0 and pos - q < 4 and text[q - 1] in " \t\u3000\u00a0":
        q -= 1
    if q > 1 and text[q - 1] == "\n" and text[q - 2] in _ISS_SUFFIX and q - 1 - (text.rfind("\n", 0, q - 1) + 1) >= 20:
        q -= 1  # a long line wrapped between the code and its bracket (`株财绩⏎〔2019〕12号`)
    # back over at most 12 Han characters or ASCII letters (one search instead of a loop)
    run = _HAN_RUN_BEFORE.search(text, max(0, q - 12), q)
    i = run.start() if run else q
    # a stray space inside the code: （临 财绩〔2023〕5号 — a 1–3 character head right after an
    # opening bracket or punctuation, then spaces, then the rest
    if 0 < i < q and text[i - 1] in _SPACES:
        j = i
        while j > 0 and i - j < 2 and text[j - 1] in _SPACES:
            j -= 1
        h = j
        while h > 0 and j - h < 4 and "\u4e00" <= text[h - 1] <= "\u9fff":
            h -= 1
        if 1 <= j - h <= 3 and h > 0 and text[h - 1] in "（(【[［〔《“":
            i = h
    return (text[i:q], i) if i < q else (None, pos)


def _anchors(text: str):
    """Anchors near each 号/號 (a 文号 ends there), scanning only a short window before it."""
    last = 0
    hs = [i for i, c in enumerate(text) if c == "号" or c == "號"] if "號" in text else _find_all(text, "号")
    for h in hs:
        w = max(last, h - 40)
        for a in _ANCHOR.finditer(text, w, h + 1):
            last = a.end()
            yield a


def _find_all(text: str, ch: str) -> list[int]:
    out, i = [], text.find(ch)
    while i >= 0:
        out.append(i)
        i = text.find(ch, i + 1)
    return out


# DocNumber(...) without validation (see schemas.models.trusted); a following bare serial leaves
# `repaired` to its default, as the validated call did
_doc_number = trusted(DocNumber, ("text", "start", "end", "canonical", "issuer", "year", "serials", "title", "repaired"))
_more_number = trusted(DocNumber, ("text", "start", "end", "canonical", "issuer", "year", "serials", "title"))


def extract(text: str, mask: Mask | None = None) -> list[DocNumber]:
    out: list[DocNumber] = []
    if "号" not in text and "號" not in text:
        return out
    prev_end = 0
    pos = 0
    for a in _anchors(text):
        a_start = a.start()
        if a_start < pos:
            continue
        if a.group("br"):
            m = _REST.match(text, a_start)
            if m is None:
                continue
            raw_iss, raw_start = _raw_issuer(text, a_start)
            iss = _issuer(raw_iss)
            if len(iss) >= 3 and iss[0] in _CONJ and iss == raw_iss and raw_start > 0 and text[raw_start - 1] not in _ISSUER_OPENERS:
                iss = iss[1:]  # …（国令第729号）和财预〔2020〕10号: a conjunction, not 和平县's 和
            opening = m.start("open")
            start = opening - len(iss) if iss else opening
            if iss:  # spaces between issuer and bracket
                start = text.rfind(iss, 0, opening)
            year = int(m.group("year"))
            if m.group("glued") is not None:  # 中发〔201834号: close bracket lost
                serials = [int(m.group("glued"))]
                sep_serials = str(serials[0])
                mid, di, repaired = "", "", True
            else:
                ser = m.group("ser")
                if ser.isdigit():  # one serial (the common case): no findall, no join
                    serials = [int(ser)]
                    sep_serials = str(serials[0])
                else:
                    serials = _ints(ser)
                    sep_serials = "、".join(map(str, serials))
                mid, di, repaired = m.group("mid") or "", m.group("di") or "", False
            hao = m.group("hao")
        else:
            m = _BARE.match(text, a.start("bare"))
            if m is None or a_start == 0 or text[a_start - 1] not in _ISS_SUFFIX:
                continue
            raw_iss, _ = _raw_issuer(text, a_start)
            iss = _issuer(raw_iss)
            if not iss or _NOT_ISSUER.search(iss):
                continue
            start = a_start - len(iss)
            year = int(m.group("y2"))
            serials = [int(m.group("s2"))]
            sep_serials = str(serials[0])
            mid, di, repaired, hao = "", "", True, m.group("hao2")
        if year > 2039 or year < 1949 or not serials:
            continue
        end = m.end()
        pos = end
        if mask is not None and mask.hit(start, end):
            continue
        if " " in iss or "\u3000" in iss or "\t" in iss or "\u00a0" in iss:
            iss = _SPACE.sub("", iss)
        canonical = f"{iss}〔{year}〕{mid}{di}{sep_serials}{hao}"
        out.append(_doc_number({
            "text": text[start:end], "start": start, "end": end, "section": None, "canonical": canonical,
            "issuer": iss, "year": year, "serials": serials, "title": _title(text, start, end, prev_end),
            "repaired": repaired,
        }))
        prev_end = end
        # 师财绩[2023]10号、12号、13号: the bare serials that follow share issuer and year
        pos = end
        while True:
            mm = _MORE.match(text, pos)
            if not mm or _MORE_STOP.match(text, mm.end()):
                break
            s = mm.start("ser") - (1 if mm.group("di") else 0)
            n = int(mm.group("ser"))
            out.append(_more_number({
                "text": text[s:mm.end()], "start": s, "end": mm.end(), "section": None,
                "canonical": f"{iss}〔{year}〕{mid}{mm.group('di') or ''}{n}{mm.group('hao')}",
                "issuer": iss, "year": year, "serials": [n], "title": _title(text, s, mm.end(), prev_end),
                "repaired": False,
            }))
            pos = prev_end = mm.end()
        pos = max(pos, prev_end)
    out.sort(key=lambda f: f.start)
    return out


# --------------------------------------------------------------------------- titles

_CLAUSE_HARD = "。；;\n"
_CLAUSE_SOFT = "、，,：:；;。\n"
_GAP = re.compile(
    r"[ \t\u3000]*(?:(?:等[^《》（）()。；\n]{0,8}?)?的?(?:通知|意见|函|决定|批复|报告|请示|公告|通报|通告|办法|规定)[ \t\u3000]*)?》?[ \t\u3000]*$"
)
_OPENERS = " \t\u3000（(【[［〔"
_ENCLOSED = re.compile(r"[ \t\u3000]*文?(?:件)?[ \t\u3000]*[）)】\]］][ \t\u3000]*》")
_FOLLOW = re.compile(r"[ \t\u3000]*(?:文件|文)?[ \t\u3000]*(?:印发的|的)?[ \t\u3000]*《")


def _match_open(text: str, close: int, lo: int) -> int:
    """Index of the 《 that the 》 at `close` closes, or -1 before `lo`: the first 《 before
    it that no later 》 pairs with."""
    return _unmatched_open(text, close, lo)


def _unmatched_open(text: str, pos: int, lo: int) -> int:
    depth, i = 0, pos
    while True:
        o, c = text.rfind("《", lo, i), text.rfind("》", lo, i)
        if o < 0:
            return -1
        if c > o:
            depth, i = depth + 1, c
        else:
            if depth == 0:
                return o
            depth, i = depth - 1, o


def _match_close(text: str, open_: int, hi: int) -> int:
    depth = 0
    for i in range(open_, min(hi, len(text))):
        c = text[i]
        if c == "《":
            depth += 1
        elif c == "》":
            depth -= 1
            if depth == 0:
                return i
    return -1


def _title(text: str, start: int, end: int, prev_end: int) -> str | None:
    # the clause: back to a sentence stop or the previous 文号 (and its closing bracket)
    lo = max(start - 300, prev_end, 0)
    # after the last sentence stop (_CLAUSE_HARD), unrolled: a generator here costs more than the four searches
    lo = max(lo, text.rfind("。", lo, start) + 1, text.rfind("；", lo, start) + 1,
             text.rfind(";", lo, start) + 1, text.rfind("\n", lo, start) + 1)
    # strip the bracket that encloses this 文号: 《…》（文号）
    paren = start
    while paren > lo and text[paren - 1] in _OPENERS:
        paren -= 1
    # a) 《外层……（文号）》: the 文号 sits inside an outer title → outer title, minus the 文号 note
    if _ENCLOSED.match(text, end):
        o = _unmatched_open(text, paren, lo)
        if o >= 0:
            return text[o + 1:paren].rstrip(" \t\u3000") or None
    # b) 《title》（文号） with at most a short gap (的通知 …) between
    k0 = text.rfind("》", lo, paren)
    if k0 >= 0 and paren - k0 <= 24:
        # nearest complete 《…》 whose end is followed by a gap only
        k = k0
        while k >= lo:
            o = _match_open(text, k, lo)
            if o >= 0:
                if _GAP.fullmatch(text, k + 1, paren):
                    return text[o + 1:k] or None
                break
            k = text.rfind("》", lo, k)
        # 》 without its 《: recover the title back to the clause boundary
        if _GAP.fullmatch(text, k0 + 1, paren) and _match_open(text, k0, lo) < 0:
            s = k0 - 1
            while s >= lo and text[s] not in _CLAUSE_SOFT and text[s] not in "）)》":
                s -= 1
            t = text[s + 1:k0].strip(" \t\u3000")
            if t:
                return t
    # c) 文号《title》: the title follows
    fm = _FOLLOW.match(text, end)
    if fm:
        o = fm.end() - 1
        c = _match_close(text, o, o + 300)
        if c > o + 1:
            return text[o + 1:c]
    return None
