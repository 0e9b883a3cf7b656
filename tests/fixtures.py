"""Fixture generators: real documents of every format made from a seed text, and
malformed files for every read error code.  Importable by any test (pytest puts tests/ on sys.path) or tool (repo root on sys.path):

    from fixtures import make_docx, make_pdf, make_doc, make_html, make_txt        # in tests/
    from tests.fixtures import make_docx, make_pdf, make_doc, make_html, make_txt  # elsewhere

Each `make_<fmt>(text, path, ...)` writes `path` and returns it (a Path).  The text a
reader should give back is `expected_text(text, fmt)` (the seed minus the
`[bookmark: _GoBack]` artefacts the seed's own conversion left, for every format but
.txt), compared with `similarity()` after removing whitespace.

What the generated files contain, so that the readers are tested on what real
submissions look like:
- .docx (python-docx + raw XML): A4, CJK East-Asian font, body paragraphs justified with
  a two-character first-line indent; outline labels (一、 （一） 1. （1）) turned into
  Word automatic numbering wherever Word's counters reproduce the written label (the
  label leaves the paragraph text and lives in numbering.xml); a `_GoBack` bookmark
  where the seed has `[bookmark: _GoBack]`; one paragraph in a block content control,
  part of another in an inline content control and a smart tag; a short paragraph in a
  text box (DrawingML with a VML fallback holding the same text); a long paragraph cut
  into a two-column table; a running header (the title) and a `— N —` page-number footer.
- .pdf: LibreOffice headless export of that .docx (embedded CJK subset fonts with
  ToUnicode), as offices make them.
- .doc: LibreOffice's Word 97 export of that .docx (typed labels, no content controls).
- .html: meta charset (or http-equiv), h1/h2/p, a table, script/style/hidden noise,
  &nbsp; indents, source line breaks inside Chinese text.
- .txt: any codec (utf-8, utf-8-sig, gb18030, gbk, utf-16 with BOM, utf-16-le without), LF or CRLF.

Malformed files, one or more per read error code (each returns its path):
    empty              make_empty(path[, b" \r\n"]), make_docx("", path)
    decode_error       make_gbk_garbage(path)
    corrupt_file       make_truncated_zip(docx, path), make_broken_pdf(path), make_truncated_pdf(pdf, path)
    encrypted_pdf      make_encrypted_pdf(path)            (RC4-128, built by hand; user_password="" opens)
    no_text_layer      make_image_pdf(path)                (Pillow page images, as scanners write)
    unsupported_format make_unknown_binary, make_png, make_xlsx_like
    too_large          make_zip_bomb_docx(path)            (64 MB document.xml in ~65 KB)
    timeout            any real file with read(path, timeout=1e-9); a .doc with timeout=0.3
    not_found          a path that does not exist
Quality/layout probes: strip_tounicode(pdf, path) (fonts lose ToUnicode), make_pages_pdf(
[page texts], path) (e.g. a page of `(cid:N)`), wrap_sweep_text() (numbers at every line
offset), make_docx_from_xml(body_xml, path, numbering_xml, styles_xml) (hand-written XML).

LibreOffice conversions are cached in `.cache/fixtures/` (or $JIXIAO_FIXTURE_CACHE)
keyed by a hash of the content and the generator version, so repeated runs are fast.
Tests that need LibreOffice call `require_soffice()`: it fails under CI=true and skips
locally, naming what to install.
"""
from __future__ import annotations

import contextlib
import difflib
import hashlib
import os
import random
import re
import shutil
import subprocess
import tempfile
import threading
import zipfile
import zlib
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
CACHE = Path(os.environ.get("JIXIAO_FIXTURE_CACHE", ROOT / ".cache" / "fixtures"))
GENERATOR_VERSION = "10"  # bump when a generator changes what it writes

GOBACK = "[bookmark: _GoBack]"
CJK_FONT = "Noto Serif CJK SC"


# --------------------------------------------------------------------------- seeds and comparison


def seed_names() -> list[str]:
    return sorted(p.stem for p in CORPUS.glob("*.txt"))


def seed_text(name: str) -> str:
    return (CORPUS / f"{name}.txt").read_text(encoding="utf-8")


def expected_text(text: str, fmt: str) -> str:
    """What a reader should return for a file made from `text` (up to whitespace)."""
    return text if fmt == "txt" else text.replace(GOBACK, "")


_WS = re.compile(r"[\s\u00a0\u3000\u2002\u2003\u200b\ufeff]+")


