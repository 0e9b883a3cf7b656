""".pdf with a text layer, through pypdfium2 (~10x faster than pdfminer/pdfplumber;
pdfium also gives the character boxes this module needs, so pdfplumber is not used).

Per page: pdfium's text and its line breaks; for each line the boxes of its first and
last characters (a handful of ctypes calls per line, not per character).  Then:
- lines are put in reading order top to bottom (LibreOffice/Word draw text boxes and
  frames after the body), lines on one baseline merge, cells apart by a wide gap -> tab;
- spaces pdfium *generates* for glyph gaps are dropped next to Chinese characters
  (`2023 年` -> `2023年`); spaces written in the file are kept;
- running headers/footers (a line at the top/bottom of several pages, digits ignored)
  and page numbers (`— 3 —`, `第3页 共9页`, `- 3 -`, `3/9`) are dropped;
- a line that reaches the right margin continues on the next line (also across a
  page break, and when the next line opens with a token too wide for the gap left, or
  with closing punctuation): joined with no space, except between Latin words;
- every page is gated on text quality: `(cid:N)`, U+FFFD, control characters, fonts
  without a ToUnicode map (pdfium's unicode-map errors), private-use characters, a
  low share of Han characters or a high share of rare ones.  A failing page stays in
  the text but is marked `reliable=False` with its problems, and a warning says so.
  A page with images and no text is a scanned page (`no_text_layer`); a page with
  neither is blank and fine.  No text on any page: the `no_text_layer` error.
"""
from __future__ import annotations

import re
from typing import Optional

from schemas import Page

from pipeline.read.common import (
    CONTROL_RE,
    HAN_RE,
    LETTER_RE,
    PUA_RE,
    WS_STRIP,
    Deadline,
    Failure,
    TextBuilder,
    is_cjk,
    looks_like_heading,
    unusual_count,
)

_CID_RE = re.compile(r"\(cid:\d+\)")
_HAN_RUN_RE = re.compile(HAN_RE.pattern + "+")
_LETTER_RUN_RE = re.compile(LETTER_RE.pattern + "+")
_SPACE_RUN_RE = re.compile(r"\s+")
_PAGE_NO_RE = re.compile(
    r"^\s*(?:[-—–－~·•\s]*\d{1,4}[-—–－~·•\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|"
    r"\d{1,4}\s*/\s*\d{1,4}|(?:page|p\.)\s*\d{1,4}(?:\s*of\s*\d{1,4})?|共\s*\d{1,4}\s*页\s*第\s*\d{1,4}\s*页)\s*$",
    re.I,
)
_OPENERS_CLOSE = "，。、；：？！）》」』】〕”’,.;:?!)%％"  # characters a line never opens with
_OPENERS = "（《「『【〔“‘([{<"
_TOKEN_RE = re.compile(r"[0-9A-Za-z０-９.,，%％‰+\-/:]+")
_LATIN = re.compile(r"[A-Za-z]")


class _Line:
    __slots__ = ("text", "x0", "x1", "y", "top", "size", "page", "drop")

    def __init__(self, text, x0, x1, y, top, size, page):
        self.text, self.x0, self.x1, self.y, self.top, self.size, self.page = text, x0, x1, y, top, size, page
        self.drop = False


def read_pdf(data: bytes, *, deadline: Deadline) -> tuple[str, TextBuilder, list[str]]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as R

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as e:
        code = getattr(e, "err_code", None)
        if code in (R.FPDF_ERR_PASSWORD, R.FPDF_ERR_SECURITY):
            raise Failure("encrypted_pdf")
        raise Failure("corrupt_file")
    warnings: list[str] = []
    try:
        n_pages = len(pdf)
        if n_pages == 0:
            raise Failure("corrupt_file")
        if b"%%EOF" not in data[-2048:]:
            warnings.append("PDF 文件结尾不完整（可能下载或上传中断），读取的内容可能缺页，请核对原件")
        pages: list[list[_Line]] = []
        stats: list[dict] = []
        heights: list[float] = []
        for i in range(n_pages):
            deadline.check()
            try:
                page = pdf[i]
                tp = page.get_textpage()
            except pdfium.PdfiumError:
                pages.append([])
                stats.append({"chars": 0, "problems": ["corrupt_page"]})
                heights.append(842.0)
                continue
            try:
                heights.append(page.get_height())
                lines, st = _page_lines(tp, R, i + 1)
                if st["problems"] == ["no_text_layer"] and not _has_image(page, R):
                    st["problems"] = []  # a blank page, not a scanned one
            finally:
                tp.close()
                page.close()
            pages.append(lines)
            stats.append(st)
    finally:
        pdf.close()

    if sum(s["chars"] for s in stats) == 0:
        raise Failure("no_text_layer")

    _drop_running(pages, heights)
    b = _assemble(pages)
    bad = []
    for k, st in enumerate(stats):
        p = b.pages[k]
        if st["problems"]:
            p.reliable = False
            p.problems = st["problems"]
            bad.append(f"第{k + 1}页（{'、'.join(_PROBLEM_CN.get(x, x) for x in st['problems'])}）")
    if bad:
        if all(not p.reliable for p in b.pages):
            warnings.append("全部页面的文字层不可靠：" + "；".join(bad) + "。提取的文字可能有误，请用原件核对或先做 OCR")
        else:
            warnings.append("以下页面的文字层不可靠：" + "；".join(bad) + "。这些页的文字可能有误，请用原件核对或对这些页做 OCR")
    return b.text, b, warnings


