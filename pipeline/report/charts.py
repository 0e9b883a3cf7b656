"""SVG charts drawn at build time (no JS chart library): horizontal bars and stacked bars.

Every label and value goes through `esc`; colours and sizes are presentation attributes
and CSS classes (no inline `style`, so the pages' Content-Security-Policy holds).
"""
from __future__ import annotations

import re
from decimal import Decimal
from typing import Callable, Optional, Sequence

from pipeline.report.markup import esc

ROW = 26
BAR = 16
TOP = 8
AXIS = 26
WIDTH = 560  # drawn at about 1:1 in a half-width card, so 12px text stays 12px
MAX_ROWS = 30


def _text_width(s: str, px: float = 12.0) -> float:
    """Rendered width, erring wide: CJK, full-width forms and the ellipsis (full-width in
    CJK fonts) 1 em; other characters 0.65 em."""
    return sum(px if (ord(c) > 0x2E7F or c == "…") else px * 0.65 for c in s)


def _clip(s: str, max_px: float) -> str:
    """Shorten a label to fit, keeping its trailing year and duplicate number (`… 2023（2）`)."""
    if _text_width(s) <= max_px:
        return s
    m = re.search(r"\s\d{4}(（\d+）)?$", s)
    head, tail = (s[: m.start()], s[m.start():]) if m else (s, "")
    while head and _text_width(head + "…" + tail) > max_px:
        head = head[:-1]
    return head + "…" + tail


def nice_ticks(hi: Decimal, n: int = 5, integer: bool = False) -> list[Decimal]:
    """0 and round steps up to at least `hi` (1, 2, 2.5, 5 × 10^k); whole steps for counts."""
    if hi <= 0:
        return [Decimal(0), Decimal(1)]
    raw = hi / n
    exp = raw.adjusted()
    base = Decimal(10) ** exp
    for m in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        step = m * base
        if step >= raw:
            break
    if integer:
        step = max(Decimal(1), step.to_integral_value(rounding="ROUND_CEILING"))
    ticks = [Decimal(0)]
    while ticks[-1] < hi:
        ticks.append(ticks[-1] + step)
    return ticks


def _label_col(labels: Sequence[str]) -> float:
    return min(180.0, max([60.0] + [_text_width(s) + 12 for s in labels]))


def bar_chart(
    rows: Sequence[tuple[str, Decimal, str]],
    fmt: Callable[[Decimal], str],
    *,
    title: str,
    css: str = "bar",
    tick_fmt: Optional[Callable[[Decimal], str]] = None,
) -> str:
    """rows: (label, value, href). One horizontal bar each, value printed after the bar;
    the axis ticks use tick_fmt (default: fmt)."""
    tick_fmt = tick_fmt or fmt
    rows = list(rows)[:MAX_ROWS]
    labels = [r[0] for r in rows]
    lw = _label_col(labels)
    vw = 96.0  # room for the value text after the longest bar
    plot = WIDTH - lw - vw
    hi = max((v for _, v, _ in rows), default=Decimal(0))
    ticks = nice_ticks(hi)
    top = ticks[-1] or Decimal(1)
    h = TOP + ROW * len(rows) + AXIS
    out = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {h}" width="{WIDTH}" height="{h}" role="img" aria-label="{esc(title)}">',
        f"<title>{esc(title)}</title>",
    ]
    y0, y1 = TOP, TOP + ROW * len(rows)
    for t in ticks:
        x = lw + float(t / top) * plot
        out.append(f'<line class="grid" x1="{x:.1f}" y1="{y0}" x2="{x:.1f}" y2="{y1}"/>')
        out.append(f'<text class="tick" x="{x:.1f}" y="{y1 + 16}" text-anchor="middle">{esc(tick_fmt(t))}</text>')
    for i, (label, v, href) in enumerate(rows):
        y = TOP + ROW * i
        w = max(1.0, float(v / top) * plot) if v > 0 else 0.0
        cy = y + ROW / 2
        out.append(f'<a href="{esc(href)}">')
        out.append(
            f'<text class="label" x="{lw - 8:.1f}" y="{cy + 4:.1f}" text-anchor="end">{esc(_clip(label, lw - 14))}'
            f"<title>{esc(label)}</title></text>"
        )
        out.append(
            f'<rect class="{css}" x="{lw:.1f}" y="{y + (ROW - BAR) / 2:.1f}" width="{w:.1f}" height="{BAR}" rx="2">'
            f"<title>{esc(label)}: {esc(fmt(v))}</title></rect>"
        )
        out.append(f'<text class="value" x="{lw + w + 6:.1f}" y="{cy + 4:.1f}">{esc(fmt(v))}</text>')
        out.append("</a>")
    out.append(f'<line class="axis" x1="{lw:.1f}" y1="{y0}" x2="{lw:.1f}" y2="{y1}"/>')
    out.append("</svg>")
    return "".join(out)