def normalise_ws(s: str) -> str:
    return _WS.sub("", s)


def similarity(a: str, b: str) -> float:
    """Character-level similarity (difflib ratio, no autojunk) after removing whitespace."""
    a, b = normalise_ws(a), normalise_ws(b)
    if not a and not b:
        return 1.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


# --------------------------------------------------------------------------- .txt and .html


def make_txt(text: str, path, encoding: str = "utf-8", newline: str = "\n") -> Path:
    """encoding: any Python codec; 'utf-16' writes a BOM, 'utf-16-le' does not."""
    path = Path(path)
    path.write_bytes(text.replace("\n", newline).encode(encoding))
    return path


def make_html(text: str, path, encoding: str = "utf-8", meta: str = "charset") -> Path:
    """A page as CMS systems publish reports.  meta: 'charset', 'http-equiv' or 'none'."""
    from html import escape

    path = Path(path)
    lines = [ln for ln in text.replace(GOBACK, "").split("\n")]
    title = next((ln.strip() for ln in lines if ln.strip()), "报告")
    if meta == "charset":
        head_meta = f'<meta charset="{encoding}">'
    elif meta == "http-equiv":
        head_meta = f'<meta http-equiv="Content-Type" content="text/html; charset={encoding}">'
    else:
        head_meta = ""
    out = [
        "<!DOCTYPE html>",
        "<html lang=\"zh-CN\">",
        f"<head>{head_meta}<title>{escape(title)} - 财政局</title>",
        "<style>p{text-indent:2em} .hide{display:none}</style>",
        "<script>var nav = '首页 > 通知公告'; document.write('');</script>",
        "</head>",
        "<body>",
        '<div class="nav" style="display:none">首页 &gt; 政务公开 &gt; 财政预决算</div>',
        '<div class="article">',
    ]
    body_idx = [i for i, ln in enumerate(lines) if len(ln.strip()) > 60]
    table_at = body_idx[len(body_idx) // 2] if body_idx else -1
    first = True
    for i, ln in enumerate(lines):
        s = ln.strip()
        if not s:
            continue
        if first:
            out.append(f"<h1>{escape(s)}</h1>")
            first = False
        elif i == table_at:
            out.append("<table border=\"1\">")
            for row in _table_rows(s):
                out.append("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>")
            out.append("</table>")
        elif _HEAD_RE.match(s) and len(s) <= 40:
            out.append(f"<h2>{escape(s)}</h2>")
        else:
            # source line breaks inside Chinese text, an inline span, &nbsp; indent
            h = escape(s)
            if len(h) > 50:
                h = h[:20] + "\n" + h[20:40] + '<span class="x">' + h[40:50] + "</span>" + h[50:]
            out.append(f"<p>&nbsp;&nbsp;{h}</p>")
    out += ["</div>", '<div class="footer">', "<script>console.log('统计代码')</script>", "</div>", "</body>", "</html>"]
    data = "\n".join(out)
    path.write_bytes(data.encode(encoding, "xmlcharrefreplace"))
    return path


# --------------------------------------------------------------------------- .docx

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_HEAD_RE = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d{1,2}\.(?!\d)|（\d{1,2}）)")
# level, pattern, numFmt, lvlText
_LEVELS = [
    (0, re.compile(r"^([一二三四五六七八九十]+)、"), "chineseCounting", "%1、"),
    (1, re.compile(r"^（([一二三四五六七八九十]+)）"), "chineseCounting", "（%2）"),
    (2, re.compile(r"^(\d{1,2})\.(?!\d)"), "decimal", "%3."),
    (3, re.compile(r"^（(\d{1,2})）"), "decimal", "（%4）"),
]
_CN = {c: i for i, c in enumerate("一二三四五六七八九", 1)}


def _cn_value(s: str) -> Optional[int]:
    if s.isdigit():
        return int(s)
    if s == "十":
        return 10
    if len(s) == 1:
        return _CN.get(s)
    if s.startswith("十") and len(s) == 2:
        return 10 + _CN.get(s[1], 0)
    if len(s) == 2 and s[1] == "十":
        return _CN.get(s[0], 0) * 10
    if len(s) == 3 and s[1] == "十":
        return _CN.get(s[0], 0) * 10 + _CN.get(s[2], 0)
    return None