_PROBLEM_CN = {
    "no_text_layer": "没有文字层，可能是扫描页",
    "cid_glyphs": "含 (cid:N) 乱码",
    "replacement_chars": "含无法识别的字符 �",
    "control_chars": "含控制字符",
    "unicode_map_errors": "字体缺少 ToUnicode 映射",
    "private_use_chars": "含私用区字符",
    "low_han_share": "汉字比例过低",
    "rare_han_share": "生僻字比例异常",
    "corrupt_page": "页面损坏",
}


def _has_image(page, R) -> bool:
    raw = page.raw
    for k in range(R.FPDFPage_CountObjects(raw)):
        if R.FPDFPageObj_GetType(R.FPDFPage_GetObject(raw, k)) in (R.FPDF_PAGEOBJ_IMAGE, R.FPDF_PAGEOBJ_FORM):
            return True
    return False


def _page_lines(tp, R, page_no: int) -> tuple[list[_Line], dict]:
    n = tp.count_chars()
    raw = tp.get_text_range(0, n) if n > 0 else ""
    # pdfium marks a hyphen it takes for line-end hyphenation as U+FFFE; in Chinese
    # reports it is a real dash (`6月-7月`, `80分-89分`): keep it as written
    raw = raw.replace("\ufffe", "-")
    st = _quality(raw, tp, R, n)
    if not raw.strip() or len(raw) != n:
        # no text, or an index mismatch (characters beyond the BMP): no geometry
        lines = [_Line(CONTROL_RE.sub("", ln).strip(WS_STRIP), 0.0, 0.0, 0.0, 0.0, 0.0, page_no) for ln in raw.split("\r\n")]
        lines = [ln for ln in lines if ln.text]
        return lines, st
    handle = tp.raw
    box = _charbox(handle, R)
    out: list[_Line] = []
    pos = 0
    for seg in raw.split("\r\n"):
        a, e = pos, pos + len(seg)
        pos = e + 2
        # first and last visible characters
        i, j = a, e - 1
        while i <= j and raw[i] in WS_STRIP:
            i += 1
        while j >= i and raw[j] in WS_STRIP:
            j -= 1
        if i > j:
            continue
        l0, b0, _, t0 = box(i)
        _, _, r1, _ = box(j)
        size = R.FPDFText_GetFontSize(handle, i) or (t0 - b0) or 10.0
        text = raw[i : j + 1]
        if " " in text:
            text = _spaces(text, i, raw, handle, R, box, size)
        text = CONTROL_RE.sub("", text)
        out.append(_Line(text, l0, r1, b0, t0, size, page_no))
    return _reading_order(out), st


def _charbox(handle, R):
    """pdfium's tight character box (left, bottom, right, top), like TextPage.get_charbox but
    reusing four ctypes doubles: it is called for every line and generated space (~600
    times per report), where the wrapper's allocations cost about half of the PDF's own time."""
    from ctypes import byref, c_double

    l, r, b, t = c_double(), c_double(), c_double(), c_double()
    rl, rr, rb, rt = byref(l), byref(r), byref(b), byref(t)
    get = R.FPDFText_GetCharBox

    def box(index: int) -> tuple[float, float, float, float]:
        if not get(handle, index, rl, rr, rb, rt):  # pdfium's order: left, right, bottom, top
            from pypdfium2 import PdfiumError

            raise PdfiumError("Failed to get charbox.")  # as the wrapper does
        return (l.value, b.value, r.value, t.value)

    return box


