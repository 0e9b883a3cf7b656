"""Load an example table (tests/examples/<kind>.tsv): `#` lines are comments or the
provenance headings; in the input column `\\n` and `\\t` stand for a line break and a tab
(and `\\n` in the fact-text column for a line break inside a fact),
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
        if len(cols) > 1:
            cols[1] = cols[1].replace("\\n", "\n")  # a fact's text may hold a wrapped line
        cols += [""] * (ncols - len(cols))
        rows.append(pytest.param(*cols[:ncols], id=f"{group}-L{lineno}"))
    return rows


def check_row(found: list, text: str, fact_text: str, expect: dict) -> None:
    """One example-table row: every fact slices back to `text`; `-` (or an empty cell) means nothing is found;
    otherwise a fact with exactly `fact_text` has the `expect`ed fields (`-` = None,
    `true`/`false` = booleans, `7,8` = a list of ints, numbers compared as written)."""
    from decimal import Decimal

    for f in found:
        assert text[f.start:f.end] == f.text
    if fact_text in ("", "-"):
        assert found == [], [f.text for f in found]
        return
    hits = [f for f in found if f.text == fact_text]
    assert hits, f"{fact_text!r} not among {[f.text for f in found]}"
    f = hits[0]
    for field, want in expect.items():
        got = getattr(f, field)
        if want == "-":
            want = None
        elif want in ("true", "false"):
            want = want == "true"
        elif isinstance(got, list):
            want = [int(x) for x in want.split(",")]
        elif isinstance(got, Decimal):
            want = Decimal(want)
        elif isinstance(got, int) and not isinstance(got, bool):
            want = int(want)
        assert got == want, (field, got, want)
