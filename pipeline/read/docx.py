""".docx: a direct lxml walk of word/document.xml (+ numbering.xml, + the styles the
body uses), ~20x faster than python-docx's full package load, and it keeps what
python-docx drops:

- automatic numbering labels (一、 （一） 1. ① …) rebuilt from numbering.xml, with
  Word's counters (per abstract list, restarted by startOverride, deeper levels reset);
- text in content controls (w:sdt), smart tags, custom XML, hyperlinks, fields' results,
  inserted revisions; text boxes (DrawingML, its VML fallback skipped so nothing is doubled);
- tables in document order, one row per line, cells joined by a tab;
- no artefacts: bookmarks, deleted text, field instructions and hidden runs yield nothing.

Not part of the text: headers/footers, footnotes/endnotes, comments, deleted revisions,
hidden runs, field instructions, bullets (markers, not labels).

Most paragraphs hold nothing but runs of plain w:t: their text is gathered in one pass
over the body in lxml's C iteration (a tag filter, no Python call per element), and only
paragraphs holding anything else (hidden text, tabs, breaks, containers, content
controls, text boxes, math) take the element-by-element walk (see _Walker.index).

The package is read with struct+zlib (zipfile for zip64 and other rarities), parts are
inflated with a bound (zip bombs are refused), styles.xml is inflated only as far as
the styles in use, and numbering/style definitions are shared between documents whose
parts are byte-identical.  python-docx is the fallback when the walk meets XML it
cannot handle (with a warning).
"""
from __future__ import annotations

import functools
import re
import struct
import zipfile
import zlib
from io import BytesIO
from typing import Optional

from lxml import etree

from pipeline.read.common import WS_STRIP, Deadline, Failure, TextBuilder, looks_like_heading

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_W = "{%s}" % W
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
M_T = "{http://schemas.openxmlformats.org/officeDocument/2006/math}t"
T, P, R, TBL, TR, TC, SDT, SDTCONTENT = (_W + x for x in ("t", "p", "r", "tbl", "tr", "tc", "sdt", "sdtContent"))
TXBX = _W + "txbxContent"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True)

# Parts larger than this (uncompressed) are refused, and so are parts compressed more
# than _MAX_RATIO:1 beyond _RATIO_FLOOR bytes: a zip bomb is refused, not expanded.
_MAX_RATIO = 200
_RATIO_FLOOR = 8 * 1024 * 1024

# containers whose children are walked as if inline
_TRANSPARENT = {_W + x for x in ("hyperlink", "smartTag", "customXml", "fldSimple", "ins", "moveTo", "bdo", "dir", "sdtContent")}

# what a paragraph's text can hold besides its runs' w:t: containers walked as if inline,
# content controls, run content other than w:t (hidden text, tabs, breaks, symbols,
# drawings and text boxes), math, and nodes that are not elements (a processing
# instruction in a paragraph sends the walk to python-docx).  A paragraph with any of
# these inside takes the general walk; the list may say too much, never too little.
_SPECIAL = tuple(_TRANSPARENT) + tuple(_W + x for x in (
    "sdt", "vanish", "tab", "ptab", "br", "cr", "noBreakHyphen", "sym", "drawing", "pict", "object", "txbxContent", "oMathPara",
)) + (MC + "AlternateContent", "{*}oMath", "{*}oMathPara", etree.PI, etree.Entity, etree.Comment)


class _Unusual(Exception):
    """A zip feature the fast reader leaves to zipfile (zip64, offsets, encryption)."""


class _Info:
    __slots__ = ("CRC", "compress_size", "file_size", "method", "offset", "flag")

    def __init__(self, crc, csize, usize, method, offset, flag):
        self.CRC, self.compress_size, self.file_size, self.method, self.offset, self.flag = crc, csize, usize, method, offset, flag


_CENTRAL_ENTRY = struct.Struct("<4s6H3L5H2L")  # a central directory file header (46 bytes)


