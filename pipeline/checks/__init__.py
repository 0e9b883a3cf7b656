"""Consistency checks: one module per rule family, each `run(ctx) -> None` adding findings.

`Ctx` holds what every rule needs: the text and its layout (sentences, clauses, outline),
the facts, and helpers that read a fact's surroundings — its money *role* (declared,
approved, cut …) from the words just before it, the budget-cycle *stage* of its sentence
and section, the noun *category* a count counts. Intervals carry each figure's stated
precision: an exact figure with k decimals stands for every value that rounds to it
half-up (± half a unit of its last digit); an approximate one (约/近/余/以上 …) for the
range its qualifier allows. A relation contradicts the text only when no choice of values
inside the intervals satisfies it; approximate figures can then raise a warning, never an
error.
"""
from __future__ import annotations

import bisect
import operator
import re
from dataclasses import dataclass, field
from functools import lru_cache
from decimal import Decimal
from typing import Iterable, Optional, Sequence

from pipeline.segment import Layout
from schemas import Amount, Count, DocNumber, Finding, Grade, Rate, Score, Span
from schemas.models import trusted

INF = Decimal("1e30")
HALF = Decimal("0.5")

# --------------------------------------------------------------------------- intervals


@dataclass(frozen=True)
class Iv:
    lo: Decimal
    hi: Decimal

    def __add__(self, o: "Iv") -> "Iv":
        return Iv(self.lo + o.lo, self.hi + o.hi)

    def __sub__(self, o: "Iv") -> "Iv":
        return Iv(self.lo - o.hi, self.hi - o.lo)

    def div(self, o: "Iv") -> Optional["Iv"]:
        if o.lo <= 0:
            return None
        lo = self.lo / o.hi if self.lo >= 0 else self.lo / o.lo
        return Iv(lo, self.hi / o.lo)

    def meets(self, o: "Iv") -> bool:
        return self.lo <= o.hi and o.lo <= self.hi

    @staticmethod
    def total(ivs: Iterable["Iv"]) -> "Iv":
        lo = hi = Decimal(0)
        for iv in ivs:
            lo += iv.lo
            hi += iv.hi
        return Iv(lo, hi)


_UNIT_SCALE = {"元": 1, "千元": 10**3, "万元": 10**4, "万": 10**4, "萬元": 10**4, "萬": 10**4,
               "亿元": 10**8, "亿": 10**8, "億元": 10**8, "億": 10**8, "万亿元": 10**12, "万亿": 10**12}


@lru_cache(maxsize=256)
def unit_scale(unit: str) -> Decimal:
    u = unit.strip()
    if u in _UNIT_SCALE:
        return Decimal(_UNIT_SCALE[u])
    for k in sorted(_UNIT_SCALE, key=len, reverse=True):
        if u.endswith(k) or u.startswith(k):
            return Decimal(_UNIT_SCALE[k])
    return Decimal(1)


def _last_digit_step(n: Decimal, decimals: int) -> Decimal:
    """One unit of the last non-zero digit as written: 6200 → 100, 10 → 10, 2.5 → 0.1."""
    if decimals > 0:
        return Decimal(1).scaleb(-decimals)
    n = abs(n).to_integral_value()
    if n == 0:
        return Decimal(1)
    step = Decimal(1)
    while n % 10 == 0:
        n //= 10
        step *= 10
    return step


def qualified(v: Decimal, step: Decimal, q: Optional[str]) -> Iv:
    if q == "over":
        return Iv(v, v + step)
    if q == "about":
        return Iv(v - step, v + step)
    if q in ("under", "at_most"):
        return Iv(Decimal(0), v)
    if q == "at_least":
        return Iv(v, INF)
    h = step * HALF
    return Iv(v - h, v + h)


def amount_iv(a: Amount, stated: bool = True) -> Iv:
    """The values a figure stands for. An operand (`stated=False`) of an exact figure is the
    point itself (SPEC: operands are exact, the stated result carries the rounding);
    a stated result is ± half a unit of its last written digit. Approximate figures are
    their qualifier's range either way."""
    if a.qualifier and (a.low is not None or a.high is not None):
        return Iv(a.low if a.low is not None else Decimal(0), a.high if a.high is not None else INF)
    scale = unit_scale(a.unit)
    if a.qualifier:
        return qualified(a.value_yuan, _last_digit_step(a.value_yuan / scale, a.decimals) * scale, a.qualifier)
    if not stated:
        return Iv(a.value_yuan, a.value_yuan)
    return qualified(a.value_yuan, Decimal(1).scaleb(-a.decimals) * scale, None)