def _table_rows(s: str, width: int = 16) -> list[list[str]]:
    """`s` cut into a two-column table, every cell filled (so each row shows a gap)."""
    chunks = [s[i : i + width] for i in range(0, len(s), width)]
    if len(chunks) % 2:
        last = chunks.pop()
        if len(last) < 2 and chunks:
            last = chunks.pop() + last
        chunks += [last[: len(last) // 2], last[len(last) // 2 :]]
    return [chunks[i : i + 2] for i in range(0, len(chunks), 2)]


def _qn(tag: str) -> str:
    p, t = tag.split(":")
    ns = {
        "w": W_NS,
        "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
        "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
        "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
        "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
        "v": "urn:schemas-microsoft-com:vml",
    }[p]
    return "{%s}%s" % (ns, t)


def _numbering_xml(abstract_id: int, num_id: int) -> tuple:
    from lxml import etree

    W = "{%s}" % W_NS
    an = etree.Element(W + "abstractNum", nsmap={"w": W_NS})
    an.set(W + "abstractNumId", str(abstract_id))
    mlt = etree.SubElement(an, W + "multiLevelType")
    mlt.set(W + "val", "multilevel")
    for lvl, _, fmt, text in _LEVELS:
        el = etree.SubElement(an, W + "lvl")
        el.set(W + "ilvl", str(lvl))
        for tag, val in (("start", "1"), ("numFmt", fmt), ("suff", "nothing"), ("lvlText", text), ("lvlJc", "left")):
            c = etree.SubElement(el, W + tag)
            c.set(W + "val", val)
    num = etree.Element(W + "num", nsmap={"w": W_NS})
    num.set(W + "numId", str(num_id))
    a = etree.SubElement(num, W + "abstractNumId")
    a.set(W + "val", str(abstract_id))
    return an, num


_TEXTBOX_XML = """<w:r xmlns:w="{w}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
 xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"
 xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
 xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>
<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/><wp:docPr id="{id}" name="文本框 {id}"/>
<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:cNvSpPr txBox="1"/>
<wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr>
<wps:txbx><w:txbxContent><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:txbxContent></wps:txbx>
<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="t"><a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:inline>
</w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape style="width:{wpt}pt;height:{hpt}pt" stroked="f" filled="f"><v:textbox inset="0,0,0,0"><w:txbxContent><w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"""


def make_docx(text: str, path, *, numbering: bool = True, extras: bool = True, controls: bool = True, header: bool = True,
              align: str = "justify", page_breaks: bool = False) -> Path:
    """A Word document of `text`, one paragraph per line (see the module docstring).
    numbering=False keeps labels as typed text; extras=False leaves out the content
    controls, text box and table; controls=False only the content controls and smart
    tag (Word 97 .doc has none); header=False leaves out the running header/footer;
    align='left' sets body paragraphs ragged-right; page_breaks=True starts a new page
    at every form feed ('\f') in `text`."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt
    from lxml import etree

    path = Path(path)
    d = Document()
    sec = d.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.left_margin = sec.right_margin = Cm(2.8)
    sec.top_margin, sec.bottom_margin = Cm(3.0), Cm(2.5)
    normal = d.styles["Normal"]
    normal.font.size = Pt(12)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = etree.SubElement(rpr, qn("w:rFonts"))
    for k in ("w:eastAsia", "w:ascii", "w:hAnsi"):
        fonts.set(qn(k), CJK_FONT)
    lang = etree.SubElement(rpr, qn("w:lang"))
    lang.set(qn("w:eastAsia"), "zh-CN")
    for hs in ("Heading 1", "Heading 2", "Heading 3"):
        st = d.styles[hs]
        st.font.size = Pt(12)
        st.font.color.rgb = None
        f = st.element.get_or_add_rPr().find(qn("w:rFonts"))
        if f is not None:
            for k in list(f.attrib):
                del f.attrib[k]
            f.set(qn("w:eastAsia"), CJK_FONT)
            f.set(qn("w:ascii"), CJK_FONT)
            f.set(qn("w:hAnsi"), CJK_FONT)

    num_id = None
    if numbering:
        npart = d.part.numbering_part.element
        an, num = _numbering_xml(90, 90)
        first_num = npart.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(an)
        else:
            npart.append(an)
        npart.append(num)
        num_id = "90"

    lines = text.split("\n")
    first_line = next((i for i, ln in enumerate(lines) if ln.strip()), -1)
    body = [i for i, ln in enumerate(lines) if len(ln.strip()) > 40 and not _HEAD_RE.match(ln.strip()) and GOBACK not in ln]
    short = [i for i, ln in enumerate(lines) if 6 <= len(ln.strip()) <= 30 and not _HEAD_RE.match(ln.strip()) and i != first_line and GOBACK not in ln]
    plan: dict[int, str] = {}
    if extras and body:
        plan[body[len(body) // 3]] = "table"
        if controls:
            for k, what in ((len(body) // 2, "sdt_block"), (len(body) * 2 // 3, "sdt_inline")):
                plan.setdefault(body[k], what)
    if extras:
        box = short[len(short) // 2] if short else (body[-1] if body and body[-1] not in plan else None)
        if box is not None:
            plan[box] = "textbox"

    counters: list[Optional[int]] = [None] * 4
    extra_num = 0
    cur_num = num_id
    for i, line in enumerate(lines):
        if page_breaks and "\f" in line:
            from docx.enum.text import WD_BREAK

            d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
            line = line.replace("\f", "")
        s = line.strip()
        what = plan.get(i)
        if not s:
            d.add_paragraph("")
            continue
        if what == "table":
            rows = _table_rows(s)
            t = d.add_table(rows=len(rows), cols=2)
            t.style = d.styles["Table Grid"]
            for r, row in enumerate(rows):
                for c, cell in enumerate(row):
                    t.cell(r, c).text = cell
            continue
        if what == "textbox":
            p = d.add_paragraph()
            from xml.sax.saxutils import escape

            wpt, hpt = 440, 20 * (len(s) // 34 + 1) + 6  # tall enough for every line at 12 pt
            r = parse_xml(_TEXTBOX_XML.format(w=W_NS, cx=wpt * 12700, cy=hpt * 12700, wpt=wpt, hpt=hpt, id=i + 1, text=escape(s)))
            p._p.append(r)
            continue
        label_level = None
        para_num = num_id
        if num_id is not None:
            for lvl, rx, _, _ in _LEVELS:
                m = rx.match(s)
                if m:
                    v = _cn_value(m.group(1))
                    if v is None:
                        break
                    nxt = 1 if counters[lvl] is None else counters[lvl] + 1
                    if v != nxt:
                        # the list's counter would show something else: from here on a new
                        # list instance whose every level starts where the text expects
                        # (w:lvlOverride/w:startOverride; read the same whether counters
                        # belong to the w:num, as LibreOffice has it, or to the abstract list)
                        extra_num += 1
                        cur_num = str(90 + extra_num)
                        starts = [(counters[k] or 0) + 1 if k < lvl else v if k == lvl else 1 for k in range(4)]
                        npart.append(parse_xml(
                            f'<w:num xmlns:w="{W_NS}" w:numId="{cur_num}"><w:abstractNumId w:val="90"/>'
                            + "".join(f'<w:lvlOverride w:ilvl="{k}"><w:startOverride w:val="{st}"/></w:lvlOverride>' for k, st in enumerate(starts))
                            + "</w:num>"))
                    para_num = cur_num
                    counters[lvl] = v
                    for deeper in range(lvl + 1, 4):
                        counters[deeper] = None
                    label_level = lvl
                    s = s[m.end() :]
                    break
        if label_level is not None and len(s) <= 40:
            style = "Heading 1" if (label_level == 0) else "Heading 2" if label_level == 1 else None
        else:
            style = None
        is_heading = style is not None or (len(s) <= 40 and i == first_line)
        p = d.add_paragraph(style=style)
        if not is_heading:
            p.paragraph_format.first_line_indent = Pt(24)
            p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY if align == "justify" else WD_ALIGN_PARAGRAPH.LEFT
        if i == first_line:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.first_line_indent = None
        if label_level is not None:
            ppr = p._p.get_or_add_pPr()
            numpr = etree.SubElement(ppr, qn("w:numPr"))
            il = etree.SubElement(numpr, qn("w:ilvl"))
            il.set(qn("w:val"), str(label_level))
            ni = etree.SubElement(numpr, qn("w:numId"))
            ni.set(qn("w:val"), para_num)
        _add_text(p, s, what)
        for r in p.runs:
            r.font.size = Pt(12)
    if header:
        title = lines[first_line].strip()[:30] if first_line >= 0 else "报告"
        hp = sec.header.paragraphs[0]
        hp.text = title
        hp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fp = sec.footer.paragraphs[0]
        fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fp.add_run("— ")
        fld = parse_xml(f'<w:fldSimple xmlns:w="{W_NS}" w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>')
        fp._p.append(fld)
        fp.add_run(" —")
    d.save(path)
    return path


def _add_text(p, s: str, what: Optional[str]) -> None:
    """Runs of `s` into paragraph p: a _GoBack bookmark where the seed shows its
    artefact; inline content control / smart tag / block content control if asked."""
    from docx.oxml import parse_xml
    from xml.sax.saxutils import escape

    parts = s.split(GOBACK)
    for k, part in enumerate(parts):
        if k:
            p._p.append(parse_xml(f'<w:bookmarkStart xmlns:w="{W_NS}" w:id="0" w:name="_GoBack"/>'))
            p._p.append(parse_xml(f'<w:bookmarkEnd xmlns:w="{W_NS}" w:id="0"/>'))
        if not part:
            continue
        if what == "sdt_inline" and len(part) > 30:
            a, b, c, e = part[:10], part[10:20], part[20:30], part[30:]
            p.add_run(a)
            p._p.append(parse_xml(
                f'<w:sdt xmlns:w="{W_NS}"><w:sdtPr><w:alias w:val="填报单位"/><w:text/></w:sdtPr>'
                f'<w:sdtContent><w:r><w:t xml:space="preserve">{escape(b)}</w:t></w:r></w:sdtContent></w:sdt>'))
            p._p.append(parse_xml(
                f'<w:smartTag xmlns:w="{W_NS}" w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="PersonName">'
                f'<w:r><w:t xml:space="preserve">{escape(c)}</w:t></w:r></w:smartTag>'))
            p.add_run(e)
        else:
            p.add_run(part)
    if what == "sdt_block":
        # move the paragraph into a block-level content control
        sdt = parse_xml(f'<w:sdt xmlns:w="{W_NS}"><w:sdtPr><w:alias w:val="正文"/></w:sdtPr><w:sdtContent/></w:sdt>')
        p._p.addprevious(sdt)
        sdt[-1].append(p._p)


# --------------------------------------------------------------------------- LibreOffice

_lock = threading.Lock()


def soffice_path() -> Optional[str]:
    return os.environ.get("JIXIAO_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")


def have_soffice() -> bool:
    return soffice_path() is not None


def require_soffice() -> str:
    """Inside a test: the soffice path; FAIL under CI=true when missing, else skip."""
    return _required(soffice_path(), "LibreOffice (soffice) is not installed: run `make sysdeps` "
                     "(apt-get install libreoffice-writer-nogui fonts-noto-cjk)")


def _required(path: Optional[str], msg: str) -> str:
    """A system tool's path; when missing, FAIL under CI=true (CI must prove everything), else skip."""
    import pytest

    if path is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(msg)
        pytest.skip(msg)
    return path


@contextlib.contextmanager
def _cache_lock():
    import fcntl

    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / ".lock", "w") as fh, _lock:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def soffice_convert(src: Path, target: str, outdir: Path, timeout: float = 180) -> Path:
    """`soffice --headless --convert-to target src` with a private profile."""
    exe = soffice_path()
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    profile = CACHE / "lo-profile"
    cmd = [exe, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--norestore", "--nolockcheck",
           "--convert-to", target, "--outdir", str(outdir), str(src)]
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout, check=False)
    out = outdir / (src.stem + "." + target.split(":")[0])
    if not out.exists():
        raise RuntimeError(f"soffice failed to convert {src} to {target}")
    return out


