"""Structure of a report: the section outline, sentences and clauses, all as offsets.

Outline. Headings open a line: 一、 / （一） / 1. 1、 / （1） / ①. Reports mix schemes
(`1、 基础工作` followed by `三、`) and mis-number (`（一）` then `（2）`), so a heading's
level is not read off its style alone. For each new heading:
  1. if an open heading has the same style, the new one is its sibling;
  2. else if an open heading has the preceding number (3 after 2, whatever the style),
     the new one is its sibling (`三、` after `2、`; `（2）` after `（一）`);
  3. else a heading numbered 1 opens a sub-list under the innermost open heading;
  4. else the nominal rank of the styles decides (一、 > （一） > 1. > （1） > ①).

Sentences end at 。！？ and line ends; a sentence splits into segments at ；and into
clauses at ，：(a full-width comma between digit groups, `36，055`, is a thousands
separator, not a clause break). Nothing here looks inside quotes or 《》 titles.
"""
from __future__ import annotations

import bisect
import operator
import re
from dataclasses import dataclass
from functools import lru_cache

_bisect_right = bisect.bisect_right

from schemas.models import Section, trusted

# Section(...) without validation: outline() makes every value in its field's type (str / int)
_section = trusted(Section, ("path", "label", "level", "title", "start", "end"))

_CN = "〇零一二三四五六七八九十百两"
_CN_VAL = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# style -> nominal rank (0 = outermost)
_RANK = {"cn_dun": 0, "cn_paren": 1, "ar_dot": 2, "ar_paren": 3, "circled": 4}

_HEADING = re.compile(
    r"[ \t\u3000\xa0]*(?:"
    rf"(?P<cn_dun>[{_CN}]{{1,3}})[、，,．.](?![{_CN}])"
    rf"|[（(](?P<cn_paren>[{_CN}]{{1,3}})[）)]"
    r"|(?P<ar_dot>\d{1,2})(?:、|，(?!\d)|[.．](?!\d)|[.．](?=(?:19|20)\d\d年))"
    r"|[（(](?P<ar_paren>\d{1,2})[）)]"
    rf"|(?P<circled>[{_CIRCLED}])"
    r")[ \t\u3000\xa0]*"
)
_TITLE_END = re.compile(r"[。；;：:！？\n]")