def _spaces(text: str, offset: int, raw: str, handle, R, box, size: float) -> str:
    """Generated spaces: wide gap -> tab (table cells); next to CJK -> dropped."""
    chars = list(text)
    for k, ch in enumerate(chars):
        if ch != " " or k == 0 or k == len(chars) - 1:
            continue
        idx = offset + k
        if not R.FPDFText_IsGenerated(handle, idx):
            continue
        prev, nxt = raw[idx - 1], raw[idx + 1]
        if prev == " " or nxt == " ":
            continue
        gap = box(idx + 1)[0] - box(idx - 1)[2]
        if gap > 1.6 * size:
            chars[k] = "\t"
        elif is_cjk(prev) or is_cjk(nxt):
            chars[k] = ""
    return "".join(chars)


def _reading_order(lines: list[_Line]) -> list[_Line]:
    """Top to bottom; pieces on one baseline merge (a wide gap becomes a tab)."""
    if len(lines) < 2:
        return lines
    in_order = all(lines[k].y >= lines[k + 1].y - 0.5 * lines[k].size for k in range(len(lines) - 1))
    if not in_order:
        lines = sorted(lines, key=lambda ln: -ln.y)
    merged = [lines[0]]
    for ln in lines[1:]:
        last = merged[-1]
        if abs(ln.y - last.y) < 0.35 * max(ln.size, last.size, 1.0) and ln.x0 > last.x1:
            sep = "\t" if ln.x0 - last.x1 > 1.6 * ln.size else ""
            last.text = last.text + sep + ln.text
            last.x1 = ln.x1
        else:
            merged.append(ln)
    return merged