def _cached(kind: str, key_text: str, path: Path, build) -> Path:
    key = hashlib.sha256(f"{GENERATOR_VERSION}\0{kind}\0{key_text}".encode()).hexdigest()[:24]
    cached = CACHE / f"{key}.{kind}"
    if not cached.exists():
        with _cache_lock():
            if not cached.exists():
                with tempfile.TemporaryDirectory() as td:
                    built = build(Path(td))
                    tmp = cached.with_suffix(f".{kind}.tmp{os.getpid()}")
                    shutil.copyfile(built, tmp)
                    os.replace(tmp, cached)
    path = Path(path)
    shutil.copyfile(cached, path)
    return path


def make_pdf(text: str, path, **docx_options) -> Path:
    """PDF as offices export it: LibreOffice headless from make_docx(text) (cached)."""

    def build(td: Path) -> Path:
        src = make_docx(text, td / "report.docx", **docx_options)
        return soffice_convert(src, "pdf:writer_pdf_Export", td)

    return _cached("pdf", repr(sorted(docx_options.items())) + text, path, build)


# make_docx options for a .docx that is to become a .doc (what make_doc uses); batch
# converters should use them too: make_docx(text, path, **DOC_DOCX_OPTIONS)
DOC_DOCX_OPTIONS = {"controls": False, "numbering": False}