def op(a: Amount) -> Iv:
    """An amount as an operand of a relation."""
    return amount_iv(a, stated=False)


def rate_iv(r: Rate) -> Iv:
    if r.qualifier and (r.low is not None or r.high is not None):
        return Iv(r.low if r.low is not None else Decimal(0), r.high if r.high is not None else INF)
    pct = r.value * 100
    step = Decimal(1).scaleb(-r.decimals) if not r.qualifier else _last_digit_step(pct, r.decimals)
    iv = qualified(pct, step, r.qualifier)
    return Iv(iv.lo / 100, iv.hi / 100)


def count_iv(c: Count) -> Iv:
    v = Decimal(c.value)
    if c.qualifier:
        return qualified(v, _last_digit_step(v, 0), c.qualifier)
    return Iv(v, v)


# --------------------------------------------------------------------------- formatting

_NUM_IN = re.compile(r"\d[\d,，]*(?:\.\d+)?")


def fmt_amount(value_yuan: Decimal, like: Amount, decimals: Optional[int] = None) -> str:
    """A value in yuan written the way `like` is written: same unit, separators, decimals."""
    scale = unit_scale(like.unit)
    d = like.decimals if decimals is None else decimals
    v = (value_yuan / scale).quantize(Decimal(1).scaleb(-d)) if d else (value_yuan / scale).quantize(Decimal(1))
    sep = "," in like.text or "，" in like.text
    s = f"{v:,.{d}f}" if sep else f"{v:.{d}f}"
    unit = like.unit if like.unit else "元"
    return s + unit


def fmt_pct(fraction: Decimal, decimals: int = 2) -> str:
    return f"{(fraction * 100):.{decimals}f}%"


def fmt_diff(a: Decimal, like: Amount) -> str:
    return fmt_amount(abs(a), like)


def span_of(f) -> Span:
    return Span(start=f.start, end=f.end, text=f.text)


# --------------------------------------------------------------------------- context words

_STAGE_CUES: list[tuple[str, re.Pattern]] = [
    ("execution", re.compile(r"执行率|执行进度|支出进度|预算执行金额|执行金额")),
    ("monitoring", re.compile(r"运行监控|绩效监控|监控|双监控|纠偏")),
    ("self_eval", re.compile(r"自评")),
    ("key_eval", re.compile(r"重点评价|重点绩效评价|财政评价|财政绩效评价|再评价|第三方.{0,12}评价|(?<!自)(?<!自评)评价金额|(?<!自)(?<!自评)评价资金|(?<!自评)绩效评价")),
    ("ex_ante", re.compile(r"事前|评估")),
    ("targets", re.compile(r"绩效目标|目标管理|目标审核|目标复审|一上|二上|编审")),
]

_QUOTED_NAME = re.compile(r"“[^”]{0,60}”|《[^》]{0,80}》")


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    """The spans of _QUOTED_NAME.finditer(text): a match opens with “ or 《, so it is tried
    only where str.find puts one (not at every character), left to right, none inside the
    previous match."""
    starts = []
    find = text.find
    for ch in "“《":
        i = find(ch)
        while i >= 0:
            starts.append(i)
            i = find(ch, i + 1)
    starts.sort()
    out, end, match = [], 0, _QUOTED_NAME.match
    for i in starts:
        if i >= end:
            m = match(text, i)
            if m is not None:
                end = m.end()
                out.append((i, end))
    return out


