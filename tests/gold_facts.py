"""Facts built from the hand-made answer keys, located in the seed text in order.

The keys carry no offsets; each fact's `text` is searched in the seed text left to right
(a fact listed twice is found twice). This gives the checks realistic input that does not
depend on the state of the extractors, so the checks can be tested on their own.
"""
from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path

from schemas import Amount, Count, DocNumber, Document, ExtractRecord, Grade, Rate, Score

ROOT = Path(__file__).resolve().parents[1]
from seed_keys import GOLD  # noqa: E402  (../shared beside the clone)
CORPUS = ROOT / "corpus"

_DEC = re.compile(r"\d[\d,，]*(?:\.(\d+))?")


def seeds() -> list[str]:
    return sorted(p.stem for p in CORPUS.glob("*.txt"))


def seed_text(stem: str) -> str:
    return (CORPUS / f"{stem}.txt").read_text(encoding="utf-8")


def gold(stem: str) -> dict:
    return json.loads((GOLD / f"{stem}.json").read_text(encoding="utf-8"))


def _decimals(text: str) -> int:
    m = _DEC.search(text)
    return len(m.group(1)) if m and m.group(1) else 0


def _find(text: str, t: str, start: int) -> int:
    """Next occurrence of t at or after start that does not begin inside a number."""
    i = text.find(t, start)
    while i > 0 and t[:1].isdigit() and (text[i - 1].isdigit() or text[i - 1] == "."
                                         or (text[i - 1] in ",，" and text[i - 2].isdigit())):
        i = text.find(t, i + 1)
    return i


def _locate(text: str, items: list[dict], key: str = "text") -> list[tuple[dict, int]]:
    """Each item's occurrence after the previous item of its kind (the keys list facts in
    document order), falling back to after the previous one of the same text."""
    out, last, cursor = [], {}, 0
    for it in items:
        t = it[key]
        i = _find(text, t, cursor)
        if i < 0:
            i = _find(text, t, last.get(t, 0))
        if i < 0:
            continue
        last[t] = i + len(t)
        cursor = i + 1
        out.append((it, i))
    return out


def record(stem: str, text: str | None = None) -> tuple[Document, ExtractRecord]:
    """Document + record whose facts are the answer key's, with offsets into the text."""
    text = seed_text(stem) if text is None else text
    g = gold(stem)
    doc = Document(source=f"{stem}.txt", doc_id=stem, format="txt", text=text)
    amounts = [
        Amount(text=a["text"], start=i, end=i + len(a["text"]), value_yuan=Decimal(a["value_yuan"]),
               unit=a.get("unit") or re.sub(r"^[^元万亿千萬億]*", "", a["text"]) or "元",
               qualifier=a.get("qualifier"), bound=a.get("bound", False), decimals=_decimals(a["text"]))
        for a, i in _locate(text, g["amounts"])
    ]
    rates = [
        Rate(text=r["text"], start=i, end=i + len(r["text"]), value=Decimal(r["value"]),
             qualifier=r.get("qualifier"), bound=r.get("bound", False), decimals=_decimals(r["text"]))
        for r, i in _locate(text, g["rates"])
    ]
    counts = [
        Count(text=c["text"], start=i, end=i + len(c["text"]), value=c["value"], classifier=c["classifier"],
              subject=c.get("subject"), qualifier=c.get("qualifier"), bound=c.get("bound", False))
        for c, i in _locate(text, g["counts"])
    ]
    docnums = []
    for d in g["doc_numbers"]:
        d.setdefault("text", d["canonical"])
    for d, i in _locate(text, [dict(x, text=x.get("text") or x["canonical"]) for x in g["doc_numbers"]]):
        docnums.append(DocNumber(text=d["text"], start=i, end=i + len(d["text"]), canonical=d["canonical"],
                                 issuer=d.get("issuer", ""), year=d.get("year", 0), serials=d.get("serials", []),
                                 title=d.get("title")))
    grades = [
        Grade(text=x["text"], start=i, end=i + len(x["text"]), level=x["level"], count=x.get("count"),
              subject=x.get("subject"))
        for x, i in _locate(text, g["grades"])
    ]
    scores = [
        Score(text=x["text"], start=i, end=i + len(x["text"]), value=Decimal(x["value"]), kind=x.get("kind", "single"))
        for x, i in _locate(text, g["scores"])
    ]
    rec = ExtractRecord(source=doc.source, doc_id=stem, format="txt", amounts=amounts, rates=rates, counts=counts,
                        doc_numbers=docnums, grades=grades, scores=scores)
    return doc, rec
