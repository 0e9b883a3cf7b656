"""read(path): every error code from a real malformed file, encodings of .txt, .html,
format detection by content, and `read` never raising for what a file contains."""
from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.read import read, sniff
from fixtures import (
    GOBACK,
    ROOT,
    expected_text,
    make_docx,
    make_doc,
    make_empty,
    make_encrypted_pdf,
    make_gbk_garbage,
    make_html,
    make_image_pdf,
    make_pdf,
    make_png,
    make_broken_pdf,
    make_truncated_pdf,
    make_truncated_zip,
    make_txt,
    make_unknown_binary,
    make_xlsx_like,
    make_zip_bomb_docx,
    normalise_ws,
    require_soffice,
    seed_names,
    seed_text,
    similarity,
)

SEED = "000_cc7d55e875232053"


def _error(doc, code):
    assert doc.error is not None, f"expected {code}, got text {doc.text[:60]!r}"
    assert doc.error.code == code, doc.error
    msg = doc.error.message
    assert msg and "\n" not in msg and any("\u4e00" <= c <= "\u9fff" for c in msg)
    assert doc.text == ""
    return msg


# --------------------------------------------------------------------------- error codes


def test_empty(tmp_path):
    _error(read(make_empty(tmp_path / "a.txt")), "empty")
    _error(read(make_empty(tmp_path / "b.txt", b" \r\n\t\r\n  ")), "empty")
    _error(read(make_empty(tmp_path / "c.txt", "\ufeff \u3000\n".encode("utf-8"))), "empty")  # BOM + full-width space
    # control separators Python counts as whitespace (found by the fuzz test below)
    _error(read(make_empty(tmp_path / "e.txt", b" \x1c\n\x1f ")), "empty")
    _error(read(make_docx("", tmp_path / "d.docx", extras=False, header=False)), "empty")
    _error(read(make_html(" ", tmp_path / "e.html")), "empty")


def test_decode_error_for_bytes_that_are_no_known_text(tmp_path):
    msg = _error(read(make_gbk_garbage(tmp_path / "g.txt")), "decode_error")
    assert "UTF-8" in msg
    # the same bytes really do decode as GB18030: validation, not the codec, rejects them
    (tmp_path / "g.txt").read_bytes().decode("gb18030")


def test_corrupt_files(tmp_path):
    docx = make_docx(seed_text(SEED), tmp_path / "ok.docx")
    _error(read(make_truncated_zip(docx, tmp_path / "cut.docx")), "corrupt_file")
    _error(read(make_broken_pdf(tmp_path / "broken.pdf")), "corrupt_file")
    # bytes flipped inside the compressed body (a damaged disk or transfer): same size, bad data
    import zipfile

    data = bytearray(docx.read_bytes())
    info = zipfile.ZipFile(docx).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra) + 50
    for k in range(start, start + 40):
        data[k] ^= 0x5A
    flipped = tmp_path / "flipped.docx"
    flipped.write_bytes(bytes(data))
    _error(read(flipped), "corrupt_file")


def test_zip64_docx_is_read(tmp_path):
    """A package written with zip64 records (some tools always do) reads like any other."""
    import zipfile

    src = make_docx(seed_text(SEED), tmp_path / "a.docx")
    out = tmp_path / "zip64.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            with zout.open(info.filename, "w", force_zip64=True) as f:
                f.write(zin.read(info))
    assert read(out).text == read(src).text and read(out).error is None


def test_truncated_pdf(tmp_path):
    require_soffice()
    pdf = make_pdf(seed_text(SEED), tmp_path / "ok.pdf")
    _error(read(make_truncated_pdf(pdf, tmp_path / "cut.pdf")), "corrupt_file")


def test_encrypted_pdf(tmp_path):
    path = make_encrypted_pdf(tmp_path / "locked.pdf")
    doc = read(path)
    assert doc.format == "pdf"
    _error(doc, "encrypted_pdf")
    # it is a real encrypted PDF: with the password pdfium reads it
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path), password="secret")
    assert pdf[0].get_textpage().get_text_range() == "Budget report"
    # permissions-only encryption (empty user password) opens without a password
    doc = read(make_encrypted_pdf(tmp_path / "perm.pdf", user_password=""))
    assert doc.error is None and doc.text == "Budget report"


def test_no_text_layer(tmp_path):
    msg = _error(read(make_image_pdf(tmp_path / "scan.pdf")), "no_text_layer")
    assert "OCR" in msg