def _quality(raw: str, tp, R, n: int) -> dict:
    visible = _SPACE_RUN_RE.sub("", raw)
    chars = len(visible)
    problems: list[str] = []
    if chars < 5:
        return {"chars": chars, "problems": ["no_text_layer"]}
    if _CID_RE.search(raw):
        problems.append("cid_glyphs")
    if "\ufffd" in raw:
        problems.append("replacement_chars")
    ctrl = len(CONTROL_RE.findall(raw.replace("\r\n", "")))
    if ctrl:
        problems.append("control_chars")
    # fonts without a (usable) ToUnicode map: sample up to 64 characters
    step = max(1, n // 64)
    sampled = range(0, n, step)
    handle, has_error = tp.raw, R.FPDFText_HasUnicodeMapError
    errs = sum(1 for k in sampled if has_error(handle, k))
    if errs and errs >= max(2, 0.05 * len(sampled)):
        problems.append("unicode_map_errors")
    if len(PUA_RE.findall(visible)) > max(3, 0.02 * chars):
        problems.append("private_use_chars")
    # runs, not single characters: a page is a few dozen matches instead of thousands
    letters = sum(map(len, _LETTER_RUN_RE.findall(visible)))
    han = "".join(_HAN_RUN_RE.findall(visible))
    if letters >= 20 and len(han) < 0.3 * letters:
        problems.append("low_han_share")
    if len(han) >= 20 and unusual_count(han) > 0.15 * len(han):
        problems.append("rare_han_share")
    return {"chars": chars, "problems": problems}


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _drop_running(pages: list[list[_Line]], heights: list[float]) -> None:
    """Mark running headers/footers and page numbers (at most 2 lines per page edge)."""
    n = len(pages)
    edges: list[list[tuple[_Line, str]]] = []
    for lines, h in zip(pages, heights):
        cand = []
        if any(ln.size for ln in lines):
            for ln in lines[:2]:
                if ln.y > h * 0.85:
                    cand.append((ln, "top"))
            for ln in lines[-2:][::-1]:
                if ln.y < h * 0.12 and all(c[0] is not ln for c in cand):
                    cand.append((ln, "bottom"))
        edges.append(cand)
    counts: dict[tuple[str, str], int] = {}
    for cand in edges:
        for key in {(_key(ln.text), where) for ln, where in cand}:
            counts[key] = counts.get(key, 0) + 1
    need = max(2, (n + 1) // 2)
    if n == 1 and pages[0] and pages[0][0].size:
        # one page, nothing repeats: a short line in the header/footer band (outer 8% of
        # the page), set apart from the body by a wide gap, is a running header/footer
        lines, h = pages[0], heights[0]
        if len(lines) >= 3:
            top, nxt = lines[0], lines[1]
            if top.y > h * 0.92 and top.y - nxt.y > 2.5 * top.size and len(top.text) <= 40:
                top.drop = True
            bot, prv = lines[-1], lines[-2]
            if bot.y < h * 0.08 and prv.y - bot.y > 2.5 * bot.size and len(bot.text) <= 40:
                bot.drop = True
    for lines, cand in zip(pages, edges):
        used: set = set()
        for ln, where in cand:
            k = (_key(ln.text), where)
            if _PAGE_NO_RE.match(ln.text) or (n >= 2 and counts.get(k, 0) >= need and k not in used):
                ln.drop = True
                used.add(k)


def _ends_full(ln: _Line, right: float) -> bool:
    return right - ln.x1 < 1.3 * (ln.size or 10.0)


def _joins(a: _Line, b: _Line, right: float, left: float) -> bool:
    """Does line b continue the paragraph of line a?"""
    if "\t" in a.text or "\t" in b.text:
        return False
    if b.text[0] in _OPENERS_CLOSE:
        return True  # a line never opens with closing punctuation
    size = b.size or 10.0
    indented = b.x0 - left > 1.2 * size
    if _ends_full(a, right):
        # a line filled to the margin was wrapped, unless the next one starts anew
        if indented:
            # a centred title wrapping: the next line is centred under the full one
            centred = abs((b.x0 + b.x1) - (a.x0 + a.x1)) < 2.2 * size and b.x0 - left > 3 * size
            return centred
        return not (looks_like_heading(b.text) and a.text[-1] in "。！？；：…!?;:")
    if looks_like_heading(a.text) or looks_like_heading(b.text) or indented:
        return False
    # a short line still continues when b opens with a unit too wide for the gap left:
    # a number or Latin word, or a character that takes following punctuation/dashes
    # with it (`月-7月`: a line may not open with `-`), with any opening brackets
    # before it (`（PPP）`)
    j = 0
    while j < len(b.text) - 1 and b.text[j] in _OPENERS:
        j += 1  # an opening bracket never ends a line: it travels with what follows
    m = _TOKEN_RE.match(b.text, j)
    j = m.end() if m else j + 1
    while j < len(b.text) and (b.text[j] in _OPENERS_CLOSE or b.text[j] in "-—–~～"):
        j += 1
    if j < len(b.text) and m and is_cjk(b.text[j]):
        j += 1  # `25万`: a number keeps the next character when it is a unit
    width = sum(size if is_cjk(c) else 0.55 * size for c in b.text[:j])
    return width > (right - a.x1) - 0.1 * size


def _glue(a: str, b: str) -> str:
    x, y = a[-1], b[0]
    if is_cjk(x) or is_cjk(y):
        return ""
    if x.isdigit() and y.isdigit():
        return ""
    if re.search(r"\d[,.]$", a) and y.isdigit():
        return ""
    if x == "-" and _LATIN.match(y):
        return ""
    if x.isalnum() or x in ",.;:!?)" and y.isalnum():
        return " "
    return ""


def _assemble(pages: list[list[_Line]]) -> TextBuilder:
    b = TextBuilder()
    current: Optional[list] = None  # [text, page, kind]
    prev: Optional[_Line] = None
    margins = []
    for lines in pages:
        body = [ln for ln in lines if not ln.drop and ln.size]
        xs = sorted(ln.x1 for ln in body if "\t" not in ln.text)
        right = xs[int(len(xs) * 0.9)] if xs else 0.0
        lefts = sorted(ln.x0 for ln in body)
        left = lefts[len(lefts) // 10] if lefts else 0.0
        margins.append((right, left))
    page_starts: list[Optional[int]] = []

    def flush():
        nonlocal current
        if current is not None:
            kind = "table_row" if "\t" in current[0] else ("heading" if looks_like_heading(current[0]) else "paragraph")
            b.add(current[0], kind, current[1])
            current = None

    for k, lines in enumerate(pages):
        right, left = margins[k]
        page_start = None
        for ln in lines:
            if ln.drop or not ln.text:
                continue
            if current is not None and prev is not None and _joins(prev, ln, margins[prev.page - 1][0], left):
                g = _glue(current[0], ln.text)
                if page_start is None:
                    page_start = b.pos + (1 if b.parts else 0) + len(current[0]) + len(g)
                current[0] += g + ln.text
            else:
                flush()
                current = [ln.text, k + 1]
                if page_start is None:
                    page_start = b.pos + (1 if b.parts else 0)
            prev = ln
        page_starts.append(page_start)
    flush()
    total = b.pos
    # page k spans from its first character to the next page's first character; a page
    # without text gets an empty range where the following text starts
    starts = [0] * len(pages)
    nxt = total
    for k in range(len(pages) - 1, -1, -1):
        if page_starts[k] is not None:
            nxt = min(page_starts[k], total)
        starts[k] = nxt
    if starts:
        starts[0] = 0
    for k in range(len(pages)):
        end = starts[k + 1] if k + 1 < len(pages) else total
        b.pages.append(Page(number=k + 1, start=starts[k], end=max(starts[k], end)))
    return b
