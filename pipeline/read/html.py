""".html: the visible text with its block structure.  Charset from the BOM, then
`<meta charset>` / `http-equiv`, verified (a page labelled utf-8 that is really GBK
is still read); script/style/head/hidden elements dropped; blocks (p, div, h1-h6, li,
…) become lines; table rows become one line with cells joined by a tab; source line
breaks inside Chinese text vanish (as browsers render them), elsewhere whitespace
collapses to one space.
"""
from __future__ import annotations

import re
from typing import Optional

from pipeline.read.common import WS_STRIP, Deadline, Failure, TextBuilder, is_cjk, looks_like_heading
from pipeline.read.txt import decode

_META_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_SKIP = {"script", "style", "head", "title", "noscript", "template", "meta", "link", "iframe", "object", "embed", "svg", "canvas", "select", "button", "input", "textarea"}
_BLOCK = {
    "p", "div", "section", "article", "main", "header", "footer", "nav", "aside", "blockquote", "center",
    "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd", "form", "fieldset",
    "address", "figure", "figcaption", "hr", "body", "html", "caption",
}
_HIDDEN_RE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_BR = "\x00"  # stands for <br> until whitespace is collapsed
_SPACE_RUN = re.compile(r"[ \t\n\r\f]+")


def meta_charset(data: bytes) -> Optional[str]:
    m = _META_RE.search(data[:8192])
    return m.group(1).decode("ascii", "ignore") if m else None


def looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip("\ufeff \t\r\n")
    if re.match(r"(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b", head, re.I | re.S):
        return True
    return len(re.findall(r"</(?:p|div|td|tr|span|h[1-6])>|<br\s*/?>", text[:8192], re.I)) >= 5 and head.startswith("<")


_PARSER = None  # lxml's HTML parser, made on first use
_STRING = None  # XPath string(): an element's text content (lxml.html's text_content())


def _parser():
    """libxml2's HTML parser with lxml's default options, as lxml.html uses it, but with
    plain elements: lxml.html's element classes are looked up in Python for every element
    touched (a sixth of the walk's time) and the walk needs none of their methods."""
    global _PARSER, _STRING
    if _PARSER is None:
        from lxml import etree

        _PARSER, _STRING = etree.HTMLParser(), etree.XPath("string()")
    return _PARSER


def read_html(data: bytes, *, deadline: Deadline, text: Optional[str] = None, enc: Optional[str] = None) -> tuple[str, str, list[str], TextBuilder]:
    from lxml import etree

    warnings: list[str] = []
    if text is None:
        text, enc, warnings = decode(data, declared=meta_charset(data))
    src = _XML_DECL.sub("", text)
    if not src.strip():
        raise Failure("empty")
    try:
        root = etree.fromstring(src, _parser())  # (lxml.html.document_fromstring, plain elements)
        if root is None:
            raise etree.ParserError("Document is empty")
    except (etree.ParserError, ValueError):
        raise Failure("corrupt_file", "网页文件无法解析，请另存为 .txt 或 .docx 后提交")
    w = _Walker(deadline)
    w.walk(root)
    w.flush()
    return w.b.text, enc or "utf-8", warnings, w.b


def _collapse(s: str) -> str:
    def rep(m):
        run = m.group(0)
        a = s[m.start() - 1] if m.start() > 0 else ""
        b = s[m.end()] if m.end() < len(s) else ""
        if ("\n" in run or "\r" in run) and is_cjk(a) and is_cjk(b):
            return ""
        return " "

    return _SPACE_RUN.sub(rep, s)


class _Walker:
    def __init__(self, deadline: Deadline):
        self.b = TextBuilder()
        self.buf: list[str] = []
        self.kind = "paragraph"
        self.deadline = deadline
        self.n = 0

    def flush(self) -> None:
        if self.buf:
            text = "".join(self.buf)
            # whitespace alone (the line breaks between block tags, most flushes) makes no line
            text = _collapse(text).replace("\u00a0", " ") if not text.isspace() else ""
            first = True
            for line in text.split(_BR) if text else ():
                line = line.strip(WS_STRIP)
                if line:
                    heading = (first and self.kind == "heading") or looks_like_heading(line)
                    self.b.add(line, "heading" if heading else "paragraph")
                    first = False
            self.buf = []
        self.kind = "paragraph"

    def walk(self, el, list_no: Optional[list] = None) -> None:
        self.n += 1
        if self.n & 255 == 0:
            self.deadline.check()
        for child in el:
            tag = child.tag if isinstance(child.tag, str) else None
            if tag is not None:
                tag = tag.lower()
                if tag in _SKIP or child.get("hidden") is not None or _HIDDEN_RE.search(child.get("style") or ""):
                    pass
                elif tag == "br":
                    self.buf.append(_BR)
                elif tag == "table":
                    self.flush()
                    self.table(child)
                elif tag == "pre":
                    self.flush()
                    for line in (_STRING(child) or "").replace("\r\n", "\n").split("\n"):
                        if line.strip(WS_STRIP):
                            self.b.add(line.rstrip(), "paragraph")
                elif tag in _BLOCK:
                    self.flush()
                    if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
                        self.kind = "heading"
                    if tag == "li" and list_no is not None:
                        list_no[0] += 1
                        self.buf.append(f"{list_no[0]}. ")
                    if child.text:
                        self.buf.append(child.text)
                    self.walk(child, [0] if tag == "ol" else (None if tag == "ul" else list_no))
                    self.flush()
                else:
                    if child.text:
                        self.buf.append(child.text)
                    self.walk(child, list_no)
            if child.tail:
                self.buf.append(child.tail)

    def table(self, tbl) -> None:
        for tr in _rows(tbl):
            cells = []
            for td in tr:
                if not isinstance(td.tag, str) or td.tag.lower() not in ("td", "th"):
                    continue
                sub = _Walker(self.deadline)
                if td.text:
                    sub.buf.append(td.text)
                sub.walk(td)
                sub.flush()
                cells.append(" ".join(sub.b.text.replace("\t", " ").split("\n")))
                try:
                    span = int(td.get("colspan") or 1)
                except ValueError:
                    span = 1
                cells.extend([""] * max(0, min(span, 50) - 1))
            if any(cells):
                self.b.add("\t".join(cells), "table_row")


def _rows(tbl):
    for el in tbl:
        if not isinstance(el.tag, str):
            continue
        t = el.tag.lower()
        if t == "tr":
            yield el
        elif t in ("thead", "tbody", "tfoot"):
            yield from _rows(el)
