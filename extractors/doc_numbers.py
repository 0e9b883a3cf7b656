"""文号 (official document numbers): issuer code + year in brackets + serial(s) + 号.

    昆经开财〔2021〕41号   师财绩[2022]13号   师财报[2023]7、8号   国办发〔2018〕34号
    财预 （2020） 10 号     云财〔２０２３〕绩评第38号   中发〔201834号 (damaged)

Found with one compiled pattern anchored on the year bracket (or, for the damaged
bracketless form, on an issuer suffix + 5–8 digits + 号). `canonical` rewrites every
bracket to 〔〕, full-width digits to ASCII and drops spaces. The 《…》 title a 文号
belongs to is read from the same clause (see `_title`).
"""
from __future__ import annotations

import regex

from extractors.spans import Mask
from schemas import DocNumber

_FW = str.maketrans("０１２３４５６７８９", "0123456789")

_D = r"[0-9０-９]"
_SP = r"[ \t\u3000\u00a0]*"
_OPEN = r"[〔\[［【（(〖]"
_CLOSE = r"[〕\]］】）)〗]"
_SEP = r"[、，,和及]"
# serials: 7 / 7、8 / 第38
_SERIALS = rf"(?P<ser>{_D}{{1,5}}(?:{_SP}{_SEP}{_SP}{_D}{{1,5}})*)"

# Words that end the running text before an issuer code (根据财预〔2020〕10号 → 财预).
_LEAD = regex.compile(
    r".*(?:根据|依据|按照|依照|参照|对照|执行|落实|贯彻|印发|下发|转发|出台|制定|发布|通过|详见|文件|以及"
    r"|[的了以在将和与及并见即是于按据])"
)

_PAT = regex.compile(
    # 1. the ordinary form, year in brackets (possibly the close bracket lost: 中发〔201834号)
    rf"(?P<iss>[\p{{Han}}A-Za-z]{{1,12}})?{_SP}(?P<open>{_OPEN}){_SP}(?P<year>(?:19|20|１９|２０|1９|2０|１9|２0){_D}{{2}})"
    rf"(?:{_SP}(?P<close>{_CLOSE}){_SP}(?:(?P<mid>\p{{Han}}{{1,4}}){_SP}(?=第))?(?P<di>第)?{_SP}{_SERIALS}"
    rf"|(?P<glued>{_D}{{1,4}})){_SP}(?P<hao>[号號])"
    # 2. the damaged bracketless form: 国办发201154号 (issuer must end like an issuer code)
    rf"|(?P<iss2>[\p{{Han}}]{{0,7}}[发函字办复电令通报财政预绩])(?P<y2>(?:19|20){_D}{{2}})(?P<s2>{_D}{{1,4}})(?P<hao2>[号號])",
)

# a following bare serial of the same issuer and year: 师财绩[2023]10号、12号
_MORE = regex.compile(rf"{_SP}[、，,和及]{_SP}(?P<di>第)?(?P<ser>{_D}{{1,5}}){_SP}(?P<hao>[号號])(?![\p{{Han}}])")
_MORE_STOP = regex.compile(r"(?:楼|院|线|路|街|栋|室|房|门|库|机|车)")

_SPACE = regex.compile(r"[ \t\u3000\u00a0]+")


def _issuer(raw: str | None) -> str:
    if not raw:
        return ""
    m = _LEAD.match(raw)
    iss = raw[m.end():] if m else raw
    return iss[-8:] if len(iss) > 8 else iss


def _ints(s: str) -> list[int]:
    return [int(x) for x in regex.findall(r"\d+", s.translate(_FW))]


