"""read(path) -> Document: one entry point for every format (placeholder; see issue 2)."""
from __future__ import annotations

import hashlib
from pathlib import Path

from schemas import Document, ReadError


def read(path: str | Path, *, max_bytes: int = 50 * 1024 * 1024) -> Document:
    p = Path(path)
    data = p.read_bytes()
    doc_id = hashlib.sha256(data).hexdigest()
    if not data.strip():
        return Document(source=str(p), doc_id=doc_id, format="txt", error=ReadError(code="empty", message="文件为空"))
    return Document(source=str(p), doc_id=doc_id, format="txt", text=data.decode("utf-8-sig"), encoding="utf-8")