def _flat_cues() -> tuple[str, dict[str, str], list[tuple[re.Pattern, str]]]:
    """All cues as one alternation in which every alternative opens with a literal
    character, so that `re` scans for the set of first characters in C instead of trying
    the pattern at every position (2x faster than named groups behind a lookahead).
    Alternatives sharing a first character are grouped under it in their original order,
    so the first alternative to match at a position is the same as in _STAGE_CUES. A
    leading lookbehind moves after the first two characters (`(?<!自评)绩效评价` →
    `绩效(?<!自评绩效)评价`). The stage of a match is read off its text."""
    by_first: dict[str, list[str]] = {}
    literal: dict[str, str] = {}
    other: list[tuple[re.Pattern, str]] = []
    for name, pat in _STAGE_CUES:
        for alt in pat.pattern.split("|"):
            lead = re.match(r"(?:\(\?<![^()]*\))*", alt).group()
            behind, body = re.findall(r"\(\?<!([^()]*)\)", lead), alt[len(lead):]
            if re.escape(body) == body:
                literal.setdefault(body, name)
            else:
                other.append((re.compile(body), name))
            head = body[:2]
            assert not behind or re.escape(head) == head, alt  # a lookbehind moves past literals only
            alt = head + "".join(f"(?<!{b}{head})" for b in behind) + body[2:]
            by_first.setdefault(alt[0], []).append(alt[1:])
    pattern = "|".join(c + (rest[0] if len(rest) == 1 else "(?:" + "|".join(rest) + ")")
                       for c, rest in by_first.items())
    return pattern, literal, other


_STAGE_PATTERN, _CUE_LITERAL, _CUE_OTHER = _flat_cues()
_STAGE_ANY = re.compile(_STAGE_PATTERN)


def _cue_stage(cue: str) -> str:
    """The stage a matched cue names."""
    name = _CUE_LITERAL.get(cue)
    if name is None:
        name = next(n for p, n in _CUE_OTHER if p.fullmatch(cue))
    return name


def _last_stage(s: str) -> Optional[str]:
    """The stage named by the last cue in s (names in quotes or 《》 do not count)."""
    if "“" in s or "《" in s:
        s = _QUOTED_NAME.sub("", s)
    m = None
    for m in _STAGE_ANY.finditer(s):
        pass
    return _cue_stage(m.group()) if m else None


_title_stage = lru_cache(maxsize=4096)(_last_stage)  # section titles repeat for every fact


def _first_stage(s: str) -> Optional[str]:
    m = _STAGE_ANY.search(_QUOTED_NAME.sub("", s) if ("“" in s or "《" in s) else s)
    return _cue_stage(m.group()) if m else None


# money roles, tried in order on the words just before an amount
_ROLES: list[tuple[str, re.Pattern]] = [
    ("recovered", re.compile(r"收回|回收|盘活")),
    ("reduced", re.compile(r"调减|主动申请.{0,4}减")),
    ("cut", re.compile(r"审减|核减|压减|削减|扣减|减少预算|节约资金|节约财政资金")),
    ("spent", re.compile(r"执行金额|执行数|实际支出|已支出|支出金额|实际执行|已拨付|拨付金额|完成支出|累计支出|累计拨付")),
    ("approved", re.compile(r"建议安排|核定|审定|审核后安排|审核通过|批复|安排|下达|确定预算|审核确定|核准|确认")),
    ("declared", re.compile(r"申报|申请|报送|送审|上报|提交")),
    ("scope", re.compile(r"涉及|评价|资金规模|监控|总投资|金额|资金|共计|合计|总计|共")),
]

# any cue of a role before `scope`: one search instead of six for a window that names none
_SPECIFIC_ROLE = re.compile("|".join(pat.pattern for name, pat in _ROLES if name != "scope"))
_SCOPE = dict(_ROLES)["scope"]

_CUT_RATE = re.compile(r"审减率|核减率|压减率|审减比例|核减比例|压减比例|审减幅度")
_EXEC_RATE = re.compile(r"执行率|执行进度|支出进度|支出率")

_CATEGORY = [
    ("部门", re.compile(r"部门|单位|局|委|办|乡镇|街道|社区")),
    ("项目", re.compile(r"项目|专项|工程|政策")),
    ("文件", re.compile(r"文件|通知|办法|制度|文号")),
    ("资金", re.compile(r"资金")),
    ("目标", re.compile(r"目标")),
    ("人", re.compile(r"人|专家")),
]


_SUBJ_TAIL = re.compile(r"[、，,；]|[\d０-９]+\s*[个家项人次份条类批名所户篇本套轮期场台座件個項]")
_DOC_NOUN = re.compile(r"文件|通知|办法|制度|规程|细则|方案|报告|文号|意见$")
_PAREN = re.compile(r"（[^）]*）|\([^)]*\)|“[^”]*”")