class _FastZip:
    """The part of zipfile.ZipFile the walk uses (namelist/getinfo/open), reading the
    central directory with struct and inflating with zlib: a .docx has ~20 members and
    zipfile's pure-Python directory parsing costs more than the whole body walk.
    Anything unusual raises _Unusual and zipfile takes over."""

    def __init__(self, data: bytes):
        self.data = data
        eocd = data.rfind(b"PK\x05\x06", max(0, len(data) - 65557))
        if eocd < 0 or eocd + 22 > len(data):
            raise zipfile.BadZipFile("no end of central directory")
        _, _, _, _, n, cd_size, cd_off, _ = struct.unpack("<4s4H2LH", data[eocd : eocd + 22])
        if n == 0xFFFF or cd_off == 0xFFFFFFFF or cd_off + cd_size != eocd:
            raise _Unusual()
        # name -> the _Info fields as a tuple (an _Info is made only for the members asked for)
        self.infos: dict[str, tuple] = {}
        p = cd_off
        entry = _CENTRAL_ENTRY.unpack_from
        for _ in range(n):
            (sig, _, _, flag, method, _, _, crc, csize, usize, nlen, xlen, clen, _, _, _, off) = entry(data, p)
            if sig != b"PK\x01\x02":
                raise zipfile.BadZipFile("bad central directory")
            if 0xFFFFFFFF in (csize, usize, off):
                raise _Unusual()  # zip64 sizes live in the extra field: zipfile reads them
            raw = data[p + 46 : p + 46 + nlen]
            name = raw.decode("utf-8" if flag & 0x800 else "cp437")
            self.infos[name] = (crc, csize, usize, method, off, flag)
            p += 46 + nlen + xlen + clen

    def namelist(self) -> list[str]:
        return list(self.infos)

    def getinfo(self, name: str) -> _Info:
        return _Info(*self.infos[name])

    def open(self, info: _Info) -> "_Member":
        if info.flag & 1:
            raise RuntimeError("encrypted member")
        if info.method not in (0, 8):
            raise NotImplementedError("compression method")
        off, data = info.offset, self.data
        if data[off : off + 4] != b"PK\x03\x04":
            raise zipfile.BadZipFile("bad local header")
        nlen, xlen = struct.unpack("<2H", data[off + 26 : off + 30])
        start = off + 30 + nlen + xlen
        if start + info.compress_size > len(data):
            raise zipfile.BadZipFile("truncated member")
        return _Member(data[start : start + info.compress_size], info)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class _Member:
    def __init__(self, raw: bytes, info: _Info):
        self.pending, self.info = raw, info
        self.d = zlib.decompressobj(-15) if info.method == 8 else None
        self.done = False
        self.crc = 0

    def read(self, n: int = -1) -> bytes:
        if self.done:
            return b""
        if self.d is None:  # stored
            out, self.pending = (self.pending, b"") if n is None or n < 0 else (self.pending[:n], self.pending[n:])
            self.done = not self.pending
        elif n is None or n < 0:
            out = self.d.decompress(self.pending) + self.d.flush()
            self.pending, self.done = b"", True
        else:
            out = self.d.decompress(self.pending, n)
            self.pending = self.d.unconsumed_tail
            if not self.pending and len(out) < n:
                out += self.d.flush()
                self.done = True
        self.crc = zlib.crc32(out, self.crc)
        if self.done and self.crc != self.info.CRC:
            raise zipfile.BadZipFile("CRC mismatch")
        return out

    def close(self) -> None:
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _open_zip(data: bytes):
    try:
        return _FastZip(data)
    except (_Unusual, struct.error, UnicodeDecodeError):
        pass
    except zipfile.BadZipFile:
        pass  # let zipfile judge (it knows more layouts)
    try:
        return zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, EOFError, ValueError, OSError):
        raise Failure("corrupt_file")


def read_docx(data: bytes, *, max_bytes: int, deadline: Deadline) -> tuple[str, TextBuilder, list[str]]:
    zf = _open_zip(data)
    with zf:
        names = set(zf.namelist())
        main = _main_part(zf, names, max_bytes)
        if main is None:
            raise Failure("unsupported_format", _not_word(names))
        body_xml = _transitional(_read_part(zf, main, max_bytes))
        base = main.rsplit("/", 1)[0] + "/" if "/" in main else ""
        nname, sname = base + "numbering.xml", base + "styles.xml"
        if nname in names:
            numbering = _shared("numbering", zf.getinfo(nname), lambda: _NumDefs(_transitional(_read_part(zf, nname, max_bytes))))
        else:
            numbering = _NumDefs(None)
        if sname in names:
            styles = Styles(_PartStream(zf, sname, max_bytes), _shared("styles", zf.getinfo(sname), dict))
        else:
            styles = Styles(None)
        try:
            root = etree.fromstring(body_xml, _PARSER)
        except etree.XMLSyntaxError:
            raise Failure("corrupt_file")
        walker = _Walker(numbering, styles, deadline)
        body = root.find(_W + "body")
        if body is None:
            raise Failure("corrupt_file")
        try:
            walker.walk(body)
        except (Failure, MemoryError):
            raise
        except Exception:  # XML this walk does not expect (or nesting too deep): python-docx's view
            try:
                b = read_docx_python_docx(data)
            except Exception:
                raise Failure("corrupt_file")
            return b.text, b, ["正文结构异常，已改用简化方式读取：自动编号和文本框里的文字可能缺失，请核对原件"]
    return walker.builder.text, walker.builder, walker.warnings


