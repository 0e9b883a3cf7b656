""".pdf reading on PDFs made the way offices make them (LibreOffice export of a .docx
with embedded CJK subset fonts): line joining, running headers/footers, page-quality
gate.  Needs LibreOffice: fails under CI=true when it is missing, skips locally."""
from __future__ import annotations

import re

import pytest

from pipeline.read import read
from fixtures import (
    WRAP_PROBE,
    expected_text,
    make_pages_pdf,
    make_pdf,
    normalise_ws,
    require_soffice,
    seed_names,
    seed_text,
    similarity,
    strip_tounicode,
    wrap_sweep_text,
)

HAN_SPACE_HAN = re.compile(r"(?<=[\u4e00-\u9fff]) +(?=[\u4e00-\u9fff])")
DIGIT_SPACE_HAN = re.compile(r"(?<=\d) +(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff]) +(?=\d)")
PAGE_NO = re.compile(r"^\s*[—-]\s*\d+\s*[—-]\s*$", re.M)


@pytest.fixture(scope="module")
def seed_pdfs(tmp_path_factory):
    require_soffice()
    d = tmp_path_factory.mktemp("pdf")
    return {name: make_pdf(seed_text(name), d / f"{name}.pdf") for name in seed_names()}


@pytest.mark.parametrize("name", seed_names())
def test_seed_pdf_paragraphs_come_back_whole(seed_pdfs, name):
    expected = expected_text(seed_text(name), "pdf")
    doc = read(seed_pdfs[name])
    assert doc.format == "pdf" and doc.error is None and doc.warnings == []
    assert len(doc.pages) >= 2 and all(p.reliable for p in doc.pages)
    assert similarity(doc.text, expected) >= 0.99
    # every paragraph of the seed is one line again: wrapped lines joined, also across pages
    want = [normalise_ws(ln) for ln in expected.split("\n") if normalise_ws(ln)]
    got = [normalise_ws(doc.text[b.start:b.end]) for b in doc.blocks if b.kind != "table_row"]
    table = [normalise_ws(doc.text[b.start:b.end]) for b in doc.blocks if b.kind == "table_row"]
    joined_table = "".join(table)
    assert joined_table in want  # the one paragraph the fixture put in a table
    assert got == [w for w in want if w != joined_table]


@pytest.mark.parametrize("name", seed_names())
def test_seed_pdf_no_spaces_between_han_and_no_running_headers(seed_pdfs, name):
    expected = expected_text(seed_text(name), "pdf")
    doc = read(seed_pdfs[name])
    # LibreOffice's CJK/Latin spacing makes pdfium see `2023 年`; those spaces go
    assert len(HAN_SPACE_HAN.findall(doc.text)) <= len(HAN_SPACE_HAN.findall(expected))
    assert len(DIGIT_SPACE_HAN.findall(doc.text)) <= len(DIGIT_SPACE_HAN.findall(expected))
    # the running header (the title's first 30 characters) and `— N —` footers are gone
    header = next(ln.strip() for ln in expected.split("\n") if ln.strip())[:30]
    assert doc.text.count(header) == expected.count(header)
    assert not PAGE_NO.search(doc.text)


@pytest.mark.parametrize("name", seed_names())
def test_seed_pdf_pages_cover_the_text(seed_pdfs, name):
    doc = read(seed_pdfs[name])
    assert doc.pages[0].start == 0 and doc.pages[-1].end == len(doc.text)
    for a, b in zip(doc.pages, doc.pages[1:]):
        assert a.end == b.start and a.start <= a.end
    for blk in doc.blocks:
        page = doc.pages[blk.page - 1]
        assert page.start <= blk.start < max(page.end, page.start + 1)


@pytest.mark.parametrize("align", ["justify", "left"])
def test_lines_broken_inside_and_around_numbers_are_joined(tmp_path, align):
    """WRAP_PROBE (`…137,784.25万元，审减率24%，…25万元…6月-7月…`) at every offset of a
    line: the break falls before, inside and after each number and the dash (which
    pdfium takes for a hyphenation hyphen); every paragraph must come back as one line
    equal to its source."""
    require_soffice()
    text = wrap_sweep_text()
    doc = read(make_pdf(text, tmp_path / f"wrap-{align}.pdf", numbering=False, extras=False, align=align))
    assert doc.error is None
    assert doc.text.split("\n") == text.split("\n")
    assert doc.text.count(WRAP_PROBE) == 40


def test_page_quality_gate_marks_bad_pages(tmp_path):
    require_soffice()
    good = seed_text("000_cc7d55e875232053").split("\n")[5]
    pages = [
        good,
        "审减金额(cid:1234)(cid:87)(cid:3)万元(cid:55)(cid:9)，(cid:12)(cid:40)" * 3,
        "审减金额\ufffd\ufffd万元，审减率\ufffd%，项目" * 3,
        "Kx9 qpz Lmvw rtQ bnZx ywe Plok trx Vmq " * 4 + "项目",
    ]
    doc = read(make_pages_pdf(pages, tmp_path / "q.pdf"))
    assert doc.error is None and len(doc.pages) == 4
    assert doc.pages[0].reliable and doc.pages[0].problems == []
    assert not doc.pages[1].reliable and "cid_glyphs" in doc.pages[1].problems
    assert not doc.pages[2].reliable and "replacement_chars" in doc.pages[2].problems
    assert not doc.pages[3].reliable and "low_han_share" in doc.pages[3].problems
    assert len(doc.warnings) == 1
    w = doc.warnings[0]
    assert "第2页" in w and "第3页" in w and "第4页" in w and "第1页" not in w
    assert normalise_ws(good) in normalise_ws(doc.text[doc.pages[0].start:doc.pages[0].end])


