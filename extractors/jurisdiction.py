"""Document metadata: title, fiscal year and jurisdiction.

- title: the first heading line of the report, joined with the next line when the heading
  is visibly split over two (`师宗县2023年预算绩效工作开展情况及` + `重大政策和…情况`).
- fiscal_year: the year in the title (`2023年度` preferred over a bare `2023年`), else the
  first year in the opening lines.
- jurisdiction: the place name as written in the title (else the opening lines), resolved
  through an offline gazetteer (data/adcodes.tsv: every province, prefecture and
  county-level unit with its 6-digit code and derived short names) and data/overrides.tsv
  (short forms like 克州, and zones — 经开区, 园区, 新区 — that resolve to their city).
  `matched_by`: exact (full name), short_name (derived short form), alias (override alias),
  override (zone from the override file), parent (an unlisted zone resolved through the
  city its name contains). `ambiguous` lists the other codes a name could be; context words
  in the text (the prefecture's or province's name) pick one, and when they cannot the
  code is left empty rather than guessed.

The tables load lazily on first use (~10 ms), from plain TSV.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from extractors.simplified import simplified_view
from schemas import DocMeta, Jurisdiction

_DATA = Path(__file__).parent / "data"


class _Gazetteer:
    __slots__ = ("names", "full", "short", "over", "maxlen", "lens")

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.full: dict[str, list[str]] = {}
        self.short: dict[str, list[str]] = {}
        self.over: dict[str, tuple[str, list[str]]] = {}
        with open(_DATA / "adcodes.tsv", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("#"):
                    continue
                code, name, shorts = line.rstrip("\n").split("\t")
                self.names[code] = name
                self.full.setdefault(name, []).append(code)
                if shorts:
                    for s in shorts.split(","):
                        self.short.setdefault(s, []).append(code)
        with open(_DATA / "overrides.tsv", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("#") or not line.strip():
                    continue
                cols = line.rstrip("\n").split("\t")
                alias, target, kind = cols[0], cols[1], cols[2]
                self.over[alias] = (kind, self.resolve_path(target))
        self.maxlen = max(len(k) for k in (*self.full, *self.over))
        # first character → the lengths of the names that start with it (longest first)
        lens: dict[str, set[int]] = {}
        for k in (*self.full, *self.short, *self.over):
            lens.setdefault(k[0], set()).add(len(k))
        self.lens = {c: sorted(v, reverse=True) for c, v in lens.items()}

    def resolve_path(self, target: str) -> list[str]:
        """`克孜勒苏柯尔克孜自治州` or `云南省/昆明市` → codes."""
        parts = target.split("/")
        codes = self.full.get(parts[-1], [])
        if len(parts) > 1:
            prov = self.full.get(parts[0], [])
            codes = [c for c in codes if any(c[:2] == p[:2] for p in prov)]
        return codes

    def level(self, code: str) -> int:
        return 1 if code.endswith("0000") else 2 if code.endswith("00") else 3

    def province(self, code: str) -> str | None:
        return self.names.get(code[:2] + "0000")

    def prefecture(self, code: str) -> str | None:
        if self.level(code) == 1:
            return None
        p = code[:4] + "00"
        return self.names.get(p)


@lru_cache(maxsize=1)
def gazetteer() -> _Gazetteer:
    return _Gazetteer()


# --------------------------------------------------------------------------- title, year

_END_PUNCT = "。：:；;，,"
_TITLE_FINAL = re.compile(r"(?:说明|說明|報告|报告|总结|總結|通知|意见|办法|方案|自评|情况|情況)$")
_YEAR = re.compile(r"((?:19|20)[0-9]{2})[ \t\u3000]*年(度)?")
_ZONE = re.compile(
    r"(?:^|(?<=[^\u4e00-\u9fff])|(?<=关于)|(?<=關於)|(?<=年度)|(?<=年))(?![年度的])"
    r"[\u4e00-\u9fff（）()]{2,20}?(?:经济技术开发区|經濟技術開發區|高新技术产业开发区|经济开发区|高新区|经开区|开发区"
    r"|产业园区|工业园区|园区|新区|示范区|试验区|合作区)"
)
_BODY_OWNER = re.compile(r"(?:财政局|財政局|财政厅|人民政府|政府|本级|党委|党工委|管委会|县委|区委|市委|州委)")
_LEAD_WORDS = re.compile(r"^(?:关于|關於|中共|[0-9]{4}年度?)+")


def _title(text: str) -> tuple[str | None, int]:
    # the heading is among the first lines: split off 16 (the last part holds the rest), and
    # the whole text only when those are (nearly) all blank
    lines = text.split("\n", 16)
    if len(lines) > 16 and next((k for k in range(16) if lines[k].strip()), 16) >= 15:
        lines = text.split("\n")
    i = 0
    while i < len(lines) and not lines[i].strip():
        i += 1
    if i == len(lines):
        return None, 0
    l1 = lines[i].strip()
    if len(l1) > 80:  # no heading: the report starts with a paragraph
        return None, 0
    if i + 1 < len(lines):
        l2 = lines[i + 1].strip()
        if (
            l2 and len(l1) <= 40 and len(l2) <= 30
            and l1[-1] not in _END_PUNCT and l2[-1] not in _END_PUNCT
            and (not _TITLE_FINAL.search(l1) or len(l2) <= 8 and _TITLE_FINAL.search(l2))
            and not re.match(r"^[一二三四五六七八九十]+、|^[（(][一二三四五六七八九十0-9]+[）)]|^[0-9]+[、.．]", l2)
        ):
            return l1 + l2, i
    return l1, i


_FW_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_FW_DIGIT = re.compile("[０-９]")


def _half_width(s: str) -> str:
    """s with full-width digits written in ASCII. (translate looks every character up in a
    dict, ~20 µs for 400 characters: a scan for a full-width digit first is 15 times cheaper)"""
    return s.translate(_FW_DIGITS) if _FW_DIGIT.search(s) else s


def _fiscal_year(title: str | None, text: str) -> int | None:
    for src in (title or "", text[:400]):
        src = _half_width(src)
        best = None
        for m in _YEAR.finditer(src):
            y = int(m.group(1))
            if not 1990 <= y <= 2099:
                continue
            if m.group(2):
                return y
            best = best or y
        if best:
            return best
    return None


# --------------------------------------------------------------------------- place names


def _find_names(g: _Gazetteer, s: str, allow_short: bool):
    """Every known name in `s`: (start, end, name, kind, codes)."""
    out = []
    n = len(s)
    lens, over, full, short = g.lens, g.over, g.full, g.short
    for i in range(n):
        ls = lens.get(s[i])
        if not ls:
            continue
        for ln in ls:
            j = i + ln
            if j > n or ln < 2:
                continue
            w = s[i:j]
            # (_lookup's tests first, in place: most candidates are no name at all)
            if w in over or w in full or (allow_short and w in short):
                out.append((i, j, w, *_lookup(g, w, allow_short)))
    return out


def _lookup(g: _Gazetteer, w: str, allow_short: bool):
    """(how matched, codes) for one candidate name, or None: the override file first, then
    full names, then (when allowed) short names."""
    if w in g.over:
        kind, codes = g.over[w]
        return ("override" if kind == "zone" else "alias", codes)
    if w in g.full:
        return ("exact", g.full[w])
    if allow_short and w in g.short:
        return ("short_name", g.short[w])
    return None


_OWNER_FIRST = frozenset("财財人政本党管县区市州")  # first characters of _BODY_OWNER's words


def _owned_names(g: _Gazetteer, s: str):
    """What `[f for f in _find_names(g, s, False) if _BODY_OWNER.match(s, f[1])]` gives (in
    another order): the full and override names ending where a reporting-body word starts,
    read back from those few places instead of trying every name at every position."""
    out = []
    for e in range(2, len(s)):
        if s[e] not in _OWNER_FIRST or not _BODY_OWNER.match(s, e):
            continue
        for ln in range(2, min(g.maxlen, e) + 1):
            i = e - ln
            w = s[i:e]
            hit = _lookup(g, w, False)
            if hit is not None:
                out.append((i, e, w, *hit))
    return out


def _pick(g: _Gazetteer, found):
    """The most specific, longest name that no longer match covers."""
    keep = [f for f in found if not any(o is not f and o[0] <= f[0] and f[1] <= o[1] and (o[1] - o[0]) > (f[1] - f[0]) for o in found)]
    if not keep:
        return None
    rank = {"override": 0, "exact": 1, "alias": 1, "short_name": 2}

    def key(f):
        lvl = max(g.level(c) for c in f[4]) if f[4] else 0
        if f[3] == "override":
            lvl = 4  # a zone inside a city is more specific than the city
        return (-lvl, rank[f[3]], -(f[1] - f[0]), f[0])

    return sorted(keep, key=key)[0]


def _short_ok(s: str, f) -> bool:
    """A short name (师宗, 昆明) counts only at the start of the title (after 关于 / a year)
    or right after another matched name, and not inside a longer word."""
    i, j = f[0], f[1]
    lead = _LEAD_WORDS.match(s)
    at_start = i == (lead.end() if lead else 0)
    nxt = s[j:j + 1]
    return at_start and (not nxt or not ("\u4e00" <= nxt <= "\u9fff") or s[j:j + 2] in ("财政", "预算", "本级", "全面", "年度"))


def _disambiguate(g: _Gazetteer, codes: list[str], text: str) -> tuple[str | None, list[str]]:
    codes = list(dict.fromkeys(codes))
    if len(codes) == 1:
        return codes[0], []
    ctx = text[:6000]
    scored = []
    for c in codes:
        sc = 0
        pref = g.prefecture(c)
        if pref and pref != g.names.get(c):
            sc += 3 if pref in ctx else 0
            short = pref[:-1] if pref.endswith("市") else None
            sc += 1 if short and len(short) >= 2 and short in ctx else 0
        prov = g.province(c)
        if prov and prov != g.names.get(c):
            sc += 2 if prov in ctx else 0
            ps = prov[:-1] if prov.endswith("省") else None
            sc += 1 if ps and ps in ctx else 0
        scored.append((sc, c))
    scored.sort(key=lambda t: -t[0])
    if scored[0][0] > scored[1][0]:
        best = scored[0][1]
        return best, [c for c in codes if c != best]
    return None, codes


def resolve(name: str, text: str = "") -> Jurisdiction:
    """Resolve one place name as written (克州, 西工区, 昆明经济技术开发区)."""
    g = gazetteer()
    found = [f for f in _find_names(g, name, True) if f[0] == 0 and f[1] == len(name)]
    if not found:
        return Jurisdiction(name=name)
    return _jurisdiction(g, _pick(g, found), text)


def _jurisdiction(g: _Gazetteer, f, text: str, name: str | None = None, matched_by: str | None = None) -> Jurisdiction:
    _, _, w, kind, codes = f
    code, ambiguous = _disambiguate(g, codes, text)
    j = Jurisdiction(name=name or w, matched_by=matched_by or kind, ambiguous=ambiguous)
    if code is None:
        return j
    is_zone = kind == "override" or matched_by == "parent"
    j.admin_code = code
    j.province = g.province(code)
    lvl = g.level(code)
    j.prefecture = g.names[code] if (is_zone or lvl == 2) else g.prefecture(code)
    if lvl == 1:
        j.prefecture = None
    if is_zone:
        j.full_name = name or w
    elif lvl == 3 and j.prefecture and j.prefecture != g.names[code]:
        j.full_name = j.prefecture + g.names[code]  # 西工区 → 洛阳市西工区
    else:
        j.full_name = g.names[code]
    return j


def extract_meta(text: str, view: str | None = None) -> DocMeta:
    """`view`: simplified_view(text) when the caller has it already."""
    title, _ = _title(text)
    # names and years are read in Simplified script (the gazetteer's: 橫州市 is 横州市) on the
    # same lines; the title is kept as written
    view = simplified_view(text) if view is None else view
    title_v = _title(view)[0] if view is not text else title
    meta = DocMeta(title=title, fiscal_year=_fiscal_year(title_v, view))
    text = view
    g = gazetteer()
    for src, allow_short in ((title_v or "", True), (text[:300], False)):
        if not src:
            continue
        if allow_short:
            found = _find_names(g, src, allow_short)
            found = [f for f in found if f[3] != "short_name" or _short_ok(src, f)]
        else:  # the body: only a name that reads as the reporting body (师宗县财政局)
            found = _owned_names(g, src)
        # a zone the override file does not list: name it as written, resolve its city
        z = _ZONE.search(src)
        if z is not None:
            zs = _LEAD_WORDS.sub("", z.group())
            zstart = z.end() - len(zs)
            if not any(f[0] <= zstart and z.end() <= f[1] for f in found):
                # the city the zone's name starts with (南昌 → 南昌市, not 南昌县)
                inner = []
                for f in (_find_names(g, zs, True) if zs else []):
                    codes = [c for c in f[4] if g.level(c) <= 2]
                    if f[0] == 0 and codes:
                        inner.append((*f[:4], codes))
                if inner:
                    best = sorted(inner, key=lambda f: -(f[1] - f[0]))[0]
                    meta.jurisdiction = _jurisdiction(g, best, text, name=zs, matched_by="parent")
                    return meta
        best = _pick(g, found)
        if best is not None:
            meta.jurisdiction = _jurisdiction(g, best, text)
            return meta
    return meta