@lru_cache(maxsize=4096)
def category(subject: Optional[str]) -> Optional[str]:
    """The kind of thing a count counts: 部门 / 项目 / 文件 / … (项目 wins over 部门 when the
    phrase names projects: 部门项目 → 项目; 部门整体 stays 部门)."""
    if not subject:
        return None
    s = _PAREN.sub("", subject)
    if _DOC_NOUN.search(s):
        return "文件"
    if "部门整体" in s or "整体支出" in s:
        return "部门"
    hits = [name for name, pat in _CATEGORY if pat.search(s)]
    if "项目" in hits:
        return "项目"
    return hits[0] if hits else s[-2:]


# --------------------------------------------------------------------------- context

_BY_START = operator.attrgetter("start")
_bisect_right = bisect.bisect_right
_NO_STAGE = object()


@dataclass
class Ctx:
    text: str
    layout: Layout
    amounts: list[Amount]
    rates: list[Rate]
    counts: list[Count]
    grades: list[Grade] = field(default_factory=list)
    scores: list[Score] = field(default_factory=list)
    doc_numbers: list[DocNumber] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    touched: set = field(default_factory=set)  # (start, end) of amounts used by a check
    lists: list = field(default_factory=list)  # (total, parts) of itemised amount lists
    execution: list = field(default_factory=list)  # (spent, budget, rate) found by arithmetic
    failed: list = field(default_factory=list)  # rule families that raised (bugs), for the record's warnings

    def __post_init__(self) -> None:
        by_start = _BY_START
        self.amounts = sorted([a for a in self.amounts if not a.bound], key=by_start)
        self.rates = sorted([r for r in self.rates if not r.bound], key=by_start)
        self.counts = sorted([c for c in self.counts if not c.bound], key=by_start)
        self.grades = sorted(self.grades, key=by_start)
        self.scores = sorted(self.scores, key=by_start)
        self.amount_starts = [a.start for a in self.amounts]
        self.count_starts = [c.start for c in self.counts]
        self._fact_ends = sorted([f.end for f in (*self.amounts, *self.rates, *self.doc_numbers)])
        self._memo: dict = {}
        self._win: dict = {}  # window(), keyed start * 256 + limit (an int key hashes faster than a tuple)
        self._win_near: dict = {}  # window() reaching its bound, by start (see window)
        self._bounds: dict = {}  # fact start -> (its clause start, max(clause start, previous fact end))
        self._role: dict = {}
        self._names_before: dict = {}  # enumeration.names_before / names_after, by count start
        self._names_after: dict = {}
        self._stage: dict = {}
        self._sec_stage: dict = {}
        self._stage_of: dict = {}
        self._cat: dict = {}
        self._grade_spans = [(g.start, g.end) for g in self.grades]
        self._in_grade: dict = {}
        starts, br = self.layout._sent_starts, bisect.bisect_right
        self._sent = sent = {}
        for facts in (self.amounts, self.rates, self.counts, self.grades, self.scores, self.doc_numbers):
            for f in facts:
                i = br(starts, f.start) - 1
                sent[f.start] = i if i > 0 else 0
        # stage cues of the whole text, once (cues inside quoted names or 《》 titles dropped:
        # looked for from each quoted span, fewer than the cues, rather than for each cue).
        # The match objects are kept: a cue's end and stage are read only when a query reaches it.
        text = self.text
        ms = list(_STAGE_ANY.finditer(text))
        cue_starts = [m.start() for m in ms]
        drop = set()
        for qs, qe in _quoted_spans(text):
            i = bisect.bisect_left(cue_starts, qs)
            while i < len(cue_starts) and cue_starts[i] <= qe:
                if ms[i].end() <= qe:
                    drop.add(i)
                i += 1
        if drop:  # the kept starts are filtered with their matches, not read again
            keep = [i for i in range(len(ms)) if i not in drop]
            ms = [ms[i] for i in keep]
            cue_starts = [cue_starts[i] for i in keep]
        self._cue_starts = cue_starts
        self._cues = ms
        self.counts_by_sentence: dict[int, list[Count]] = {}
        for c in self.counts:
            self.counts_by_sentence.setdefault(sent[c.start], []).append(c)

    # ---- positions
    def sentence_of(self, f) -> int:
        v = self._sent.get(f.start)
        return self.layout.sentence(f.start) if v is None else v

    def segment_of(self, f) -> int:
        return self.layout.segment(f.start)

    def clause_start(self, pos: int) -> int:
        """Start of the clause containing pos (read off window()'s bounds when it has them)."""
        b = self._bounds.get(pos)
        if b is not None:
            return b[0]
        i = _bisect_right(self.layout._cl_starts, pos) - 1
        return self.layout.clauses[i if i > 0 else 0][0]

    def sentence_span(self, f) -> tuple[int, int]:
        return self.layout.sentences[self.sentence_of(f)]

    def window(self, f, limit: int = 40) -> str:
        """The words just before a fact: from the end of the previous fact or the start of
        its clause, whichever is later (at most `limit` characters)."""
        fs = f.start
        b = self._bounds.get(fs)  # the same start is asked with up to six limits
        if b is None:
            ci = bisect.bisect_right(self.layout._cl_starts, fs) - 1
            cs = self.layout.clauses[ci if ci > 0 else 0][0]
            i = bisect.bisect_right(self._fact_ends, fs) - 1
            pe = self._fact_ends[i] if i >= 0 else -1
            b = self._bounds[fs] = (cs, pe if pe > cs else cs)
        cs, lo = b
        if lo >= fs - limit:
            # the window reaches its bound (four windows in five): the same words whatever the
            # limit, so kept once per fact rather than once per limit
            w = self._win_near.get(fs)
            if w is None:
                w = self._win_near[fs] = self._read_window(cs, lo, fs)
            return w
        k = (fs << 8) + limit if limit < 256 else (fs, limit)
        w = self._win.get(k)
        if w is None:
            w = self._win[k] = self._read_window(cs, fs - limit, fs)
        return w

    def _read_window(self, cs: int, start: int, fs: int) -> str:
        w = self.text[start: fs]
        # nothing between two facts: read the clause (the last character decides most windows)
        if cs < fs and (not w or w[-1] in "，,、 ") and not w.strip("，,、 "):
            w = self.text[cs: fs]
        return w

    def role(self, a: Amount) -> Optional[str]:
        k = a.start
        if k in self._role:
            return self._role[k]
        w = self.window(a)
        role = None
        if _SPECIFIC_ROLE.search(w):
            for name, pat in _ROLES:
                if pat.search(w):
                    role = name
                    break
        elif _SCOPE.search(w):
            role = "scope"
        self._role[k] = role
        return role

    def stage(self, pos: int) -> Optional[str]:
        """The budget-cycle stage of a position: the last stage cue before it in its
        sentence, else the innermost section title that names one."""
        k = pos
        if k in self._stage:
            return self._stage[k]
        i = _bisect_right(self.layout._sent_starts, pos) - 1
        best = self.last_cue(self.layout.sentences[i if i > 0 else 0][0], pos)
        if not best:
            i = self.layout.section_index(pos)
            if i is not None:
                best = self._section_stage(i)
        self._stage[k] = best
        return best

    def _section_stage(self, i: int) -> Optional[str]:
        """The stage the titles of section i and its ancestors name, innermost first (memoised
        per section: every fact of a section asks it)."""
        v = self._sec_stage.get(i, _NO_STAGE)
        if v is _NO_STAGE:
            v = _title_stage(self.layout.sections[i].title)
            if not v:
                parent = self.layout._parent[i]
                v = self._section_stage(parent) if parent is not None else v
            self._sec_stage[i] = v
        return v

    def last_cue(self, a: int, b: int) -> Optional[str]:
        """The stage of the last cue lying wholly inside [a, b)."""
        starts = self._cue_starts
        i = bisect.bisect_left(starts, b) - 1
        while i >= 0 and starts[i] >= a:
            m = self._cues[i]
            if m.end() <= b:
                g = m.group()
                return _CUE_LITERAL.get(g) or _cue_stage(g)
            i -= 1
        return None

    def first_cue(self, a: int, b: int) -> Optional[str]:
        """The stage of the first cue lying wholly inside [a, b)."""
        i = bisect.bisect_left(self._cue_starts, a)
        if i < len(self._cues):
            m = self._cues[i]
            if m.end() <= b:
                g = m.group()
                return _CUE_LITERAL.get(g) or _cue_stage(g)
        return None

    def stage_of(self, f) -> Optional[str]:
        """The stage of a fact: a cue in its own clause before it, else the first cue after
        it in its sentence part (`…4个专项资金共62,531万元，委托第三方…实施重点绩效评价`), else
        `stage(start)`."""
        k = f.start
        if k in self._stage_of:
            return self._stage_of[k]
        lay = self.layout
        best = self.last_cue(self.clause_start(k), k)
        if not best:
            i = _bisect_right(lay._seg_starts, k) - 1
            best = self.first_cue(f.end, lay.segments[i if i > 0 else 0][1])
        if not best:
            best = self.stage(k)
        self._stage_of[k] = best
        return best

    def count_category(self, c: Count) -> Optional[str]:
        k = c.start
        if k in self._cat:
            return self._cat[k]
        cat = (category(c.subject) or category(self.text[c.end: c.end + 8])
               or category(self.text[max(0, c.start - 8): c.start]))
        self._cat[k] = cat
        return cat

    def in_grade(self, f) -> bool:
        """Whether a fact lies wholly inside a grade fact (`“优”41个`), memoised per span."""
        if not self._grade_spans:
            return False
        k = (f.start, f.end)
        v = self._in_grade.get(k)
        if v is None:
            v = False
            for s, e in self._grade_spans:
                if s <= f.start and f.end <= e:
                    v = True
                    break
            self._in_grade[k] = v
        return v

    def touch(self, *facts) -> None:
        for f in facts:
            if isinstance(f, Amount):
                self.touched.add((f.start, f.end))

    def add(self, rule: str, severity: str, message: str, facts: Sequence, expected: Optional[str] = None,
            actual: Optional[str] = None, suspect: Optional[str] = None) -> None:
        seen, facts_u = set(), []
        for f in facts:
            if (f.start, f.end) not in seen:
                seen.add((f.start, f.end))
                facts_u.append(f)
        if "\n" in message:  # a fact wrapped over two lines (28.64⏎亿元) reads as one in a message
            message = message.replace("\n", "")
        if severity in _SEVERITIES and _str_or_none(expected) and _str_or_none(actual) and _str_or_none(suspect):
            # every value already of its field's type (the facts' offsets int, texts str): built
            # without validation, ~4 µs a finding (anything else still goes through pydantic)
            self.findings.append(_finding({
                "rule": rule, "severity": severity, "message": message, "values": [f.text for f in facts],
                "spans": [_span({"start": f.start, "end": f.end, "text": f.text}) for f in facts_u],
                "expected": expected, "actual": actual, "suspect": suspect}))
            return
        self.findings.append(Finding(
            rule=rule, severity=severity, message=message, values=[f.text for f in facts],
            spans=[{"start": f.start, "end": f.end, "text": f.text} for f in facts_u],  # validated in one call
            expected=expected, actual=actual, suspect=suspect))