def make_doc(text: str, path, **docx_options) -> Path:
    """Word 97 .doc: LibreOffice's export of make_docx(text, controls=False,
    numbering=False) (cached).  Word 97 has no content controls (LibreOffice turns them
    into repeated form fields), and LibreOffice's .doc export does not keep automatic
    numbering stable (lists restart after tables and render differently on reopening),
    so labels stay typed text, as in most old .doc reports."""
    for k, v in DOC_DOCX_OPTIONS.items():
        docx_options.setdefault(k, v)

    def build(td: Path) -> Path:
        src = make_docx(text, td / "report.docx", **docx_options)
        return soffice_convert(src, 'doc:MS Word 97', td)

    return _cached("doc", repr(sorted(docx_options.items())) + text, path, build)


def make_rtf(text: str, path) -> Path:
    """RTF (what "save as .doc" produces in some web editors): LibreOffice's export of
    make_docx(text, **DOC_DOCX_OPTIONS) (cached).  Read back as format "doc"."""

    def build(td: Path) -> Path:
        src = make_docx(text, td / "report.docx", **DOC_DOCX_OPTIONS)
        return soffice_convert(src, "rtf", td)

    return _cached("rtf", text, path, build)


def make_pdf_from_docx(docx_path, path) -> Path:
    """Any .docx (e.g. a hand-built one) through LibreOffice to PDF (cached)."""
    data = Path(docx_path).read_bytes()

    def build(td: Path) -> Path:
        src = td / "in.docx"
        src.write_bytes(data)
        return soffice_convert(src, "pdf:writer_pdf_Export", td)

    return _cached("pdf", hashlib.sha256(data).hexdigest(), path, build)