def stacked_chart(
    rows: Sequence[tuple[str, Sequence[int], str]],
    series: Sequence[tuple[str, str]],
    *,
    title: str,
) -> str:
    """rows: (label, counts per series, href); series: (name, css class). Legend on top."""
    rows = list(rows)[:MAX_ROWS]
    lw = _label_col([r[0] for r in rows])
    plot = WIDTH - lw - 40
    hi = max((sum(c) for _, c, _ in rows), default=0)
    ticks = nice_ticks(Decimal(hi), integer=True)
    top = ticks[-1] or Decimal(1)
    legend_h = 24
    h = legend_h + TOP + ROW * len(rows) + AXIS
    out = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {h}" width="{WIDTH}" height="{h}" role="img" aria-label="{esc(title)}">',
        f"<title>{esc(title)}</title>",
    ]
    x = lw
    for name, css in series:
        out.append(f'<rect class="{css}" x="{x:.1f}" y="4" width="12" height="12" rx="2"/>')
        out.append(f'<text class="legend" x="{x + 16:.1f}" y="14">{esc(name)}</text>')
        x += 16 + _text_width(name) + 18
    y0, y1 = legend_h + TOP, legend_h + TOP + ROW * len(rows)
    for t in ticks:
        tx = lw + float(t / top) * plot
        out.append(f'<line class="grid" x1="{tx:.1f}" y1="{y0}" x2="{tx:.1f}" y2="{y1}"/>')
        out.append(f'<text class="tick" x="{tx:.1f}" y="{y1 + 16}" text-anchor="middle">{esc(t)}</text>')
    for i, (label, counts, href) in enumerate(rows):
        y = y0 + ROW * i
        cy = y + ROW / 2
        out.append(f'<a href="{esc(href)}">')
        out.append(
            f'<text class="label" x="{lw - 8:.1f}" y="{cy + 4:.1f}" text-anchor="end">{esc(_clip(label, lw - 14))}'
            f"<title>{esc(label)}</title></text>"
        )
        x = lw
        for (name, css), c in zip(series, counts):
            if not c:
                continue
            w = float(Decimal(c) / top) * plot
            out.append(
                f'<rect class="{css}" x="{x:.1f}" y="{y + (ROW - BAR) / 2:.1f}" width="{w:.1f}" height="{BAR}">'
                f"<title>{esc(label)} {esc(name)}: {c}</title></rect>"
            )
            if w >= 14:
                out.append(f'<text class="inbar" x="{x + w / 2:.1f}" y="{cy + 4:.1f}" text-anchor="middle">{c}</text>')
            x += w
        out.append(f'<text class="value" x="{x + 6:.1f}" y="{cy + 4:.1f}">{sum(counts)}</text>')
        out.append("</a>")
    out.append(f'<line class="axis" x1="{lw:.1f}" y1="{y0}" x2="{lw:.1f}" y2="{y1}"/>')
    out.append("</svg>")
    return "".join(out)