class _PartStream:
    """A zip member inflated on demand, 32 KB at a time (styles.xml is often
    100-400 KB and only a few styles are needed, usually near its start)."""

    def __init__(self, zf: zipfile.ZipFile, name: str, max_bytes: int):
        self.zf, self.name, self.max_bytes = zf, name, max_bytes
        self.buf = b""
        self.fh = None
        self.done = False

    def more(self) -> bool:
        if self.done:
            return False
        try:
            if self.fh is None:
                info = self.zf.getinfo(self.name)
                if info.file_size > self.max_bytes:
                    raise Failure("too_large", "文件解压后过大（疑似压缩炸弹），已拒绝读取")
                self.fh = self.zf.open(info)
            chunk = self.fh.read(32768)
        except (zipfile.BadZipFile, EOFError, OSError, KeyError, RuntimeError):
            raise Failure("corrupt_file")
        except Exception as e:  # zlib.error
            if type(e).__name__ == "error":
                raise Failure("corrupt_file")
            raise
        if not chunk:
            self.done = True
            self.fh.close()
            return False
        self.buf += chunk
        if len(self.buf) > self.max_bytes:
            raise Failure("too_large", "文件解压后过大（疑似压缩炸弹），已拒绝读取")
        return True

    def all(self) -> bytes:
        while self.more():
            pass
        return self.buf


def _not_word(names: set) -> str:
    """What a zip package that is not a Word document is, and what to send instead."""
    if "OFD.xml" in names or any(n.lower().endswith("/ofd.xml") for n in names):
        return "这是 OFD 版式文件，暂不支持，请提交同一文件的 PDF 或 Word 版本"
    if "xl/workbook.xml" in names:
        return "这是 Excel 表格，不是报告正文，请提交 Word、PDF 或文本文件"
    if "ppt/presentation.xml" in names:
        return "这是 PowerPoint 演示文稿，请提交 Word、PDF 或文本文件"
    if "content.xml" in names and "mimetype" in names:
        return "这是 OpenDocument（WPS/LibreOffice）文档，请另存为 .docx 后提交"
    return "压缩包里没有 Word 正文（word/document.xml），请提交 .docx 文件"


_STRICT_W = b"http://purl.oclc.org/ooxml/wordprocessingml/main"


def _transitional(xml: bytes) -> bytes:
    """Word's "Strict Open XML" uses another namespace for the same elements."""
    if _STRICT_W in xml[:4096]:
        return xml.replace(_STRICT_W, W.encode())
    return xml


def _main_part(zf: zipfile.ZipFile, names: set, max_bytes: int) -> Optional[str]:
    if "word/document.xml" in names:
        return "word/document.xml"
    if "_rels/.rels" in names:  # the package may name its main part differently
        rels = _read_part(zf, "_rels/.rels", max_bytes)
        m = re.search(rb'Type="[^"]*/officeDocument"[^>]*Target="/?([^"]+)"|Target="/?([^"]+)"[^>]*Type="[^"]*/officeDocument"', rels)
        if m:
            target = (m.group(1) or m.group(2)).decode()
            if target in names and target.endswith(".xml"):
                return target
    return None


def _read_part(zf: zipfile.ZipFile, name: str, max_bytes: int) -> bytes:
    try:
        info = zf.getinfo(name)
        if info.file_size > max_bytes or (
            info.file_size > _RATIO_FLOOR and info.file_size > _MAX_RATIO * max(1, info.compress_size)
        ):
            raise Failure("too_large", "文件解压后过大（疑似压缩炸弹），已拒绝读取")
        with zf.open(info) as f:
            out = f.read(max_bytes + 1)  # never trust the header's size
        if len(out) > max_bytes:
            raise Failure("too_large", "文件解压后过大（疑似压缩炸弹），已拒绝读取")
        return out
    except (zipfile.BadZipFile, EOFError, OSError, KeyError, NotImplementedError, RuntimeError):
        # RuntimeError: an encrypted member; zlib errors surface as BadZipFile/zlib.error
        raise Failure("corrupt_file")
    except Exception as e:  # zlib.error
        if type(e).__name__ == "error":
            raise Failure("corrupt_file")
        raise


# --------------------------------------------------------------------------- numbering


def _chinese(n: int, legal: bool = False) -> str:
    digits = "零壹贰叁肆伍陆柒捌玖" if legal else "零一二三四五六七八九"
    units = ("", "拾", "佰", "仟") if legal else ("", "十", "百", "千")
    if n == 0:
        return digits[0]
    if n >= 10000:
        return str(n)
    out, zero = [], False
    s = str(n)
    for i, ch in enumerate(s):
        d, u = int(ch), len(s) - i - 1
        if d == 0:
            zero = True
            continue
        if zero and out:
            out.append(digits[0])
        zero = False
        out.append(digits[d] + units[u])
    r = "".join(out)
    if not legal and 10 <= n < 20:
        r = r[1:]  # 十一, not 一十一
    return r