# --------------------------------------------------------------------------- malformed files


def make_empty(path, content: bytes = b"") -> Path:
    """empty: zero bytes (or only whitespace, e.g. b' \\r\\n\\t')."""
    path = Path(path)
    path.write_bytes(content)
    return path


def make_gbk_garbage(path, n: int = 4000, seed: int = 7) -> Path:
    """decode_error: bytes that strictly decode as GB18030 but are not Chinese text
    (random lead/trail pairs: mostly rare characters), with stray invalid UTF-8."""
    rnd = random.Random(seed)
    out = bytearray()
    while len(out) < n:
        out.append(rnd.randint(0x81, 0xFE))
        out.append(rnd.choice([rnd.randint(0x40, 0x7E), rnd.randint(0x80, 0xFE)]))
    path = Path(path)
    path.write_bytes(bytes(out))
    return path


def make_unknown_binary(path, n: int = 4096, seed: int = 3) -> Path:
    """unsupported_format: a binary file of no supported kind (NULs and random bytes)."""
    rnd = random.Random(seed)
    path = Path(path)
    path.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(rnd.randrange(256) for _ in range(n)))
    return path


def make_png(path) -> Path:
    """unsupported_format: an image (a photo of a report is not a report)."""
    path = Path(path)
    png = b"\x89PNG\r\n\x1a\n"

    def chunk(t, d):
        return len(d).to_bytes(4, "big") + t + d + zlib.crc32(t + d).to_bytes(4, "big")

    png += chunk(b"IHDR", (3).to_bytes(4, "big") + (4).to_bytes(4, "big") + b"\x08\x02\x00\x00\x00")
    png += chunk(b"IDAT", zlib.compress(b"".join(b"\x00" + b"\xff" * 9 for _ in range(4))))
    png += chunk(b"IEND", b"")
    path.write_bytes(png)
    return path


def make_xlsx_like(path) -> Path:
    """unsupported_format: a zip package that is not a Word document (a spreadsheet)."""
    path = Path(path)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
    return path


def make_truncated_zip(src_docx, path, keep: float = 0.6) -> Path:
    """corrupt_file: the first part of a real .docx (an interrupted upload)."""
    data = Path(src_docx).read_bytes()
    path = Path(path)
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def make_zip_bomb_docx(path, expanded: int = 64 * 1024 * 1024) -> Path:
    """too_large: a .docx whose document.xml inflates to `expanded` bytes (~65 KB on disk:
    a ratio of ~1000:1, over the 50 MB default limit)."""
    path = Path(path)
    head = f'<?xml version="1.0"?><w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>'.encode()
    tail = b"</w:t></w:r></w:p></w:body></w:document>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        with z.open("word/document.xml", "w", force_zip64=True) as f:
            f.write(head)
            block = b" " * (1 << 20)
            left = expanded - len(head) - len(tail)
            while left > 0:
                f.write(block[: min(left, len(block))])
                left -= len(block)
            f.write(tail)
    return path


