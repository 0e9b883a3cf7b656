"""Shared pieces of the readers: the internal failure exception, the time budget,
the text builder that records blocks with offsets, and the character classes the
cleanup and quality gates use.

Readers raise `Failure(code)` for problems a user can cause; `pipeline.read.read`
turns it into a `ReadError` value, so nothing escapes to the user as a traceback.
"""
from __future__ import annotations

import re
import sys
import time
from array import array
from typing import Optional

from schemas import Page

# One line, Chinese, says what to do.  `{detail}` is filled where a reader knows more.
MESSAGES = {
    "empty": "文件没有可读的文字内容，请确认上传的是正文文件",
    "decode_error": "无法识别文本编码（已尝试 UTF-8、UTF-16、GB18030/GBK），请另存为 UTF-8 后重新提交",
    "corrupt_file": "文件已损坏或不完整，无法打开，请重新导出或重新上传原文件",
    "encrypted_pdf": "PDF 设置了打开密码，请提供未加密的版本",
    "no_text_layer": "扫描件没有文字层，需要先做 OCR（文字识别）再提交",
    "unsupported_format": "不支持的文件格式，请提交 .docx、.pdf（含文字层）、.doc、.html 或 .txt 文件",
    "too_large": "文件过大，超过读取上限，请拆分后再提交",
    "timeout": "读取超时，文件可能过大或结构异常，请另存后重试",
    "not_found": "找不到该文件或无权读取，请检查路径",
}


class Failure(Exception):
    """A user-caused problem; becomes `Document.error`."""

    def __init__(self, code: str, message: Optional[str] = None):
        super().__init__(code)
        self.code = code
        self.message = message or MESSAGES[code]


class Deadline:
    """A cooperative time budget: readers call `check()` between pages/paragraphs and
    pass `remaining()` to subprocesses."""

    __slots__ = ("end",)

    def __init__(self, timeout: Optional[float]):
        self.end = None if timeout is None else time.monotonic() + timeout

    def check(self) -> None:
        if self.end is not None and time.monotonic() >= self.end:
            raise Failure("timeout")

    def remaining(self, default: float) -> float:
        if self.end is None:
            return default
        return max(0.0, min(default, self.end - time.monotonic()))


# --------------------------------------------------------------------------- characters

# Han ideographs (URO + Ext A + compatibility + Ext B..)
HAN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
# CJK punctuation / full-width forms: no space is ever inserted next to these
_CJK_CLASS = "\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003134f"
CJK_RE = re.compile(f"[{_CJK_CLASS}]")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
PUA_RE = re.compile(r"[\ue000-\uf8ff]")
LETTER_RE = re.compile(r"[^\W\d_]")  # any script's letters (Han included)
# every character str.strip() drops (\x1c-\x1f and the Unicode spaces too), and zero-width space and BOM
WS_STRIP = "".join(chr(i) for i in range(0x3001) if chr(i).isspace()) + "\u200b\ufeff"


def is_cjk(ch: str) -> bool:
    return bool(ch) and CJK_RE.match(ch) is not None


_USUAL: Optional[dict] = None


def _usual_table() -> dict:
    """str.translate table deleting the characters Chinese prose is made of: ASCII,
    common whitespace, all of GB2312 (simplified: 6,763 Han + symbols) and Big5's
    symbols and frequent traditional characters (5,401).  ~12,000 characters; bytes
    decoded with the wrong codec land mostly outside it."""
    global _USUAL
    if _USUAL is None:
        def pairs(leads, trails) -> bytes:
            codes = array("H", [(hi << 8) | lo for hi in leads for lo in trails])
            if sys.byteorder == "little":
                codes.byteswap()
            return codes.tobytes()

        gb = pairs(range(0xA1, 0xF8), range(0xA1, 0xFF)).decode("gb2312", "ignore")
        big5 = pairs(range(0xA1, 0xC7), [*range(0x40, 0x7F), *range(0xA1, 0xFF)]).decode("big5", "ignore")
        extra = "".join(chr(c) for c in range(0x20, 0x7F)) + "\t\n\r\u00a0\u3000\u2002\u2003\u200b\ufeff·—–…“”‘’•※■□▲△◆◇○●★☆①②③④⑤⑥⑦⑧⑨⑩㎡㎞℃"
        _USUAL = dict.fromkeys(map(ord, gb + big5 + extra))
    return _USUAL


def unusual_count(text: str) -> int:
    """How many characters of `text` are outside the usual set (see _usual_table)."""
    return len(text.translate(_usual_table()))


# --------------------------------------------------------------------------- building text


class TextBuilder:
    """Accumulates lines of document text and the blocks that cover them.
    Every block is one line; `text` is the lines joined by '\\n'."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.pos = 0
        self.blocks: list[dict] = []
        self.pages: list[Page] = []

    def add(self, line: str, kind: str = "paragraph", page: Optional[int] = None) -> None:
        if self.parts:
            self.parts.append("\n")
            self.pos += 1
        start = self.pos
        self.parts.append(line)
        self.pos += len(line)
        # plain dicts: Document validates them in one pass (pydantic-core), far cheaper
        # than building a Block per line in Python
        self.blocks.append({"kind": kind, "start": start, "end": self.pos, "page": page})

    @property
    def text(self) -> str:
        return "".join(self.parts)


_LABEL_RE = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+\s*[、.．]|[（(]\s*[一二三四五六七八九十百]+\s*[）)]|"
    r"第[一二三四五六七八九十百0-9]+[章节部分条]|\d{1,2}\s*[、.．](?!\d)|[（(]\d{1,2}[）)]|[①-⑳])"
)


def looks_like_heading(line: str) -> bool:
    """A short line opening with an outline label (一、 （一） 1. （1） ① 第一章) and not
    ending like a sentence.  Only a hint for `Block.kind`; the outline is issue 4's."""
    s = line.strip()
    if not s or len(s) > 40 or "\t" in s:
        return False
    if s[-1] in "；;，,":
        return False
    if s[-1] == "。" and (len(s) > 25 or any(c in s[:-1] for c in "。；;，,")):
        return False
    return _LABEL_RE.match(s) is not None


def normalise_newlines(text: str) -> str:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text