def cn_int(s: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十三 → 23 (enough for heading labels and small counts)."""
    if s.isdigit():
        return int(s)
    if "百" in s:
        h, _, rest = s.partition("百")
        return (cn_int(h) if h else 1) * 100 + (cn_int(rest.lstrip("零〇")) if rest else 0)
    if "十" in s:
        t, _, u = s.partition("十")
        return (_CN_VAL.get(t, 1) if t else 1) * 10 + (_CN_VAL.get(u, 0) if u else 0)
    v = 0
    for ch in s:
        v = v * 10 + _CN_VAL.get(ch, 0)
    return v


def _label_key(style: str, raw: str) -> tuple[str, str]:
    """(label as shown in Section.label, path component)."""
    if style == "cn_dun":
        return raw + "、", raw
    if style == "cn_paren":
        return f"（{raw}）", f"（{raw}）"
    if style == "ar_dot":
        return raw + ".", raw
    if style == "ar_paren":
        return f"（{raw}）", f"（{raw}）"
    return raw, raw


@lru_cache(maxsize=512)  # a pure function of a label (一, （二）, 3 …): reports reuse the same few
def _label(style: str, raw: str) -> tuple[int, str, str]:
    """(value, label as shown, path component) of a heading label."""
    value = _CIRCLED.index(raw) + 1 if style == "circled" else cn_int(raw)
    return (value, *_label_key(style, raw))


# a heading label right after a line break: one scan of the text for "\n" in C that skips
# every line not opening with a label (instead of one anchored match per line)
_HEADING_NL = re.compile("\n" + _HEADING.pattern)


def _heading_matches(text: str):
    """(start, end, style, label) of each heading label at a line start; `start` is where
    the match (leading spaces included) begins."""
    m = _HEADING.match(text)
    if m:
        yield 0, m.end(), m.lastgroup, m.group(m.lastgroup)
    for m in _HEADING_NL.finditer(text):
        style = m.lastgroup
        yield m.start() + 1, m.end(), style, m.group(style)


_SPACES = " \t\u3000\xa0"


@lru_cache(maxsize=1024)  # a pure function of the matched label text (`一、`, `（二）`, ` 3.`): reports reuse a few
def _head(g0: str, style: str, raw: str) -> tuple[int, str, str, int, str]:
    """(value, label as shown, path component, leading spaces, delimiter) of a heading match."""
    value, label, comp = _label(style, raw)
    lead = len(g0) - len(g0.lstrip(_SPACES))
    delim = "paren" if style.endswith("paren") else g0.strip()[-1] if style != "circled" else "circled"
    delim = "dun" if delim in "、，," else delim
    return value, label, comp, lead, delim


def outline(text: str) -> list[Section]:
    # rows become the Sections' fields (their __dict__); the stack holds the open ones: (style, value, row, delimiter)
    rows: list[dict] = []
    stack: list[tuple[str, int, dict, str]] = []
    n = len(text)
    for ms, me, style, raw in _heading_matches(text):
        if me >= n or text[me] in "\n%％万元亿个":
            continue
        value, label, comp, lead, delim = _head(text[ms: me], style, raw)
        if value <= 0:
            continue
        t = _TITLE_END.search(text, me, me + 60)
        title = text[me: t.start() if t else me + 60].strip()
        start = ms + lead

        depth = len(stack)
        pos = None
        for i in range(depth - 1, -1, -1):  # 1. same style
            if stack[i][0] == style:
                pos = i
                break
        if pos is None and value > 1:  # 2. the preceding number, same delimiter first
            prev = [i for i in range(depth - 1, -1, -1) if stack[i][1] == value - 1]
            if prev:
                same = [i for i in prev if stack[i][3] == delim]
                pos = (same or prev)[0]
        if pos is None:
            pos = depth  # 3. a new sub-list (value 1, or nothing open)
            if value != 1 and stack:  # 4. nominal rank
                rank = _RANK[style]
                while pos > 0 and _RANK[stack[pos - 1][0]] >= rank:
                    pos -= 1
        for closed in stack[pos:]:
            closed[2]["end"] = start
        del stack[pos:]
        row = {"path": stack[-1][2]["path"] + "/" + comp if stack else comp, "label": label,
               "level": len(stack) + 1, "title": title, "start": start, "end": n}
        rows.append(row)
        stack.append((style, value, row, delim))
    # the rows hold every field in declaration order, made in the field's type: built without
    # validation (a third of outline()'s time went to validating them)
    return [_section(row) for row in rows]


# --------------------------------------------------------------------------- sentences and clauses

_BREAK_CH = re.compile(r"[。！？!?；;，,：:\n]")
_BREAKS = "。！？!?；;，,：:\n"  # _BREAK_CH's characters


def _break_positions(text: str) -> list[int]:
    """Offsets of _BREAK_CH's characters in order: str.find per character (a scan in C that
    skips what it does not look for) costs a quarter less than the regex testing every
    character against the set, and no match object is made per break."""
    out = []
    find, add = text.find, out.append
    for ch in _BREAKS:
        i = find(ch)
        while i >= 0:
            add(i)
            i = find(ch, i + 1)
    out.sort()
    return out


_HARD_END = frozenset("。！？!?；;：:）)」』”\"》】]|\t 　\xa0")  # a line ending in these ends there
_TABLE_MARKS = ("|", "\t", "  ", "\u3000")
# soft_wrap is False when the break follows one of these (a hard end; or a line break: the
# line is empty, too short to wrap)
_NO_WRAP_AFTER = _HARD_END | {"\n"}


def soft_wrap(text: str, nl: int) -> bool:
    """Whether the line break at `nl` wraps one paragraph (copy-and-paste and OCR cut lines at
    a width: `监控资金28.64⏎亿元，已支付…`) rather than ending it. A wrap: a long line that ends
    mid-sentence and is not a table row, followed by a line that goes on (no blank line, no
    indent, no heading label, no page footer)."""
    if nl == 0 or nl + 1 >= len(text) or text[nl - 1] in _HARD_END:
        return False
    nxt = text[nl + 1]
    if nxt in "\n\r \t\u3000\xa0—-－（(" or nxt in _CIRCLED:
        return False
    ls = text.rfind("\n", 0, nl) + 1
    if nl - ls < 24 or any(m in text[ls:nl] for m in _TABLE_MARKS):
        return False
    if _HEADING.match(text, nl + 1) and not text.startswith(("20", "19"), nl + 1):
        return False  # the next line opens a section (1.业务培训); 2023年… only looks like one
    if _HEADING.match(text, ls) and not any(c in text[ls:nl] for c in "。；;，,"):
        return False  # a heading line on its own
    return True


def _units(text: str) -> tuple[list, list, list]:
    """Sentences, segments and clauses in one pass over the break characters. A comma
    between a digit and exactly three digits (`36，055`) is a thousands separator. Runs of
    sentence ends (`。。`, blank lines) end one sentence."""
    sents, segs, clauses = [], [], []
    s0 = g0 = c0 = 0
    n = len(text)
    for st in _break_positions(text):
        ch = text[st]
        e = st + 1
        if ch in "，,":
            if st and text[st - 1].isdigit() and text[e:e + 3].isdigit() and not text[e + 3:e + 4].isdigit():
                continue
        elif ch in "。！？!?\n":
            # (soft_wrap's first test, in place: most lines end in 。 or are blank)
            if ch == "\n" and st and text[st - 1] not in _NO_WRAP_AFTER and soft_wrap(text, st):
                continue  # a wrapped line: the sentence goes on
            if st == s0 and sents:  # a run: extend the previous units
                sents[-1] = (sents[-1][0], e)
                if segs and segs[-1][1] == st:
                    segs[-1] = (segs[-1][0], e)
                if clauses and clauses[-1][1] == st:
                    clauses[-1] = (clauses[-1][0], e)
                s0 = g0 = c0 = e
                continue
            if st > c0:
                clauses.append((c0, e))
            if st > g0:
                segs.append((g0, e))
            if st > s0:
                sents.append((s0, e))
            s0 = g0 = c0 = e
            continue
        elif ch in "；;":
            if st > c0:
                clauses.append((c0, e))
            if st > g0:
                segs.append((g0, e))
            g0 = c0 = e
            continue
        if st > c0:
            clauses.append((c0, e))
        c0 = e
    if n > c0:
        clauses.append((c0, n))
    if n > g0:
        segs.append((g0, n))
    if n > s0:
        sents.append((s0, n))
    return sents, segs, clauses


@dataclass
class Layout:
    """Offsets of the outline, sentences, segments and clauses of one text, with lookups."""

    text: str
    sections: list[Section]
    sentences: list[tuple[int, int]]
    segments: list[tuple[int, int]]
    clauses: list[tuple[int, int]]

    def __post_init__(self) -> None:
        first = operator.itemgetter(0)  # map() of a C getter: twice as fast as a comprehension
        self._sent_starts = list(map(first, self.sentences))
        self._seg_starts = list(map(first, self.segments))
        self._cl_starts = list(map(first, self.clauses))
        self._sec_starts = [s.start for s in self.sections]
        last: dict[str, int] = {}
        self._parent: list[int | None] = []
        for i, s in enumerate(self.sections):
            self._parent.append(last.get(s.path.rpartition("/")[0]) if "/" in s.path else None)
            last[s.path] = i

    @staticmethod
    def _find(starts: list[int], pos: int) -> int:
        return max(0, bisect.bisect_right(starts, pos) - 1)

    def sentence(self, pos: int) -> int:
        i = _bisect_right(self._sent_starts, pos) - 1
        return i if i > 0 else 0

    def segment(self, pos: int) -> int:
        i = _bisect_right(self._seg_starts, pos) - 1
        return i if i > 0 else 0

    def clause(self, pos: int) -> int:
        i = _bisect_right(self._cl_starts, pos) - 1
        return i if i > 0 else 0

    def section_index(self, pos: int) -> int | None:
        """Index of the innermost section containing pos."""
        i = bisect.bisect_right(self._sec_starts, pos) - 1
        while i >= 0:
            s = self.sections[i]
            if s.start <= pos < s.end:
                return i
            i -= 1
        return None

    def section(self, pos: int) -> Section | None:
        i = self.section_index(pos)
        return None if i is None else self.sections[i]

    def section_titles(self, pos: int) -> list[str]:
        """Titles of the enclosing sections, innermost first."""
        out, i = [], self.section_index(pos)
        while i is not None:
            out.append(self.sections[i].title)
            i = self._parent[i]
        return out

    def line(self, pos: int) -> tuple[int, int]:
        s = self.text.rfind("\n", 0, pos) + 1
        e = self.text.find("\n", pos)
        return s, (len(self.text) if e < 0 else e)


def layout(text: str) -> Layout:
    sents, segs, clauses = _units(text)
    return Layout(text, outline(text), sents, segs, clauses)