_finding = trusted(Finding, ("rule", "severity", "message", "values", "spans", "expected", "actual", "suspect"))
_span = trusted(Span, ("start", "end", "text"))
_SEVERITIES = frozenset(("error", "warning", "info"))


def _str_or_none(v) -> bool:
    return v is None or type(v) is str


def approx(*facts) -> bool:
    return any(getattr(f, "qualifier", None) for f in facts)


def severity_for(*facts, strong: bool = True) -> str:
    """error for exact figures in a strongly identified relation, else warning."""
    return "error" if strong and not approx(*facts) else "warning"


ALL = ("arithmetic", "repeated_total", "enumeration", "doc_numbers", "grade_score")


def run_all(ctx: Ctx) -> list[Finding]:
    """Every rule family in turn. A rule that fails on an unforeseen text must not cost the
    document its facts: the failure is recorded in `ctx.failed` (the record's warnings)
    and the other rules still run."""
    from pipeline.checks import arithmetic, doc_numbers, enumeration, grade_score, repeated_total, tables

    for mod in (arithmetic, tables, repeated_total, enumeration, doc_numbers, grade_score):
        try:
            mod.run(ctx)
        except Exception as e:  # noqa: BLE001 - reported, never silent
            ctx.failed.append(f"checks.{mod.__name__.rsplit('.', 1)[-1]}: {type(e).__name__}: {e}")
    return ctx.findings
