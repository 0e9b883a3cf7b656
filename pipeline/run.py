"""Document -> ExtractRecord: segment, extract every kind, link metrics, check."""
from __future__ import annotations

from pathlib import Path

from extractors import amounts, counts, dates, doc_numbers, grades, jurisdiction, rates, scores
from extractors.ocr import digit_view
from extractors.simplified import simplified_view
from extractors.spans import Mask
from schemas import Coverage, Document, ExtractRecord, Facts
from schemas.models import trusted
from pipeline.version import PIPELINE_VERSION  # noqa: F401  (re-exported)


def extract_facts(text: str) -> Facts:
    """Every fact kind over one text. 文号 and dates are found first and masked, so that
    `〔2023〕4号` or `2023年8月` never reads as an amount or a count. Numbers are read in
    `ocr.digit_view` (OCR's `l2座` is twelve); facts keep the source's characters."""
    source, text = text, digit_view(text)
    numbers = doc_numbers.extract(text)
    date_facts = dates.extract(text)
    mask = claimed_mask(text, numbers, date_facts)
    facts = _facts({
        "amounts": amounts.extract(text, mask),
        "rates": rates.extract(text, mask),
        "counts": counts.extract(text, mask),
        "doc_numbers": numbers,
        "grades": grades.extract(text, mask),
        "scores": scores.extract(text, mask),
        "dates": date_facts,
    })
    if text is not source:  # (rare: an OCR repair in the view) the texts as written
        for kind in Facts.model_fields:
            for f in getattr(facts, kind):
                s = f.start
                if s and source[s] == "\n" and text[s - 1] == "\n":  # a cue read across its wrap (等⏎级为“良”)
                    f.__dict__["start"] = s = s - 1
                f.__dict__["text"] = source[s:f.end]
    return facts


# Facts(...) / ExtractRecord(...) without validation (~12 µs a report): the facts are the
# extractors' own fresh lists of their models, the metadata str / int / None as the fields
# want them (see schemas.models.trusted; the types snapshot of the seeds checks the records)
_facts = trusted(Facts, tuple(Facts.model_fields))
_no_coverage = trusted(Coverage, ())  # Coverage(): the defaults, no field set
_record = trusted(ExtractRecord, (
    "source", "doc_id", "format", "title", "jurisdiction", "province", "prefecture", "admin_code", "fiscal_year",
    *Facts.model_fields, "pages_unreliable", "warnings", "pipeline_version"))


def claimed_mask(text: str, numbers, date_facts) -> Mask:
    """The spans no quantity may be read from: 文号, dates and URLs."""
    return Mask([(f.start, f.end) for f in numbers] + [(f.start, f.end) for f in date_facts]) + amounts.url_mask(text)


def extract_document(doc: Document) -> ExtractRecord:
    if doc.error is not None:
        return ExtractRecord(source=doc.source, doc_id=doc.doc_id, format=doc.format, pipeline_version=PIPELINE_VERSION,
                             error=doc.error, warnings=doc.warnings)
    text = doc.text
    facts = extract_facts(text).__dict__
    view = simplified_view(text)  # (read by extract_meta and analyse: one scan for Traditional characters)
    meta = jurisdiction.extract_meta(text, view)
    j = meta.jurisdiction
    record = _record({  # every field, in declaration order (see _record)
        "source": doc.source, "doc_id": doc.doc_id, "format": doc.format,
        "title": meta.title, "jurisdiction": j.name, "province": j.province, "prefecture": j.prefecture,
        "admin_code": j.admin_code, "fiscal_year": meta.fiscal_year,
        "amounts": facts["amounts"], "rates": facts["rates"], "counts": facts["counts"],
        "doc_numbers": facts["doc_numbers"], "grades": facts["grades"], "scores": facts["scores"],
        "dates": facts["dates"],
        "metrics": [], "findings": [], "coverage": _no_coverage({"amounts_reported": 0, "amounts_checked": 0, "share": None}),
        "sections": [],
        "pages_unreliable": [p.number for p in doc.pages if not p.reliable],
        "warnings": list(doc.warnings),  # (a copy, as validation made)
        "error": None, "pipeline_version": PIPELINE_VERSION,
    })
    try:
        from pipeline import analyse  # segment + link + check (issue 4)
    except ImportError:  # pragma: no cover - until the checks land
        return record
    return analyse.analyse(doc, record, view)


def process(path: str | Path) -> tuple[Document, ExtractRecord]:
    from pipeline.read import read

    doc = read(path)
    return doc, extract_document(doc)