def make_broken_pdf(path, seed: int = 5) -> Path:
    """corrupt_file: a PDF header followed by bytes that are no PDF structure at all."""
    rnd = random.Random(seed)
    path = Path(path)
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + bytes(rnd.randrange(256) for _ in range(3000)))
    return path


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) & 0xFF
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for b in data:
        i = (i + 1) & 0xFF
        j = (j + s[i]) & 0xFF
        s[i], s[j] = s[j], s[i]
        out.append(b ^ s[(s[i] + s[j]) & 0xFF])
    return bytes(out)


_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def make_encrypted_pdf(path, user_password: str = "secret", owner_password: str = "owner", text: str = "Budget report") -> Path:
    """encrypted_pdf: a real PDF encrypted with the Standard security handler (RC4
    128-bit, revision 3, as Acrobat 5+ writes), built by hand so no extra library is
    needed.  With user_password='' it opens without a password (permissions only)."""
    from hashlib import md5

    file_id = hashlib.md5(text.encode() + user_password.encode()).digest()
    P = -3904  # print/copy restrictions, as signed 32-bit
    n = 16
    # Algorithm 3.3: /O
    h = md5((owner_password.encode() + _PAD)[:32]).digest()
    for _ in range(50):
        h = md5(h).digest()
    okey = h[:n]
    o = _rc4(okey, (user_password.encode() + _PAD)[:32])
    for i in range(1, 20):
        o = _rc4(bytes(b ^ i for b in okey), o)
    # Algorithm 3.2: the file key
    h = md5((user_password.encode() + _PAD)[:32] + o + P.to_bytes(4, "little", signed=True) + file_id).digest()
    for _ in range(50):
        h = md5(h[:n]).digest()
    key = h[:n]
    # Algorithm 3.5: /U
    u = _rc4(key, md5(_PAD + file_id).digest())
    for i in range(1, 20):
        u = _rc4(bytes(b ^ i for b in key), u)
    u += b"\x00" * 16

    def enc(num: int, data: bytes) -> bytes:
        k = md5(key + num.to_bytes(3, "little") + (0).to_bytes(2, "little")).digest()[: min(n + 5, 16)]
        return _rc4(k, data)

    content = f"BT /F1 24 Tf 72 720 Td ({text}) Tj ET".encode()
    objs = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        4: b"<< /Length %d >>\nstream\n" % len(content) + enc(4, content) + b"\nendstream",
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        6: b"<< /Filter /Standard /V 2 /R 3 /Length 128 /O <" + o.hex().encode() + b"> /U <" + u.hex().encode() + b"> /P " + str(P).encode() + b" >>",
    }
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for num in sorted(objs):
        offsets[num] = len(out)
        out += b"%d 0 obj\n" % num + objs[num] + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for num in sorted(objs):
        out += b"%010d 00000 n \n" % offsets[num]
    out += b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 6 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, file_id.hex().encode(), file_id.hex().encode(), xref)
    path = Path(path)
    path.write_bytes(bytes(out))
    return path


def make_image_pdf(path, text: str = "这是一份扫描件，没有文字层。", pages: int = 2) -> Path:
    """no_text_layer: a scanned report: page images only (Pillow's PDF writer, as scanner
    software produces), with the text drawn as pixels."""
    from PIL import Image, ImageDraw, ImageFont

    font = None
    for cand in ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"):
        if os.path.exists(cand):
            font = ImageFont.truetype(cand, 28)
            break
    images = []
    for k in range(pages):
        im = Image.new("L", (850, 1100), 255)
        dr = ImageDraw.Draw(im)
        for row in range(12):
            dr.text((60, 80 + row * 70), f"{text}（第{k + 1}页）" if font else "scanned page", fill=0, font=font)
        images.append(im)
    path = Path(path)
    images[0].save(path, "PDF", resolution=100.0, save_all=True, append_images=images[1:])
    return path


