"""Plain text: detect the encoding from the bytes (BOM, strict UTF-8, UTF-16 without
BOM, GB18030 validated as Chinese, charset-normalizer last), keep every source
character, normalise line endings only.

charset_normalizer takes ~0.3 s to import, so it is imported only when the cheap
candidates all fail.
"""
from __future__ import annotations

import codecs
from typing import Optional

from pipeline.read.common import CONTROL_RE, PUA_RE, Failure, TextBuilder, looks_like_heading, normalise_newlines, unusual_count

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def plausibility(text: str, *, strict_cjk: bool = True) -> float:
    """Share of characters a Chinese report plausibly contains: ASCII, whitespace and
    (with strict_cjk) the usual simplified/traditional characters and symbols;
    control and private-use characters always count against.  ~1.0 for real text;
    ~0.3-0.6 for bytes decoded with the wrong codec."""
    n = len(text)
    if n == 0:
        return 1.0
    if strict_cjk:
        bad = unusual_count(text)  # includes control and private-use characters
    else:
        bad = len(CONTROL_RE.findall(text)) + len(PUA_RE.findall(text))
    return max(0.0, 1.0 - bad / n)


def _strict(data: bytes, enc: str) -> Optional[str]:
    try:
        return data.decode(enc)
    except (UnicodeDecodeError, LookupError):
        return None


def decode(data: bytes, declared: Optional[str] = None) -> tuple[str, str, list[str]]:
    """Bytes -> (text, encoding, warnings).  Raises Failure('decode_error')."""
    warnings: list[str] = []
    for bom, enc in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            text = _strict(body, enc.replace("-sig", ""))
            if text is None:
                text = body.decode(enc.replace("-sig", ""), "replace")
                n_bad = text.count("\ufffd")
                if n_bad > max(2, len(text) // 1000):
                    raise Failure("decode_error")
                warnings.append(f"有 {n_bad} 处字节无法按 {enc} 解码，已用 � 代替，请核对原件")
            return text, enc, warnings

    if declared:
        enc = _canonical(declared)
        text = _strict(data, enc)
        if text is not None and plausibility(text, strict_cjk=enc.startswith("gb")) >= 0.9:
            return text, enc, warnings

    if b"\x00" in data:
        # UTF-16 without BOM (ASCII shows as NULs; so does 一 U+4E00): best plausible decode
        best = max(((plausibility(t), enc, t) for enc in ("utf-16-le", "utf-16-be")
                    for t in [_strict(data, enc)] if t is not None), default=None)
        if best is not None and best[0] >= 0.9:
            return best[2], best[1], warnings
        raise Failure("decode_error")

    text = _strict(data, "utf-8")
    if text is not None:
        return text, "utf-8", warnings

    candidates: list[tuple[float, str, str]] = []
    text = _strict(data, "gb18030")
    if text is not None:
        candidates.append((plausibility(text), "gb18030", text))
    if len(data) % 2 == 0:
        for enc in ("utf-16-le", "utf-16-be"):
            t = _strict(data, enc)
            if t is not None:
                candidates.append((plausibility(t), enc, t))
    if candidates:
        score, enc, text = max(candidates)
        if score >= 0.9:
            if enc == "gb18030" and _strict(data, "gbk") is not None:
                enc = "gbk"
            return text, enc, warnings

    # A UTF-8 file with a few damaged bytes (e.g. cut off mid-character)
    text = data.decode("utf-8", "replace")
    n_bad = text.count("\ufffd")
    if n_bad <= max(1, len(data) // 2000) and plausibility(text, strict_cjk=False) >= 0.99:
        warnings.append(f"有 {n_bad} 处字节不是合法的 UTF-8，已用 � 代替，请核对原件")
        return text, "utf-8", warnings

    import charset_normalizer  # slow import: last resort only

    best = charset_normalizer.from_bytes(data).best()
    if best is not None and best.encoding:
        text = str(best)
        if plausibility(text) >= 0.95:
            return text, best.encoding, warnings
    raise Failure("decode_error")


def looks_utf16(data: bytes) -> bool:
    """Bytes with NULs that are UTF-16/32 text (with a BOM, or without one but decoding
    to plausible text), as opposed to a binary file."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    sample = data[: 16384 & ~3]
    for enc in ("utf-16-le", "utf-16-be"):
        t = sample.decode(enc, "replace")
        if t.count("\ufffd") <= 2 and plausibility(t) >= 0.9:
            return True
    return False


def _canonical(enc: str) -> str:
    e = enc.strip().lower().replace("_", "-")
    if e in ("gb2312", "gbk", "gb-2312", "x-gbk", "cp936", "gb18030", "euc-cn"):
        return "gb18030"  # superset: pages labelled gb2312 routinely use GBK characters
    try:
        return codecs.lookup(e).name
    except LookupError:
        return "utf-8"


def read_txt(data: bytes) -> tuple[str, str, list[str], TextBuilder]:
    text, enc, warnings = decode(data)
    return build(text, enc, warnings)


def build(text: str, enc: str, warnings: list[str]) -> tuple[str, str, list[str], TextBuilder]:
    text = normalise_newlines(text)
    if text.startswith("\ufeff"):
        text = text[1:]
    b = TextBuilder()
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            kind = "heading" if looks_like_heading(line) else "paragraph"
            b.blocks.append({"kind": kind, "start": pos, "end": pos + len(line), "page": None})
        pos += len(line) + 1
    return text, enc, warnings, b
