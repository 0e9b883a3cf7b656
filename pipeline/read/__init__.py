"""read(path) -> Document: one entry point for every format a county submits.

The format is found from the bytes (magic numbers, then content), never from the
extension alone: a .docx named .txt is read as .docx, an HTML page saved as .txt as
HTML.  Problems a user can cause come back as `Document.error = ReadError(code,
message)` (codes: empty, decode_error, corrupt_file, encrypted_pdf, no_text_layer,
unsupported_format, too_large, timeout, not_found); `read` never raises for them.

Modules: txt (encodings), docx (lxml walk + numbering), pdf (pypdfium2 + layout),
doc (LibreOffice -> docx), html (visible text), common (errors, limits, text builder).
"""
from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Optional

from schemas import Document, ReadError

from pipeline.read.common import WS_STRIP, Deadline, Failure

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
_FORMATS = ("txt", "docx", "pdf", "doc", "html")
_IMAGES = (b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*", b"BM")
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CTRL_BYTES = bytes(c for c in range(32) if c not in (9, 10, 11, 12, 13, 27))


def sniff(data: bytes) -> str:
    """'pdf', 'zip', 'doc', 'rtf', 'ole' (not Word), 'image', 'binary' or 'text'."""
    head = data[:16]
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(_OLE):
        if "WordDocument".encode("utf-16-le") in data:
            return "doc"
        return "ole"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if head.startswith(_IMAGES):
        return "image"
    sample = data[:8192]
    if b"\x00" in sample:
        # text only if it is UTF-16/32 (BOM, or decodes as plausible UTF-16 text)
        from pipeline.read.txt import looks_utf16

        return "text" if looks_utf16(data) else "binary"
    ctrl = len(sample) - len(sample.translate(None, _CTRL_BYTES))
    if ctrl > max(2, len(sample) // 100):
        return "binary"
    return "text"


def read(path, *, max_bytes: int = DEFAULT_MAX_BYTES, timeout: Optional[float] = None) -> Document:
    """Read one file into a Document; never raises for a problem the file causes."""
    p = Path(path)
    source = str(p)
    ext = p.suffix.lower().lstrip(".")
    guess = {"htm": "html", "xhtml": "html", "rtf": "doc", "wps": "doc"}.get(ext, ext)
    guess = guess if guess in _FORMATS else "txt"

    def fail(code: str, message: Optional[str] = None, fmt: str = guess, doc_id: str = "", **kw) -> Document:
        f = Failure(code, message)
        return Document(source=source, doc_id=doc_id, format=fmt, error=ReadError(code=code, message=f.message), **kw)

    try:
        st = p.stat()
        if not p.is_file():
            return fail("not_found", "路径不是文件，请检查路径")
    except OSError:
        return fail("not_found")
    if st.st_size > max_bytes:
        return fail("too_large", f"文件大小 {_size(st.st_size)}，超过读取上限 {_size(max_bytes)}，请拆分或压缩图片后再提交",
                    doc_id=_hash_file(p) if st.st_size <= 20 * max(max_bytes, 1 << 20) else "")
    try:
        data = p.read_bytes()
    except OSError:
        return fail("not_found")
    doc_id = hashlib.sha256(data).hexdigest()
    deadline = Deadline(timeout)
    fmt = guess
    kind = None
    try:
        deadline.check()
        kind = sniff(data)
        if len(data) <= 65536 and not data.strip(b" \t\r\n\x00\x0b\x0c"):
            raise Failure("empty")  # (larger all-blank files end up empty after decoding)
        fmt, doc = _dispatch(kind, data, source, doc_id, guess, max_bytes, deadline)
        if not doc.text.strip(WS_STRIP):
            raise Failure("no_text_layer" if fmt == "pdf" else "empty")
        return doc
    except Failure as f:
        fmt = getattr(f, "fmt", None) or _KIND_FMT.get(kind, guess)
        return Document(source=source, doc_id=doc_id, format=fmt, error=ReadError(code=f.code, message=f.message))
    except MemoryError:
        return fail("too_large", doc_id=doc_id, fmt=_KIND_FMT.get(kind, guess))
    except Exception as e:  # a file our parsers could not handle: stored as a value, logged
        log.warning("read(%s) failed: %r", source, e)
        return fail("corrupt_file", "文件结构异常，无法解析，请重新导出或另存后提交", fmt=_KIND_FMT.get(kind, guess), doc_id=doc_id,
                    warnings=[f"internal: {type(e).__name__}: {e}"[:300]])


_KIND_FMT = {"pdf": "pdf", "zip": "docx", "doc": "doc", "rtf": "doc"}


def _dispatch(kind: str, data: bytes, source: str, doc_id: str, guess: str, max_bytes: int, deadline: Deadline):
    if kind == "pdf":
        from pipeline.read.pdf import read_pdf

        try:
            text, b, warnings = read_pdf(data, deadline=deadline)
        except Failure as f:
            raise _with_fmt(f, "pdf")
        return "pdf", Document(source=source, doc_id=doc_id, format="pdf", text=text, pages=b.pages, blocks=b.blocks, warnings=warnings)
    if kind == "zip":
        from pipeline.read.docx import read_docx

        try:
            text, b, warnings = read_docx(data, max_bytes=max_bytes, deadline=deadline)
        except Failure as f:
            raise _with_fmt(f, "docx")
        return "docx", Document(source=source, doc_id=doc_id, format="docx", text=text, blocks=b.blocks, warnings=warnings)
    if kind in ("doc", "rtf"):
        from pipeline.read.doc import read_doc

        try:
            text, b, warnings = read_doc(data, kind, max_bytes=max_bytes, deadline=deadline)
        except Failure as f:
            raise _with_fmt(f, "doc")
        return "doc", Document(source=source, doc_id=doc_id, format="doc", text=text, blocks=b.blocks, warnings=warnings)
    if kind == "ole":
        raise Failure("unsupported_format", "这是 Office 文件但不是 Word 文档（或设置了密码），请提交 .docx、.pdf 或 .txt")
    if kind == "image":
        raise Failure("unsupported_format", "这是图片文件，需要先做 OCR（文字识别），或提交含文字层的 PDF/Word 文件")
    if kind == "binary":
        raise Failure("unsupported_format")
    from pipeline.read.html import looks_like_html, meta_charset, read_html
    from pipeline.read.txt import build, decode

    text, enc, warnings = decode(data, declared=meta_charset(data) if data.lstrip()[:1] == b"<" else None)
    if looks_like_html(text):
        try:
            text2, enc, w2, b = read_html(data, deadline=deadline, text=text, enc=enc)
        except Failure as f:
            raise _with_fmt(f, "html")
        return "html", Document(source=source, doc_id=doc_id, format="html", text=text2, encoding=enc, blocks=b.blocks, warnings=warnings + w2)
    text, enc, warnings, b = build(text, enc, warnings)
    return "txt", Document(source=source, doc_id=doc_id, format="txt", text=text, encoding=enc, blocks=b.blocks, warnings=warnings)


def _with_fmt(f: Failure, fmt: str) -> Failure:
    f.fmt = fmt
    return f


def _size(n: int) -> str:
    return f"{n / 1048576:.1f} MB" if n >= 1048576 else f"{n / 1024:.0f} KB"


def _hash_file(p: Path) -> str:
    h = hashlib.sha256()
    try:
        with open(p, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return ""
    return h.hexdigest()