def strip_tounicode(src_pdf, path) -> Path:
    """A PDF whose fonts lost their ToUnicode maps (the text layer then reads as glyph
    ids): every `/ToUnicode` key renamed in place, so the xref offsets stay valid."""
    data = Path(src_pdf).read_bytes().replace(b"/ToUnicode", b"/ToUnicodX")
    path = Path(path)
    path.write_bytes(data)
    return path


def make_truncated_pdf(src_pdf, path, keep: float = 0.3) -> Path:
    """The first part of a real PDF (an interrupted download)."""
    data = Path(src_pdf).read_bytes()
    path = Path(path)
    path.write_bytes(data[: int(len(data) * keep)])
    return path


# --------------------------------------------------------------------------- layout probes

WRAP_FILLER = "根据预算绩效管理工作要求结合项目实施情况开展绩效目标审核评价工作"
WRAP_PROBE = "审减金额137,784.25万元，审减率24%，另安排资金25万元用于6月-7月培训。"


def wrap_sweep_text(n: int = 40) -> str:
    """Paragraphs that put WRAP_PROBE at every offset of a line (prefix of 0..n-1 Han
    characters), so that somewhere the line breaks inside or next to each number."""
    lines = []
    for k in range(n):
        pre = (WRAP_FILLER * 3)[:k]
        lines.append(pre + WRAP_PROBE + WRAP_FILLER[:20] + "。")
    return "\n".join(lines)


def make_pages_pdf(pages: list[str], path, **docx_options) -> Path:
    """A PDF with one given text per page (page breaks between), via make_docx."""
    docx_options.setdefault("numbering", False)
    docx_options.setdefault("extras", False)
    text = "\n\f".join(pages)
    return make_pdf(text, path, page_breaks=True, **docx_options)


# --------------------------------------------------------------------------- hand-built .docx

_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
       '<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>'
       '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
       '</Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
         '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
         '</Relationships>')
_DOC_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
             '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
             '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>'
             '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
             '</Relationships>')
NS_DECL = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
           'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
           'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
           'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
           'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
           'xmlns:v="urn:schemas-microsoft-com:vml" '
           'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')


def make_docx_from_xml(body_xml: str, path, numbering_xml: str = "", styles_xml: str = "") -> Path:
    """A minimal valid .docx around hand-written WordprocessingML: `body_xml` is the
    content of <w:body>, `numbering_xml` / `styles_xml` the content of <w:numbering> /
    <w:styles> (prefixes w, mc, wp, a, wps, v, r are declared)."""
    path = Path(path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("word/_rels/document.xml.rels", _DOC_RELS)
        z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NS_DECL}><w:body>{body_xml}</w:body></w:document>')
        z.writestr("word/numbering.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:numbering {NS_DECL}>{numbering_xml}</w:numbering>')
        z.writestr("word/styles.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles {NS_DECL}>{styles_xml}</w:styles>')
    return path


# --------------------------------------------------------------------------- a second PDF producer


def chromium_path() -> Optional[str]:
    return os.environ.get("JIXIAO_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def require_chromium() -> str:
    """Inside a test: the Chromium path; FAIL under CI=true when missing, else skip."""
    return _required(chromium_path(), "Chromium is not installed: run `make sysdeps` (apt-get install chromium)")


def make_pdf_chromium(text: str, path, encoding: str = "utf-8") -> Path:
    """A web page saved as PDF (Chromium's print-to-PDF of make_html(text), cached): a
    different producer than LibreOffice (Skia), with the browser's running header
    (date, page title) and footer (URL, `1/3`) on every page."""

    def build(td: Path) -> Path:
        src = make_html(text, td / "report.html", encoding)
        out = td / "report.pdf"
        cmd = [chromium_path(), "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={td / 'profile'}",
               f"--print-to-pdf={out}", src.resolve().as_uri()]
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120, check=False)
        if not out.exists():
            raise RuntimeError("chromium failed to print the page to PDF")
        return out

    return _cached("pdf", "chromium\0" + encoding + "\0" + text, path, build)


def join_pdfs(parts, path) -> Path:
    """Concatenate PDFs page by page (pypdfium2), e.g. a typed report followed by a
    scanned attachment: join_pdfs([make_pdf(...), make_image_pdf(...)], path)."""
    import pypdfium2 as pdfium

    out = pdfium.PdfDocument.new()
    for part in parts:
        src = pdfium.PdfDocument(str(part))
        out.import_pages(src)
        src.close()
    path = Path(path)
    out.save(str(path))
    out.close()
    return path