def _letters(n: int, upper: bool) -> str:
    a = "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if upper else "abcdefghijklmnopqrstuvwxyz"
    return a[(n - 1) % 26] * ((n - 1) // 26 + 1) if n > 0 else ""


def _roman(n: int, upper: bool) -> str:
    if n <= 0:
        return str(n)
    vals = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
    out = []
    for v, s in vals:
        while n >= v:
            out.append(s)
            n -= v
    r = "".join(out)
    return r.upper() if upper else r


@functools.lru_cache(maxsize=4096)
def _formatted(n: int, fmt: str) -> str:
    return format_number(n, fmt)


def format_number(n: int, fmt: str) -> str:
    """Word's w:numFmt values, as Word renders them."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting", "taiwaneseCountingThousand", "ideographDigital"):
        return _chinese(n)
    if fmt in ("chineseLegalSimplified", "japaneseLegal"):
        return _chinese(n, legal=True)
    if fmt == "ideographTraditional":
        return "甲乙丙丁戊己庚辛壬癸"[(n - 1) % 10] if n > 0 else str(n)
    if fmt == "ideographZodiac":
        return "子丑寅卯辰巳午未申酉戌亥"[(n - 1) % 12] if n > 0 else str(n)
    if fmt == "taiwaneseDigital":
        return "".join("〇一二三四五六七八九"[int(c)] for c in str(n))
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n)
    if fmt == "decimalEnclosedParen":
        return chr(0x2474 + n - 1) if 1 <= n <= 20 else f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return chr(0x2488 + n - 1) if 1 <= n <= 20 else f"{n}."
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "lowerLetter":
        return _letters(n, False)
    if fmt == "upperLetter":
        return _letters(n, True)
    if fmt == "lowerRoman":
        return _roman(n, False)
    if fmt == "upperRoman":
        return _roman(n, True)
    if fmt == "none":
        return ""
    return str(n)


class _Level:
    __slots__ = ("start", "fmt", "text", "suff", "lgl", "restart", "_parts")

    def __init__(self, el):
        self.start, self.fmt, self.text, self.suff, self.lgl, self.restart = 1, "decimal", "", "tab", False, None
        self._parts = None
        v = _W + "val"
        for c in el:
            t = c.tag
            if t == _START:
                try:
                    self.start = int(c.get(v, "1"))
                except ValueError:
                    pass
            elif t == _NUMFMT:
                self.fmt = c.get(v, "decimal")
            elif t == _LVLTEXT:
                self.text = c.get(v, "")
            elif t == _SUFF:
                self.suff = c.get(v, "tab")
            elif t == _ISLGL:
                self.lgl = True
            elif t == _LVLRESTART:
                try:
                    self.restart = int(c.get(v, "1"))
                except ValueError:
                    pass


    def parts(self) -> tuple:
        """w:lvlText split at its %N: literal text (str) and the level each %N names (int,
        N - 1), alternating; computed once per level."""
        if self._parts is None:
            bits = _LVL_REF.split(self.text)
            self._parts = tuple(b if i % 2 == 0 else int(b) - 1 for i, b in enumerate(bits))
        return self._parts


_LVL_REF = re.compile(r"%(\d)")
_START, _NUMFMT, _LVLTEXT, _SUFF, _ISLGL, _LVLRESTART = (_W + x for x in ("start", "numFmt", "lvlText", "suff", "isLgl", "lvlRestart"))
_ABSTRACT, _NUM = _W + "abstractNum", _W + "num"


class _NumDefs:
    """What numbering.xml defines (no counters): shared by every document whose
    numbering part is byte-identical (documents from one template), see _shared()."""

    def __init__(self, xml: Optional[bytes]):
        self.abstract: dict = {}
        self.nums: dict = {}
        self.style_link: dict[str, str] = {}
        self.abstract_el: dict = {}
        self.num_el: dict = {}
        self.resets: dict[tuple, tuple] = {}  # (abstractNumId, ilvl) -> levels it restarts
        if not xml:
            return
        root = etree.fromstring(xml, _PARSER)
        for el in root:
            if el.tag == _ABSTRACT:
                self.abstract_el[el.get(_W + "abstractNumId")] = el
            elif el.tag == _NUM:
                self.num_el[el.get(_W + "numId")] = el


_SHARED: dict = {}


def _shared(kind: str, info: zipfile.ZipInfo, make):
    """Parsed definitions keyed by the zip member's CRC and sizes (a small FIFO cache):
    many reports share their template's numbering.xml and styles.xml."""
    key = (kind, info.CRC, info.file_size, info.compress_size)
    v = _SHARED.get(key)
    if v is None:
        v = _SHARED[key] = make()
        if len(_SHARED) > 128:
            _SHARED.pop(next(iter(_SHARED)))
    return v


class Numbering:
    """numbering.xml: w:num -> w:abstractNum levels; counters kept the way Word does
    (per abstract list; a w:num's startOverride restarts a level when first used)."""

    def __init__(self, xml_or_defs):
        d = xml_or_defs if isinstance(xml_or_defs, _NumDefs) else _NumDefs(xml_or_defs)
        self.abstract, self.nums, self.style_link = d.abstract, d.nums, d.style_link
        self.abstract_el, self.num_el = d.abstract_el, d.num_el
        self.counters: dict[str, list[Optional[int]]] = {}
        self.seen: set[str] = set()
        self.resets = d.resets

    def _num(self, nid: str) -> Optional[tuple]:
        """(abstractNumId, {ilvl: startOverride}, {ilvl: overriding level}) of a w:num."""
        if nid in self.nums:
            return self.nums[nid]
        num = self.num_el.get(nid)
        a = num.find(_W + "abstractNumId") if num is not None else None
        if a is None:
            self.nums[nid] = None
            return None
        starts: dict[int, Optional[int]] = {}
        levels: dict[int, _Level] = {}
        for ov in num.iterchildren(_W + "lvlOverride"):
            il = _int(ov.get(_W + "ilvl"), 0)
            so = ov.find(_W + "startOverride")
            starts[il] = _int(so.get(_VAL), 1) if so is not None else None
            lv = ov.find(_W + "lvl")
            if lv is not None:
                levels[il] = _Level(lv)
        self.nums[nid] = r = (a.get(_VAL), starts, levels)
        return r

    def _levels(self, aid: str) -> Optional[dict]:
        if aid not in self.abstract:
            an = self.abstract_el.get(aid)
            if an is None:
                self.abstract[aid] = None
                return None
            self.abstract[aid] = {int(lv.get(_W + "ilvl", "0")): _Level(lv) for lv in an.iterchildren(_W + "lvl")}
            link = an.find(_W + "numStyleLink")
            if link is not None:
                self.style_link[aid] = link.get(_W + "val")
        return self.abstract[aid]

    def _resets(self, aid: str, ilvl: int, levels: dict) -> tuple:
        """The deeper levels a paragraph at `ilvl` restarts: all but those with lvlRestart 0."""
        key = (aid, ilvl)
        r = self.resets.get(key)
        if r is None:
            r = self.resets[key] = tuple(
                d for d in range(ilvl + 1, 10)
                if (dl := levels.get(d)) is None or dl.restart is None or dl.restart != 0)
        return r

    def label(self, num_id: str, ilvl: int, styles: "Styles") -> Optional[tuple[str, str]]:
        """The label text and suffix for the next paragraph of (numId, ilvl), advancing
        the counters; None when the paragraph is not numbered."""
        num = self._num(num_id) if num_id not in (None, "0") else None
        if num is None:
            return None
        aid, starts, over = num
        levels = self._levels(aid)
        if levels is not None and aid in self.style_link and not any(levels.values()):
            levels = None
        if (levels is None or not levels) and aid in self.style_link:
            linked = styles.num_of(self.style_link[aid])
            if linked and linked[0] != num_id and self._num(linked[0]) is not None:
                aid = self._num(linked[0])[0]
                levels = self._levels(aid)
        if not levels:
            return None
        lv = over.get(ilvl) or levels.get(ilvl)
        if lv is None:
            return None
        ctr = self.counters.setdefault(aid, [None] * 10)
        if num_id not in self.seen:
            self.seen.add(num_id)
            for il, st in starts.items():
                if st is not None and 0 <= il < 10:
                    ctr[il] = st - 1
        ctr[ilvl] = lv.start if ctr[ilvl] is None else ctr[ilvl] + 1
        for deeper in self._resets(aid, ilvl, levels):
            ctr[deeper] = None
        if lv.fmt == "bullet":
            return None  # bullets are markers, not labels
        out = []
        for k in lv.parts():
            if type(k) is str:
                out.append(k)
                continue
            kl = over.get(k) or levels.get(k)
            if kl is not None:
                n = ctr[k] if ctr[k] is not None else kl.start
                out.append(_formatted(n, "decimal" if (lv.lgl and k != ilvl) else kl.fmt))
        return "".join(out), lv.suff


class Styles:
    """Only what the walk needs from styles.xml: numbering, outline level and whether a
    paragraph style is a heading, resolved through w:basedOn.  A style's definition is
    located with bytes.find in the part inflated so far (inflating more only while it
    is not found) and only that element is parsed; the whole part is parsed only for
    unusual namespace prefixes."""

    def __init__(self, stream: Optional[_PartStream], shared: Optional[dict] = None):
        self.stream = stream
        self.parsed: Optional[dict] = None
        # definitions and resolutions depend on styles.xml alone: shared between documents
        # with the same styles part (see _shared)
        shared = shared if shared is not None else {}
        self.defs: dict[str, Optional[tuple]] = shared.setdefault("defs", {})
        self.cache: dict[str, tuple[Optional[tuple], Optional[int]]] = shared.setdefault("resolved", {})

    def _def(self, sid: str) -> Optional[tuple]:
        if sid in self.defs:
            return self.defs[sid]
        el = None
        st = self.stream
        if st is not None and self.parsed is None:
            key = b'w:styleId="' + sid.encode() + b'"'
            while True:
                i = st.buf.find(key)
                b = st.buf.find(b"</w:style>", i) if i >= 0 else -1
                if b >= 0 or not st.more():
                    break
            if i >= 0 and b >= 0:
                a = st.buf.rfind(b"<w:style ", 0, i)
                if a >= 0:
                    self.defs[sid] = d = _style_def_bytes(st.buf[a : b + 10])
                    return d
            elif i < 0 and st.done and b"<w:style " not in st.buf and st.buf:
                self._parse_all()
        if self.parsed is not None:
            el = self.parsed.get(sid)
        self.defs[sid] = d = _style_def(el) if el is not None else None
        return d

    def _parse_all(self) -> None:
        self.parsed = {}
        try:
            root = etree.fromstring(_transitional(self.stream.all()), _PARSER)
        except etree.XMLSyntaxError:
            return
        for st in root.iter(_W + "style"):
            self.parsed[st.get(_W + "styleId")] = st

    def resolve(self, sid: str) -> tuple[Optional[tuple], Optional[int]]:
        """(numPr (numId, ilvl) or None, outline level or None) of a paragraph style."""
        if sid in self.cache:
            return self.cache[sid]
        num_id = ilvl = outline = None
        seen = set()
        cur = sid
        while cur and cur not in seen:
            seen.add(cur)
            d = self._def(cur)
            if d is None:
                break
            based, num, ol = d
            if num is not None:
                if num_id is None and num[0] is not None:
                    num_id = num[0]
                if ilvl is None and num[1] is not None:
                    ilvl = num[1]
            if outline is None and ol is not None:
                outline = ol
            cur = based
        if num_id:
            res = ((num_id, ilvl if ilvl is not None else (outline if outline is not None and outline < 9 else 0)), outline)
        else:
            res = (None, outline)
        self.cache[sid] = res
        return res

    def num_of(self, sid: str) -> Optional[tuple]:
        return self.resolve(sid)[0]


_S_BASED = re.compile(rb'<w:basedOn w:val="([^"]*)"')
_S_NAME = re.compile(rb'<w:name w:val="([^"]*)"')
_S_NUMPR = re.compile(rb"<w:numPr>(.*?)</w:numPr>|<w:numPr/>", re.S)
_S_NUMID = re.compile(rb'<w:numId w:val="([^"]*)"')
_S_ILVL = re.compile(rb'<w:ilvl w:val="(\d+)"')
_S_OUTLINE = re.compile(rb'<w:outlineLvl w:val="(\d+)"')


def _style_def_bytes(chunk: bytes) -> tuple:
    """_style_def for one `<w:style>…</w:style>` element given as bytes (w: prefix),
    read with regular expressions: ~50x cheaper than parsing it."""
    based = _S_BASED.search(chunk)
    name = _S_NAME.search(chunk)
    num = None
    m = _S_NUMPR.search(chunk)
    if m and m.group(1):
        nid = _S_NUMID.search(m.group(1))
        il = _S_ILVL.search(m.group(1))
        num = (nid.group(1).decode() if nid else None, int(il.group(1)) if il else None)
    ol = _S_OUTLINE.search(chunk)
    outline = int(ol.group(1)) if ol else None
    nm = name.group(1).decode("utf-8", "replace").lower() if name else ""
    if outline is None:
        h = re.match(r"(?:heading|标题)\s*(\d)$", nm)
        if h:
            outline = int(h.group(1)) - 1
        elif nm == "title":
            outline = 0
    return (based.group(1).decode() if based else None, num, outline)


def _style_def(st) -> tuple:
    based = st.find(_W + "basedOn")
    name = st.find(_W + "name")
    ppr = st.find(_W + "pPr")
    num = outline = None
    if ppr is not None:
        np_ = ppr.find(_W + "numPr")
        if np_ is not None:
            nid = np_.find(_W + "numId")
            il = np_.find(_W + "ilvl")
            num = (nid.get(_W + "val") if nid is not None else None, int(il.get(_W + "val")) if il is not None else None)
        ol = ppr.find(_W + "outlineLvl")
        if ol is not None:
            outline = int(ol.get(_W + "val", "9"))
    nm = (name.get(_W + "val") if name is not None else "").lower()
    if outline is None:
        m = re.match(r"(?:heading|标题)\s*(\d)$", nm)
        if m:
            outline = int(m.group(1)) - 1
        elif nm == "title":
            outline = 0
    return (based.get(_W + "val") if based is not None else None, num, outline)


# --------------------------------------------------------------------------- the walk


class _Walker:
    def __init__(self, numbering_xml, styles: "Styles", deadline: Deadline):
        self.num = Numbering(numbering_xml)
        self.styles = styles
        self.deadline = deadline
        self.builder = TextBuilder()
        self.warnings: list[str] = []
        self.n = 0
        # the fast path of `paragraph` (see index): None until the body is indexed
        self.texts: Optional[dict] = None
        self.special: set = set()
        self.numbered: set = set()  # paragraphs with a numPr, pStyle or outlineLvl in some pPr

    def walk(self, body) -> None:
        self.index(body)
        self.blocks(body)

    def index(self, body) -> None:
        """One pass over the body in lxml's C iteration (a tag filter, no Python call per
        element) for the fast path of `paragraph`: the text of every w:t whose run is a
        direct child of a paragraph, by paragraph, and the paragraphs that hold anything
        else the walk treats specially (_SPECIAL, anywhere inside them), which take the
        general path.  What is left for the fast path is a paragraph whose text is exactly
        its runs' w:t in order: every other element in it is one the walk ignores.
        The pass also notes the paragraphs whose properties can number them or make them
        headings; `numbering` has nothing to find in the others."""
        texts: dict = {}
        special, numbered = self.special, self.numbered
        for el in body.iter(T, _NUMPR, _PSTYLE, _OUTLINE, *_SPECIAL):
            tag = el.tag
            if tag == T:
                r = el.getparent()
                if r.tag == R:
                    p = r.getparent()
                    if p.tag == P:
                        s = el.text
                        if s:
                            got = texts.get(p)
                            if got is None:
                                texts[p] = [s]
                            else:
                                got.append(s)
            elif tag == _NUMPR or tag == _PSTYLE or tag == _OUTLINE:
                numbered.add(el.getparent().getparent())
            else:
                special.update(el.iterancestors(P))
        self.texts = texts

    # block level -----------------------------------------------------------
    def blocks(self, parent) -> None:
        for el in parent:
            tag = el.tag
            if tag == P:
                self.paragraph(el)
            elif tag == TBL:
                self.table(el)
            elif tag == SDT or tag == _W + "customXml":
                content = el.find(SDTCONTENT) if tag == SDT else el
                if content is not None:
                    self.blocks(content)
            elif tag in (_W + "ins", _W + "moveTo", _W + "altChunk"):
                self.blocks(el)

    def paragraph(self, p) -> None:
        self.n += 1
        if self.n & 63 == 0:
            self.deadline.check()
        texts = self.texts
        boxes: list = []
        if texts is None or p in self.numbered:
            label, heading = self.numbering(p)
        else:
            label, heading = None, False
        if texts is not None and p not in self.special:
            text = "".join(texts.get(p, ()))  # runs of plain text only (see index)
        else:
            buf: list[str] = []
            self.inline(p, buf, boxes)
            text = "".join(buf)
        if label is not None and text.strip(WS_STRIP):
            text = label + text
        if "\n" not in text:  # one line (the usual case)
            ln = text.strip(WS_STRIP)
            if ln:
                self.builder.add(ln, "heading" if heading or looks_like_heading(ln) else "paragraph")
        else:
            for i, ln in enumerate(text.split("\n")):
                ln = ln.strip(WS_STRIP)
                if ln:
                    self.builder.add(ln, "heading" if i == 0 and (heading or looks_like_heading(ln)) else "paragraph")
        for box in boxes:
            self.blocks(box)

    def numbering(self, p) -> tuple[Optional[str], bool]:
        num_id = ilvl = outline = style = None
        ppr = p[0] if len(p) and p[0].tag == _PPR else None
        if ppr is not None:
            for c in ppr:
                t = c.tag
                if t == _NUMPR:
                    for d in c:
                        if d.tag == _NUMID:
                            num_id = d.get(_VAL)
                        elif d.tag == _ILVL:
                            ilvl = _int(d.get(_VAL), 0)
                elif t == _PSTYLE:
                    style = c.get(_VAL)
                elif t == _OUTLINE:
                    outline = _int(c.get(_VAL), 9)
            if style is not None:
                snum, sol = self.styles.resolve(style)
                if snum is not None:
                    if num_id is None:
                        num_id = snum[0]
                    if ilvl is None:
                        ilvl = snum[1]
                if outline is None:
                    outline = sol
        heading = outline is not None and outline < 9
        if num_id is None:
            return None, heading
        lab = self.num.label(num_id, ilvl or 0, self.styles)
        if lab is None:
            return None, heading
        text, suff = lab
        return text + ("" if suff == "nothing" or not text else " "), heading

    # inline level ------------------------------------------------------------
    def inline(self, parent, buf: list, boxes: list) -> None:
        for el in parent:
            tag = el.tag
            if tag == R:
                self.run(el, buf, boxes)
            elif tag in _TRANSPARENT:
                self.inline(el, buf, boxes)
            elif tag == SDT:
                c = el.find(SDTCONTENT)
                if c is not None:
                    self.inline(c, buf, boxes)
            elif tag == MC + "AlternateContent":
                self.alternate(el, buf, boxes)
            elif isinstance(tag, str) and tag.endswith(("}oMathPara", "}oMath")):  # (Word writes oMathPara in the math namespace)
                buf.extend(t.text or "" for t in el.iter(M_T))
            # (comments and processing instructions, whose tag is not a string, have no text)

    def run(self, r, buf: list, boxes: list) -> None:
        for el in r:
            tag = el.tag
            if tag == _RPR:
                for v in el:
                    if v.tag == _VANISH and v.get(_VAL, "true") not in ("0", "false", "off"):
                        return  # hidden text
            elif tag == T:
                if el.text:
                    buf.append(el.text)
            elif tag == _W + "tab" or tag == _W + "ptab":
                buf.append("\t")
            elif tag == _W + "br":
                if el.get(_W + "type") in (None, "textWrapping"):
                    buf.append("\n")
            elif tag == _W + "cr":
                buf.append("\n")
            elif tag == _W + "noBreakHyphen":
                buf.append("-")
            elif tag == _W + "sym":
                c = el.get(_W + "char")
                if c:
                    try:
                        cp = int(c, 16)
                        buf.append(chr(cp - 0xF000 if 0xF020 <= cp <= 0xF0FF else cp))
                    except ValueError:
                        pass
            elif tag == MC + "AlternateContent":
                self.alternate(el, buf, boxes)
            elif tag in (_W + "drawing", _W + "pict", _W + "object"):
                boxes.extend(el.iter(TXBX))

    def alternate(self, el, buf: list, boxes: list) -> None:
        # one branch only: Choice (DrawingML) and Fallback (VML) hold the same text box
        branch = el.find(MC + "Choice")
        if branch is None:
            branch = el.find(MC + "Fallback")
        if branch is None:
            return
        txbx = list(branch.iter(TXBX))
        if txbx:
            boxes.extend(txbx)
        else:
            self.inline(branch, buf, boxes)

    # tables ------------------------------------------------------------------
    def table(self, tbl) -> None:
        for tr in _rows(tbl):
            cells: list[str] = []
            for tc in _row_cells(tr):
                text = self.cell_text(tc)
                cells.append(text)
                tcpr = _child(tc, _TCPR)
                if tcpr is not None:
                    gs = _child(tcpr, _GRIDSPAN)
                    if gs is not None:
                        cells.extend([""] * max(0, min(_int(gs.get(_W + "val"), 1), 64) - 1))  # (a damaged span: one cell)
            if any(c for c in cells):
                self.builder.add("\t".join(cells), "table_row")

    def cell_text(self, tc) -> str:
        """A cell's paragraphs (and nested tables) flattened onto one line."""
        saved, self.builder = self.builder, _Lines()
        try:
            self.blocks(tc)
            lines = self.builder.lines
        finally:
            self.builder = saved
        return " ".join(ln.replace("\t", " ") for ln in lines if ln)


class _Lines:
    """Collects a table cell's lines (the walk's builder while inside a cell)."""

    __slots__ = ("lines",)

    def __init__(self):
        self.lines: list[str] = []

    def add(self, line: str, kind: str = "paragraph", page=None) -> None:
        self.lines.append(line)


_PPR, _NUMPR, _NUMID, _ILVL, _PSTYLE, _OUTLINE, _VAL = (_W + x for x in ("pPr", "numPr", "numId", "ilvl", "pStyle", "outlineLvl", "val"))
_RPR, _VANISH = _W + "rPr", _W + "vanish"
_TCPR, _GRIDSPAN = _W + "tcPr", _W + "gridSpan"


def _child(el, tag: str):
    """el.find(tag) for a plain tag, without ElementPath's overhead (a loop over the
    children is cheaper still than iterchildren(tag) when the child comes early)."""
    for c in el:
        if c.tag == tag:
            return c
    return None


def _int(v: Optional[str], default: int) -> int:
    try:
        return int(v)
    except (TypeError, ValueError):
        return default


def _rows(tbl):
    """The table's own rows (also inside row-level content controls), not nested tables'."""
    for el in tbl:
        if el.tag == TR:
            yield el
        elif el.tag in (SDT, _W + "customXml"):
            c = el.find(SDTCONTENT) if el.tag == SDT else el
            if c is not None:
                yield from _rows(c)


def _row_cells(tr):
    for el in tr:
        if el.tag == TC:
            yield el
        elif el.tag in (SDT, _W + "customXml"):
            c = el.find(SDTCONTENT) if el.tag == SDT else el
            if c is not None:
                yield from _row_cells(c)


def read_docx_python_docx(data: bytes) -> TextBuilder:
    """Fallback: python-docx's view (no numbering labels, no text boxes)."""
    import docx  # python-docx

    d = docx.Document(BytesIO(data))
    b = TextBuilder()
    for block in d.element.body.iterchildren():
        if block.tag == P:
            text = "".join(t.text or "" for t in block.iter(T)).strip(WS_STRIP)
            if text:
                b.add(text)
        elif block.tag == TBL:
            for tr in block.iter(TR):
                cells = [" ".join("".join(t.text or "" for t in p.iter(T)) for p in tc.iter(P)).strip(WS_STRIP) for tc in tr.iter(TC)]
                if any(cells):
                    b.add("\t".join(cells), "table_row")
    return b
