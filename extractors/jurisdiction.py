"""Document metadata: title, fiscal year, jurisdiction (placeholder; see issue 3)."""
from __future__ import annotations

from schemas import DocMeta


def extract_meta(text: str) -> DocMeta:
    return DocMeta()