def test_fonts_without_tounicode_are_caught(seed_pdfs, tmp_path):
    bad = strip_tounicode(seed_pdfs["000_cc7d55e875232053"], tmp_path / "nouni.pdf")
    doc = read(bad)
    assert doc.error is None  # the text is kept, but no page is passed on as good
    assert doc.pages and all(not p.reliable for p in doc.pages)
    assert all("unicode_map_errors" in p.problems for p in doc.pages)
    assert doc.warnings and "ToUnicode" in doc.warnings[0]
    assert not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", doc.text)


def test_single_page_report_drops_its_header_but_keeps_its_title(tmp_path):
    require_soffice()
    lines = seed_text("004_211d0f6375efb7e4").split("\n")[:5]
    text = "\n".join(lines)
    doc = read(make_pdf(text, tmp_path / "one.pdf"))
    assert len(doc.pages) == 1 and doc.error is None
    title = next(ln.strip() for ln in lines if ln.strip())
    assert doc.text.count(title) == 1  # the header repeats the title; only the title stays
    assert doc.text.split("\n")[0] == title
    assert not PAGE_NO.search(doc.text)
    assert similarity(doc.text, expected_text(text, "pdf")) >= 0.99


@pytest.mark.parametrize("name", seed_names())
def test_pdf_from_a_browser(tmp_path, name):
    """Another producer: Chromium's print-to-PDF, whose header (date + page title) and
    footer (file URL + `1/3`) repeat on every page and come last in pdfium's order."""
    from fixtures import make_pdf_chromium, require_chromium

    require_chromium()
    text = seed_text(name)
    doc = read(make_pdf_chromium(text, tmp_path / "web.pdf"))
    assert doc.error is None and doc.warnings == [] and len(doc.pages) >= 2
    expected = expected_text(text, "html")
    assert similarity(doc.text, expected) >= 0.99
    assert "file://" not in doc.text and "- 财政局" not in doc.text
    assert not re.search(r"^\s*\d+/\d+\s*$|\d{1,2}/\d{1,2}/\d{2},", doc.text, re.M)
    # paragraphs whole; the browser's table has cells too close to tell apart, so its
    # paragraph (and the one its first rows join) may not come back line for line
    want = [normalise_ws(ln) for ln in expected.split("\n") if normalise_ws(ln)]
    got = {normalise_ws(doc.text[b.start:b.end]) for b in doc.blocks}
    assert sum(w not in got for w in want) <= 2


def test_scanned_attachment_page_is_flagged_and_blank_pages_are_not(tmp_path):
    from fixtures import join_pdfs, make_image_pdf

    require_soffice()
    lines = seed_text("002_650133379cb9504e").split("\n")
    typed = make_pages_pdf(["\n".join(lines[:4]), "", "\n".join(lines[4:6])], tmp_path / "typed.pdf", header=False)
    scan = make_image_pdf(tmp_path / "scan.pdf", pages=1)
    doc = read(join_pdfs([typed, scan], tmp_path / "mixed.pdf"))
    assert doc.error is None and len(doc.pages) == 4
    assert [p.reliable for p in doc.pages] == [True, True, True, False]
    assert doc.pages[1].problems == [] and doc.pages[1].start == doc.pages[1].end  # blank, not scanned
    assert doc.pages[3].problems == ["no_text_layer"]
    assert len(doc.warnings) == 1 and "第4页" in doc.warnings[0] and "扫描" in doc.warnings[0]
    assert similarity(doc.text, expected_text("\n".join(lines[:6]), "pdf")) >= 0.99


@pytest.mark.parametrize("name", seed_names())
def test_reader_agrees_with_pdfplumber(seed_pdfs, name):
    """pdfplumber (pdfminer) is an independent reading of the same text layer: with
    whitespace removed, our pdfium reading must say the same characters (pdfplumber's
    running headers and page numbers aside)."""
    import difflib

    import pdfplumber

    path = seed_pdfs[name]
    with pdfplumber.open(path) as pdf:
        pages = [(page.extract_text() or "").splitlines() for page in pdf.pages]
    # pdfplumber keeps running headers and page numbers; drop lines repeated on most pages
    # and page-number lines before comparing
    from collections import Counter

    seen = Counter(line for lines in pages for line in set(lines))
    running = {line for line, n in seen.items() if len(pages) > 1 and n >= max(2, len(pages) // 2)}
    theirs = "".join(line for lines in pages for line in lines
                     if line not in running and not re.fullmatch(r"\s*[—\-–]?\s*\d+\s*[—\-–]?\s*", line))
    ours = read(path).text
    strip = lambda s: re.sub(r"\s+", "", s)  # noqa: E731
    theirs_, ours_ = strip(theirs), strip(ours)
    ratio = difflib.SequenceMatcher(None, ours_, theirs_, autojunk=False).ratio()
    assert ratio >= 0.99, ratio