def extract(text: str, mask: Mask | None = None) -> list[DocNumber]:
    out: list[DocNumber] = []
    if "号" not in text and "號" not in text:
        return out
    prev_end = 0
    for m in _PAT.finditer(text):
        if m.group("year") is not None:
            raw_iss = m.group("iss")
            iss = _issuer(raw_iss)
            start = m.end("iss") - len(iss) if raw_iss else m.start("open")
            year = int(m.group("year").translate(_FW))
            if m.group("glued") is not None:  # 中发〔201834号: close bracket lost
                serials = [int(m.group("glued").translate(_FW))]
                sep_serials = str(serials[0])
                mid, di, repaired = "", "", True
            else:
                serials = _ints(m.group("ser"))
                sep_serials = "、".join(str(s) for s in serials)
                mid, di, repaired = m.group("mid") or "", m.group("di") or "", False
            hao = m.group("hao")
        else:
            iss = _issuer(m.group("iss2"))
            if not iss or regex.search(r"编号|序号|单号|账号|批号|代号|型号|第", iss):
                continue
            start = m.end("iss2") - len(iss)
            year = int(m.group("y2").translate(_FW))
            serials = [int(m.group("s2").translate(_FW))]
            sep_serials = str(serials[0])
            mid, di, repaired, hao = "", "", True, m.group("hao2")
        if year > 2039 or year < 1949 or not serials:
            continue
        end = m.end()
        if mask is not None and mask.hit(start, end):
            continue
        canonical = f"{iss}〔{year}〕{mid}{di}{sep_serials}{hao}"
        f = DocNumber(
            text=text[start:end], start=start, end=end, canonical=canonical, issuer=iss,
            year=year, serials=serials, repaired=repaired,
        )
        f.title = _title(text, start, end, prev_end)
        out.append(f)
        prev_end = end
        # 师财绩[2023]10号、12号、13号: the bare serials that follow share issuer and year
        pos = end
        while True:
            mm = _MORE.match(text, pos)
            if not mm or _MORE_STOP.match(text, mm.end()):
                break
            s = mm.start("ser") - (1 if mm.group("di") else 0)
            n = int(mm.group("ser").translate(_FW))
            g = DocNumber(
                text=text[s:mm.end()], start=s, end=mm.end(),
                canonical=f"{iss}〔{year}〕{mid}{mm.group('di') or ''}{n}{mm.group('hao')}",
                issuer=iss, year=year, serials=[n], title=None,
            )
            g.title = _title(text, s, mm.end(), prev_end)
            out.append(g)
            pos = prev_end = mm.end()
    out.sort(key=lambda f: f.start)
    return out


# --------------------------------------------------------------------------- titles

_CLAUSE_HARD = "。；;\n"
_CLAUSE_SOFT = "、，,：:；;。\n"
_GAP = regex.compile(
    r"[ \t\u3000]*(?:(?:等[^《》（）()。；\n]{0,8}?)?的?(?:通知|意见|函|决定|批复|报告|请示|公告|通报|通告|办法|规定)[ \t\u3000]*)?》?[ \t\u3000]*$"
)
_AFTER_OPEN = regex.compile(r"[ \t\u3000]*[（(【\[［〔]?[ \t\u3000]*$")
_ENCLOSED = regex.compile(r"[ \t\u3000]*文?(?:件)?[ \t\u3000]*[）)】\]］][ \t\u3000]*》")
_FOLLOW = regex.compile(r"[ \t\u3000]*(?:文件|文)?[ \t\u3000]*(?:印发的|的)?[ \t\u3000]*《")


def _match_open(text: str, close: int, lo: int) -> int:
    """Index of the 《 that the 》 at `close` closes (outermost pairing), or -1 before `lo`."""
    depth = 0
    for i in range(close, lo - 1, -1):
        c = text[i]
        if c == "》":
            depth += 1
        elif c == "《":
            depth -= 1
            if depth == 0:
                return i
    return -1


def _unmatched_open(text: str, pos: int, lo: int) -> int:
    depth = 0
    for i in range(pos - 1, lo - 1, -1):
        c = text[i]
        if c == "》":
            depth += 1
        elif c == "《":
            if depth == 0:
                return i
            depth -= 1
    return -1


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
    for i in range(start - 1, lo - 1, -1):
        if text[i] in _CLAUSE_HARD:
            lo = i + 1
            break
    # strip the bracket that encloses this 文号: 《…》（文号）
    p = start
    before = _AFTER_OPEN.search(text, lo, p)
    paren = before.start() if before else p
    # a) 《外层……（文号）》: the 文号 sits inside an outer title → outer title, minus the 文号 note
    if _ENCLOSED.match(text, end):
        o = _unmatched_open(text, paren, lo)
        if o >= 0:
            return text[o + 1:paren].rstrip(" \t\u3000") or None
    # b) 《title》（文号） with at most a short gap (的通知 …) between
    gap = _GAP.search(text, lo, paren)
    if gap is not None:
        q = gap.start()  # text[lo:q] ends where the gap begins
        # nearest complete 《…》 ending before q (the closing 》 may be part of the gap)
        k = text.rfind("》", lo, paren)
        while k >= lo:
            o = _match_open(text, k, lo)
            if o >= 0:
                if k + 1 >= q or _GAP.fullmatch(text, k + 1, paren):
                    return text[o + 1:k] or None
                break
            k = text.rfind("》", lo, k)
        # 》 without its 《: recover the title back to the clause boundary
        k = text.rfind("》", lo, paren)
        if k >= 0 and _GAP.fullmatch(text, k + 1, paren) and _match_open(text, k, lo) < 0:
            s = k - 1
            while s >= lo and text[s] not in _CLAUSE_SOFT and text[s] not in "）)》":
                s -= 1
            t = text[s + 1:k].strip(" \t\u3000")
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
