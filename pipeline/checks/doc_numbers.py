"""doc_number.conflict: one 文号 for two different documents, or one document with two 文号.

Titles are compared after normalising what does not change the document: whitespace,
the 《》 marks, inner <>/〈〉 marks, a `关于印发…的通知` / `关于转发…的通知` wrapper and a
trailing `的通知`; one title containing the other counts as the same document (an issuing
notice names the document it issues).

Severity policy
- one 文号, two titles that stay different after normalising → error: a 文号 is unique by
  construction, so the text cannot be right as written;
- one title, two 文号 of the same issuer that differ in exactly one part (year or serial)
  → warning: most likely a typo, but a document may be re-issued under a new number;
- one title, 文号 of different issuers, or differing in both year and serial → nothing:
  forwarding notices (转发) and yearly re-issues of generic titles are normal.
"""
from __future__ import annotations

import re
from functools import lru_cache
from collections import defaultdict

from pipeline.checks import Ctx
from schemas import DocNumber

_WS = re.compile(r"[\s\u3000\xa0]+")
_WRAP = re.compile(r"^(?:.*?)关于(?:印发|转发|下发|修订)(.+?)的通知$")


@lru_cache(maxsize=4096)
def norm_title(t: str) -> str:
    t = _WS.sub("", t)
    t = t.replace("《", "").replace("》", "").replace("<", "").replace(">", "").replace("〈", "").replace("〉", "")
    t = t.replace("(", "（").replace(")", "）")
    prev = None
    while prev != t:
        prev = t
        m = _WRAP.match(t)
        if m:
            t = m.group(1)
        t = re.sub(r"的通知$", "", t)
    return t


def same_title(a: str, b: str) -> bool:
    a, b = norm_title(a), norm_title(b)
    return a == b or (min(len(a), len(b)) >= 6 and (a in b or b in a))


def _fmt(d: DocNumber) -> str:
    return d.canonical


def _same_norm(a: str, b: str) -> bool:
    """same_title() of two titles already normalised."""
    return a == b or (min(len(a), len(b)) >= 6 and (a in b or b in a))


def run(ctx: Ctx) -> None:
    docs = [d for d in ctx.doc_numbers if d.title]
    norm = {id(d): norm_title(d.title) for d in docs}  # each title normalised once, not once per pair
    by_num: dict[str, list[DocNumber]] = defaultdict(list)
    for d in docs:
        by_num[d.canonical].append(d)
    for canon, ds in by_num.items():
        if len(ds) < 2:
            continue  # one document: nothing to compare
        groups: list[list[DocNumber]] = []
        for d in ds:
            for g in groups:
                if _same_norm(norm[id(g[0])], norm[id(d)]):
                    g.append(d)
                    break
            else:
                groups.append([d])
        if len(groups) > 1:
            firsts = [g[0] for g in groups]
            titles = "和".join(f"《{norm_title(d.title) if False else _WS.sub('', d.title)}》" for d in firsts)
            ctx.add("doc_number.conflict", "error",
                    f"文号{canon}同时对应{titles}{len(firsts)}个不同文件，请核实。",
                    firsts, expected="一个文号只对应一个文件", actual=f"{canon} → {len(firsts)}个不同标题")
    # one title, several numbers
    seen = set()
    for i, d in enumerate(docs):
        for e in docs[i + 1:]:
            if d.canonical == e.canonical:
                continue
            a, b = norm[id(d)], norm[id(e)]  # _same_norm(a, b), inlined: every pair of titled 文号
            if not (a == b or (min(len(a), len(b)) >= 6 and (a in b or b in a))):
                continue
            key = frozenset((d.canonical, e.canonical))
            if key in seen:
                continue
            seen.add(key)
            if d.issuer != e.issuer:
                continue
            year_differs = d.year != e.year
            serial_differs = sorted(d.serials) != sorted(e.serials)
            if year_differs and serial_differs:
                continue
            what = "年份" if year_differs else "序号"
            ctx.add("doc_number.conflict", "warning",
                    f"《{norm_title(d.title)}》在文中先后标注为{d.canonical}和{e.canonical}，同一文件{what}不一致，请核实正确文号。",
                    [d, e], expected="同一文件只有一个文号", actual=f"{d.canonical} / {e.canonical}")