def test_unsupported_formats(tmp_path):
    _error(read(make_unknown_binary(tmp_path / "x.txt")), "unsupported_format")
    assert "OCR" in _error(read(make_png(tmp_path / "photo.docx")), "unsupported_format")
    assert "Excel" in _error(read(make_xlsx_like(tmp_path / "sheet.docx")), "unsupported_format")
    import zipfile

    with zipfile.ZipFile(tmp_path / "gov.ofd", "w") as z:  # China's fixed-layout format
        z.writestr("OFD.xml", "<ofd:OFD xmlns:ofd='http://www.ofdspec.org/2016'/>")
        z.writestr("Doc_0/Document.xml", "<ofd:Document xmlns:ofd='http://www.ofdspec.org/2016'/>")
    assert "OFD" in _error(read(tmp_path / "gov.ofd"), "unsupported_format")


def test_doc_without_libreoffice_names_what_to_install(tmp_path, monkeypatch):
    require_soffice()
    path = make_doc(seed_text(SEED), tmp_path / "old.doc")
    import pipeline.read.doc as docmod

    monkeypatch.setattr(docmod, "find_soffice", lambda: None)
    msg = _error(read(path), "unsupported_format")
    assert "LibreOffice" in msg and ".docx" in msg


def test_too_large(tmp_path):
    path = make_txt(seed_text(SEED), tmp_path / "big.txt")
    doc = read(path, max_bytes=1000)
    _error(doc, "too_large")
    assert doc.doc_id  # still identified by its bytes
    bomb = make_zip_bomb_docx(tmp_path / "bomb.docx")
    assert bomb.stat().st_size < 1024 * 1024
    _error(read(bomb), "too_large")


def test_timeout(tmp_path):
    require_soffice()
    pdf = make_pdf(seed_text(SEED), tmp_path / "r.pdf")
    _error(read(pdf, timeout=1e-9), "timeout")
    assert read(pdf, timeout=60).error is None
    # a conversion that cannot finish in time is killed, not waited for
    import time

    doc_path = make_doc(seed_text(SEED), tmp_path / "r.doc")
    t0 = time.monotonic()
    _error(read(doc_path, timeout=0.3), "timeout")
    assert time.monotonic() - t0 < 5


def test_not_found(tmp_path):
    _error(read(tmp_path / "missing.txt"), "not_found")
    _error(read(tmp_path), "not_found")  # a directory


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    prefix=st.sampled_from([b"", b"%PDF-1.7\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"<html><body>", b"\xef\xbb\xbf", b"\xff\xfe"]),
    body=st.binary(max_size=2000),
)
def test_read_never_raises(tmp_path, prefix, body):
    path = tmp_path / "f.bin"
    path.write_bytes(prefix + body)
    doc = read(path)
    if doc.error is not None:
        assert doc.text == "" and doc.error.message
    else:
        assert doc.text.strip()
        for b in doc.blocks:
            assert 0 <= b.start <= b.end <= len(doc.text)


# --------------------------------------------------------------------------- .txt


def _encodable(encodings, strip=""):
    """(seed, encoding) pairs where the codec can write the seed (seed 004 has U+2002,
    which GBK lacks)."""
    out = []
    for name in seed_names():
        for enc in encodings:
            try:
                seed_text(name).replace(strip, "").encode(enc)
            except UnicodeEncodeError:
                continue
            out.append((name, enc))
    return out


@pytest.mark.parametrize("name,encoding", _encodable(["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be"]))
def test_txt_encodings_give_the_exact_text(tmp_path, name, encoding):
    text = seed_text(name)
    doc = read(make_txt(text, tmp_path / "r.txt", encoding, newline="\r\n" if "gb" in encoding else "\n"))
    assert doc.error is None and doc.format == "txt"
    assert doc.text == text  # CRLF -> LF, BOM dropped, every character kept
    assert doc.encoding is not None


def test_txt_keeps_source_characters(tmp_path):
    text = f"{GOBACK}审减率２．０３％，文号师财〔２０２３〕４号，金额１３７，７８４．２５萬元。\n　　第二段\t表格\n"
    doc = read(make_txt(text, tmp_path / "k.txt", "gb18030"))
    assert doc.text == text
    lines = text.split("\n")
    assert [doc.text[b.start:b.end] for b in doc.blocks] == [ln for ln in lines if ln.strip()]


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "big5"])
def test_traditional_script_txt(tmp_path, encoding):
    """A report typed in traditional characters (萬元, 績效) is Chinese text too."""
    text = "二零二三年預算績效管理工作報告。本年度共審核項目支出績效目標一百二十個，涉及資金三億五千萬元，審減率百分之四。\n" * 3
    doc = read(make_txt(text, tmp_path / "t.txt", encoding))
    assert doc.error is None and doc.text == text


