"""Flattened tables (自评表 rows as lines, cells split by `|`, tabs or runs of spaces):
the one row splitter every extractor that reads columns uses."""
from __future__ import annotations

import re

_BAR = re.compile(r"[|｜]")
_TAB = re.compile(r"\t")
_SPACES = re.compile(r" {2,}|\u3000+")


def lines_with_offsets(text: str) -> list[tuple[str, int]]:
    """Every line of `text` with the offset of its first character."""
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((line, pos))
        pos += len(line) + 1
    return out


_TWO_SPACES = re.compile(" (?= )")  # "  ", found from each space (a literal: the engine skips to it)
_IDEOGRAPHIC_SPACE = re.compile("\u3000")  # (a regex scan beats `in` here: \u3000's zero low byte defeats memchr)


def has_row_marks(text: str) -> bool:
    """`"|" in text or "\t" in text or "  " in text or "\u3000" in text`: whether a report
    can hold a flattened table at all, at half the cost (`"  " in text` reads every
    character with a two-character needle, ~4 µs; the patterns ~1.3 µs each)."""
    return ("|" in text or "\t" in text or _TWO_SPACES.search(text) is not None
            or _IDEOGRAPHIC_SPACE.search(text) is not None)


def is_row(line: str) -> bool:
    """Whether a line can be a flattened table row: cells split by |, tabs or runs of spaces."""
    return "|" in line or "｜" in line or "\t" in line or "  " in line or "\u3000" in line


def row_cells(line: str, base: int) -> list[tuple[str, int, int]]:
    """Cells of a table row with their offsets into the document, split on | (or tabs, or
    runs of spaces); `|a|b|` has no empty outer cells, but `a | b |` has an empty last one
    (an empty last column, as its header row shows)."""
    barred = "|" in line or "｜" in line
    sep = _BAR if barred else _TAB if "\t" in line else _SPACES
    out, i = [], 0
    for m in sep.finditer(line):
        out.append((line[i:m.start()], base + i, base + m.start()))
        i = m.end()
    out.append((line[i:], base + i, base + len(line)))
    stripped = line.strip()
    if barred and stripped[:1] in "|｜" and stripped[-1:] in "|｜":
        # `|a|b|` (bars on both sides) has no empty outer cells; `a | b |` ends in an empty cell
        if out and not out[0][0].strip():
            out = out[1:]
        if out and not out[-1][0].strip():
            out = out[:-1]
    return out
