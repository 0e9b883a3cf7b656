"""For every seed and every format: the read text equals the seed's text up to
whitespace (character-level similarity >= 0.99).  The figures are written to
.cache/read_similarity.json (per file) for the closing note and the benchmark."""
from __future__ import annotations

import json

import pytest

from pipeline.read import read
from fixtures import (
    CACHE,
    expected_text,
    make_doc,
    make_docx,
    make_html,
    make_pdf,
    make_txt,
    require_soffice,
    seed_names,
    seed_text,
    similarity,
)

# (label, format read back, maker)
VARIANTS = [
    ("txt-utf8", "txt", lambda t, p: make_txt(t, p.with_suffix(".txt"))),
    ("txt-utf8-bom", "txt", lambda t, p: make_txt(t, p.with_suffix(".txt"), "utf-8-sig")),
    ("txt-gb18030-crlf", "txt", lambda t, p: make_txt(t, p.with_suffix(".txt"), "gb18030", "\r\n")),
    ("txt-utf16", "txt", lambda t, p: make_txt(t, p.with_suffix(".txt"), "utf-16")),
    ("html-utf8", "html", lambda t, p: make_html(t, p.with_suffix(".html"))),
    ("html-gb18030", "html", lambda t, p: make_html(t, p.with_suffix(".html"), "gb18030", "http-equiv")),
    ("docx", "docx", lambda t, p: make_docx(t, p.with_suffix(".docx"))),
    ("pdf", "pdf", lambda t, p: make_pdf(t, p.with_suffix(".pdf"))),
    ("doc", "doc", lambda t, p: make_doc(t, p.with_suffix(".doc"))),
]
FIGURES: dict[str, dict[str, float]] = {}


@pytest.fixture(scope="module", autouse=True)
def _record():
    yield
    if FIGURES:
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        (CACHE.parent / "read_similarity.json").write_text(json.dumps(FIGURES, indent=1, sort_keys=True), encoding="utf-8")


@pytest.mark.parametrize("label,fmt,maker", VARIANTS, ids=[v[0] for v in VARIANTS])
@pytest.mark.parametrize("name", seed_names())
def test_read_text_matches_the_seed(tmp_path, name, label, fmt, maker):
    if fmt in ("pdf", "doc"):
        require_soffice()
    text = seed_text(name)
    doc = read(maker(text, tmp_path / name))
    assert doc.error is None, doc.error
    assert doc.format == fmt
    ratio = similarity(doc.text, expected_text(text, fmt))
    FIGURES.setdefault(label, {})[name] = round(ratio, 5)
    assert ratio >= 0.99
    for b in doc.blocks:
        assert 0 <= b.start < b.end <= len(doc.text)
