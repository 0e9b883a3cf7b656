"""Load an example table (tests/examples/<kind>.tsv): `#` lines are comments or the
provenance headings; in the input column `\\n` and `\\t` stand for a line break and a tab,
so flattened tables fit in one row (`# written from the genre's phrasing`, `# from the seeds`,
`# bugs caught in the wild`, `# negative…`); each row keeps its provenance in its test id."""
from __future__ import annotations

from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parent / "examples"


def load(name: str, ncols: int) -> list:
    rows, group = [], "?"
    for lineno, line in enumerate((EXAMPLES / name).read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        if line.startswith("#"):
            head = line.lstrip("# ").strip()
            for tag in ("written from the genre", "from the seeds", "bugs caught", "negative"):
                if head.startswith(tag):
                    group = tag.split()[0] if tag != "written from the genre" else "genre"
                    group = {"from": "seeds", "bugs": "bugs"}.get(group, group)
            continue
        cols = line.split("\t")
        cols[0] = cols[0].replace("\\n", "\n").replace("\\t", "\t")  # table rows in one cell
        cols += [""] * (ncols - len(cols))
        rows.append(pytest.param(*cols[:ncols], id=f"{group}-L{lineno}"))
    return rows
