"""jixiao facts as spaCy spans, for researchers who work in spaCy (and displaCy).

    from pipeline.spacy_component import make_nlp
    nlp = make_nlp()                      # blank `zh`, jieba segmenter + jixiao's domain dictionary
    doc = nlp(text)
    doc.spans["jixiao"]                   # one span per fact, label = kind (amount, rate, count, …)
    span._.jixiao                         # the fact's pydantic model (value_yuan, qualifier, …)
    spacy.displacy.render(doc, style="span", options={"spans_key": "jixiao"})

Facts are found on the raw text by jixiao's extractors (a tokenizer splits `137,784.25` into
three tokens); spans are aligned outward to token boundaries, and the fact keeps the exact
characters. Importing spaCy and jieba costs about two seconds, so this module stays off
`jixiao extract`'s path.
"""
from __future__ import annotations

from pathlib import Path

USER_DICT = Path(__file__).resolve().parent.parent / "extractors" / "data" / "userdict.txt"

_KINDS = {
    "amounts": "amount", "rates": "rate", "counts": "count", "doc_numbers": "doc_number",
    "grades": "grade", "scores": "score", "dates": "date",
}


def _register():
    from spacy.language import Language
    from spacy.tokens import Doc, Span

    if not Span.has_extension("jixiao"):
        Span.set_extension("jixiao", default=None)
    if not Doc.has_extension("jixiao_findings"):
        Doc.set_extension("jixiao_findings", default=None)

    if "jixiao_facts" not in Language.factories:

        @Language.component("jixiao_facts")
        def jixiao_facts(doc):
            from pipeline.run import extract_document
            from schemas import Document

            record = extract_document(Document(source="<spacy>", doc_id="-", format="txt", text=doc.text))
            spans = []
            for field, label in _KINDS.items():
                for fact in getattr(record, field):
                    span = doc.char_span(fact.start, fact.end, label=label, alignment_mode="expand")
                    if span is not None:
                        span._.jixiao = fact
                        spans.append(span)
            doc.spans["jixiao"] = sorted(spans, key=lambda s: s.start_char)
            doc._.jixiao_findings = record.findings
            return doc


def make_nlp(segmenter: str = "jieba"):
    """A blank Chinese pipeline with the jixiao component. `segmenter="char"` needs no jieba."""
    import spacy

    _register()
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": segmenter}}})
    if segmenter == "jieba":
        import jieba

        jieba.load_userdict(str(USER_DICT))
    nlp.add_pipe("jixiao_facts")
    return nlp
