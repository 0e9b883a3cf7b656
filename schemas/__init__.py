"""schemas: the pydantic models every stage passes, and what derives from them."""
from schemas.models import (  # noqa: F401
    Amount,
    Block,
    Count,
    Coverage,
    Date,
    DocMeta,
    DocNumber,
    Document,
    ExtractRecord,
    Fact,
    Facts,
    Finding,
    Grade,
    Jurisdiction,
    Metric,
    Page,
    Rate,
    ReadError,
    Score,
    Section,
    Span,
)

FACT_KINDS = {
    "amounts": Amount,
    "rates": Rate,
    "counts": Count,
    "doc_numbers": DocNumber,
    "grades": Grade,
    "scores": Score,
    "dates": Date,
}