def test_txt_encoding_names(tmp_path):
    text = seed_text(SEED)
    assert read(make_txt(text, tmp_path / "a.txt", "utf-8")).encoding == "utf-8"
    assert read(make_txt(text, tmp_path / "b.txt", "utf-8-sig")).encoding == "utf-8-sig"
    assert read(make_txt(text, tmp_path / "c.txt", "gbk")).encoding == "gbk"
    assert read(make_txt(text, tmp_path / "d.txt", "utf-16")).encoding.startswith("utf-16")


def test_charset_normalizer_is_not_imported_for_common_encodings(tmp_path):
    files = [make_txt(seed_text(SEED), tmp_path / f"{e}.txt", e) for e in ("utf-8", "gbk", "utf-16")]
    code = ("import sys; from pipeline.read import read; "
            f"[read(p) for p in {[str(f) for f in files]!r}]; print('charset_normalizer' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --------------------------------------------------------------------------- .html


@pytest.mark.parametrize("name,encoding", _encodable(["utf-8", "gb18030", "gbk"], strip=GOBACK))
def test_html_visible_text_and_blocks(tmp_path, name, encoding):
    text = seed_text(name)
    meta = {"utf-8": "charset", "gb18030": "http-equiv", "gbk": "charset"}[encoding]
    doc = read(make_html(text, tmp_path / "r.html", encoding, meta))
    assert doc.error is None and doc.format == "html"
    expected = expected_text(text, "html")
    want = [normalise_ws(ln) for ln in expected.split("\n") if normalise_ws(ln)]
    rows = [doc.text[b.start:b.end] for b in doc.blocks if b.kind == "table_row"]
    assert rows and all("\t" in r for r in rows)
    table = normalise_ws("".join(rows))
    got = [normalise_ws(doc.text[b.start:b.end]) for b in doc.blocks if b.kind != "table_row"]
    assert got == [w for w in want if w != table] and table in want
    # nothing of the page chrome: script, style, hidden navigation, <title>
    for noise in ("var nav", "统计代码", "首页", "text-indent", "- 财政局"):
        assert noise not in doc.text
    # source line breaks inside Chinese text are not spaces
    assert normalise_ws(doc.text) == normalise_ws(doc.text.replace(" ", ""))
    assert doc.blocks[0].kind == "heading"


def test_html_labelled_utf8_but_really_gbk(tmp_path):
    body = "<html><head><meta charset='utf-8'></head><body><p>审减金额1,356.89万元，审减率2.03%。</p></body></html>"
    path = tmp_path / "lie.html"
    path.write_bytes(body.encode("gbk"))
    doc = read(path)
    assert doc.error is None and doc.text == "审减金额1,356.89万元，审减率2.03%。"


def test_html_whitespace_rules(tmp_path):
    html = ("<html><body><div>预算绩效\n  管理工作<br>第二行 <b>Budget</b>\n<i>report</i></div>"
            "<table><tr><th>项目</th><th colspan='2'>金额（万元）</th></tr><tr><td>培训<br>会议</td><td>25</td><td>3</td></tr></table>"
            "<p style='display: none'>隐藏</p><p hidden>也隐藏</p><ol><li>第一项</li><li>第二项</li></ol></body></html>")
    path = tmp_path / "w.html"
    path.write_text(html, encoding="utf-8")
    doc = read(path)
    assert doc.text.split("\n") == ["预算绩效管理工作", "第二行 Budget report", "项目\t金额（万元）\t", "培训 会议\t25\t3", "1. 第一项", "2. 第二项"]


WORD_HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office">
<head><meta http-equiv=Content-Type content="text/html; charset=gb2312">
<!--[if gte mso 9]><xml><o:DocumentProperties><o:Author>admin</o:Author></o:DocumentProperties></xml><![endif]-->
<style><!-- p.MsoNormal {margin:0cm;} --></style></head>
<body lang=ZH-CN><div class=WordSection1>
<p class=MsoNormal align=center><b><span style='font-size:22.0pt'>某县2023年预算绩效管理工作情况<o:p></o:p></span></b></p>
<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><![if !supportLists]><span style='mso-list:Ignore'>一、<span
style='font:7.0pt "Times New Roman"'>&nbsp;&nbsp; </span></span><![endif]><span>基本情况</span></p>
<p class=MsoNormal style='text-indent:32.0pt'><span>全年审减资金</span><span lang=EN-US>1,356.89</span><span>万元，审减率</span><span
lang=EN-US>2.03%</span><span>。<o:p></o:p></span></p>
<p class=MsoNormal><span lang=EN-US><o:p>&nbsp;</o:p></span></p>
</div></body></html>"""


def test_html_saved_by_word(tmp_path):
    """Word's "save as web page", as county sites publish: gb2312 label, conditional
    comments, list labels as spans, runs split around every number."""
    path = tmp_path / "word.htm"
    path.write_bytes(WORD_HTML.encode("gbk"))
    doc = read(path)
    assert doc.error is None and doc.format == "html"
    assert doc.text.split("\n") == ["某县2023年预算绩效管理工作情况", "一、   基本情况", "全年审减资金1,356.89万元，审减率2.03%。"]
    assert [b.kind for b in doc.blocks] == ["paragraph", "heading", "paragraph"]


# --------------------------------------------------------------------------- detection by content


def test_format_detected_from_content_not_extension(tmp_path):
    text = seed_text(SEED)
    docx = make_docx(text, tmp_path / "a.docx")
    renamed = tmp_path / "really_docx.txt"
    renamed.write_bytes(docx.read_bytes())
    assert read(renamed).format == "docx"
    html = make_html(text, tmp_path / "b.html", "gbk")
    as_txt = tmp_path / "really_html.txt"
    as_txt.write_bytes(html.read_bytes())
    doc = read(as_txt)
    assert doc.format == "html" and "<p>" not in doc.text and "var nav" not in doc.text
    plain = make_txt(text, tmp_path / "plain.html")
    assert read(plain).format == "txt"
    pdf = make_encrypted_pdf(tmp_path / "c.pdf", user_password="")
    as_doc = tmp_path / "really_pdf.doc"
    as_doc.write_bytes(pdf.read_bytes())
    assert read(as_doc).format == "pdf"


@pytest.mark.parametrize("data,kind", [
    (b"%PDF-1.4\n", "pdf"), (b"junk\n%PDF-1.7\n", "pdf"), (b"PK\x03\x04rest", "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64 + "WordDocument".encode("utf-16-le"), "doc"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64 + "Workbook".encode("utf-16-le"), "ole"),
    (b"{\\rtf1\\ansi", "rtf"), (b"\x89PNG\r\n\x1a\n", "image"), (b"\xff\xd8\xff\xe0", "image"),
    ("预算绩效".encode("utf-16-le"), "text"), ("预算".encode("gbk"), "text"), (b"\x7fELF\x02\x01\x01\x00\x00\x00\x01\x02", "binary"),
])
def test_sniff(data, kind):
    assert sniff(data) == kind


def test_doc_id_is_sha256_of_the_bytes(tmp_path):
    import hashlib

    path = make_txt(seed_text(SEED), tmp_path / "a.txt", "gbk")
    assert read(path).doc_id == hashlib.sha256(path.read_bytes()).hexdigest()
    assert read(make_gbk_garbage(tmp_path / "g.txt")).doc_id == hashlib.sha256((tmp_path / "g.txt").read_bytes()).hexdigest()


def test_doc_reads_through_libreoffice(tmp_path):
    require_soffice()
    text = seed_text(SEED)
    doc = read(make_doc(text, tmp_path / "r.doc"))
    assert doc.format == "doc" and doc.error is None
    want = [normalise_ws(ln) for ln in expected_text(text, "doc").split("\n") if normalise_ws(ln)]
    got = [normalise_ws(doc.text[b.start:b.end]) for b in doc.blocks if b.kind != "table_row"]
    table = normalise_ws("".join(doc.text[b.start:b.end] for b in doc.blocks if b.kind == "table_row"))
    assert table in want
    assert got == [w for w in want if w != table]


def test_rtf_named_doc_reads_through_libreoffice(tmp_path):
    from fixtures import make_rtf

    require_soffice()
    text = seed_text("002_650133379cb9504e")
    rtf = make_rtf(text, tmp_path / "r.rtf")
    assert rtf.read_bytes().startswith(b"{\\rtf")
    as_doc = tmp_path / "report.doc"
    as_doc.write_bytes(rtf.read_bytes())
    doc = read(as_doc)
    assert doc.format == "doc" and doc.error is None
    assert similarity(doc.text, expected_text(text, "doc")) >= 0.99


def test_utf8_cut_mid_character_reads_with_a_warning(tmp_path):
    """An upload cut off inside a 3-byte character: the text up to there, one U+FFFD,
    and a warning (not decode_error, and not a guess at another codec)."""
    text = seed_text(SEED)
    data = text.encode("utf-8")
    cut = len("预算绩效管理".encode("utf-8")) * 300 + 1  # inside a character (3-byte units)
    while data[cut] & 0xC0 != 0x80:  # make sure we land inside a multi-byte character
        cut += 1
    path = tmp_path / "cut.txt"
    path.write_bytes(data[:cut])
    doc = read(path)
    assert doc.error is None and doc.encoding == "utf-8"
    assert doc.text.endswith("\ufffd") and doc.text.count("\ufffd") == 1
    assert doc.text[:-1] == data[:cut].decode("utf-8", "ignore")
    assert len(doc.warnings) == 1 and "UTF-8" in doc.warnings[0]
