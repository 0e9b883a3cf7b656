"""Document text -> HTML with nested highlight elements.

Every slice of document text goes through `esc` (html.escape, quotes too), and so does
every attribute value: a report containing `<script>` or `"><img onerror=…>` renders as
text. Overlapping marks are nested properly: when a mark crosses another one, it is
closed and reopened around the boundary (the reopened piece has no id).
"""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Iterable, Optional


def esc(s: object) -> str:
    """Escape for text and for double- or single-quoted attribute values."""
    return html.escape("" if s is None else str(s), quote=True)


def attrs_html(attrs: dict[str, object]) -> str:
    out = []
    for k, v in attrs.items():
        if v is None or v is False:
            continue
        if v is True:
            out.append(f" {k}")
        else:
            out.append(f' {k}="{esc(v)}"')
    return "".join(out)


@dataclass
class Mark:
    start: int
    end: int
    tag: str = "span"
    attrs: dict = field(default_factory=dict)
    id: Optional[str] = None
    order: int = 50  # for equal ranges, the lower order is the outer element

    def open(self, first: bool) -> str:
        a = dict(self.attrs)
        if first and self.id:
            a = {"id": self.id, **a}
        elif not first:
            a["class"] = (a.get("class", "") + " cont").strip()
        return f"<{self.tag}{attrs_html(a)}>"

    def close(self) -> str:
        return f"</{self.tag}>"


@dataclass
class Anchor:
    """A zero-width element inserted at an offset (section targets)."""

    pos: int
    html: str


def render(text: str, marks: Iterable[Mark], anchors: Iterable[Anchor] = ()) -> str:
    n = len(text)
    ms = []
    for m in marks:
        s, e = max(0, m.start), min(n, m.end)
        if s < e:
            m.start, m.end = s, e
            ms.append(m)
    ms.sort(key=lambda m: (m.start, -m.end, m.order))
    anchors_at: dict[int, list[str]] = {}
    for a in anchors:
        anchors_at.setdefault(min(max(a.pos, 0), n), []).append(a.html)

    bounds = sorted({0, n, *(m.start for m in ms), *(m.end for m in ms), *anchors_at})
    starts: dict[int, list[Mark]] = {}
    for m in ms:
        starts.setdefault(m.start, []).append(m)

    # Invariant: the ends of the open marks never increase from the bottom of the stack
    # to its top, so closing at an end never crosses an element.
    out: list[str] = []
    stack: list[Mark] = []
    prev = 0
    for p in bounds:
        if p > prev:
            out.append(esc(text[prev:p]))
        prev = p
        reopen: list[Mark] = []
        while any(m.end == p for m in stack):
            m = stack.pop()
            out.append(m.close())
            if m.end != p:
                reopen.append(m)
        new = starts.get(p, [])
        longest = max((m.end for m in new), default=0)
        while stack and stack[-1].end < longest:  # would cross a new, longer mark
            m = stack.pop()
            out.append(m.close())
            reopen.append(m)
        out.extend(anchors_at.get(p, ()))
        pending = [(m, False) for m in reopen] + [(m, True) for m in new]
        pending.sort(key=lambda t: (-t[0].end, t[0].order))
        for m, first in pending:
            out.append(m.open(first))
            stack.append(m)
    while stack:
        out.append(stack.pop().close())
    return "".join(out)
