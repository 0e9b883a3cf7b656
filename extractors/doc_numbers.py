"""doc_numbers extractor (placeholder until written; see issue 3)."""
from __future__ import annotations


def extract(text: str, mask=None) -> list:
    return []
