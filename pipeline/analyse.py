"""Document + record → record with sections, facts' section paths, metrics, findings, coverage.

outline (segment) → assign Fact.section → checks → metrics (link) → coverage. Plain Python
over the facts with precompiled regular expressions: about 1.45 ms median per ~3,900-character
generated report on a 2-core box (bench/bench_checks.py, `analyse_stage` rows: layout ~0.28,
Ctx ~0.15, the rule families ~0.75, link ~0.16). Each fact's surroundings (its window, role,
stage, clause) are worked out once per document and shared by the rules; nothing is kept
from one document to the next.
"""
from __future__ import annotations

import bisect

from pipeline import link
from extractors.simplified import simplified_view
from pipeline.checks import Ctx, run_all
from pipeline.segment import layout
from schemas import Coverage, Document, ExtractRecord, Fact
from schemas.models import plain_assignment, trusted

# Coverage(...) without validation: two ints and a float or None (see schemas.models.trusted)
_coverage = trusted(Coverage, ("amounts_reported", "amounts_checked", "share"))
# facts' `section` may be written straight into __dict__ only while no model validates assignments
_PLAIN_SET = plain_assignment(Fact)

_last_untouched: list[str] = []  # debugging aid: the reported amounts no check used
_KINDS = ("amounts", "rates", "counts", "doc_numbers", "grades", "scores", "dates")


def analyse(doc: Document, record: ExtractRecord, view: str | None = None) -> ExtractRecord:
    """`view`: simplified_view(doc.text) when the caller has it already."""
    # the rules' cue words are written in Simplified: a Traditional report is read through a
    # same-length Simplified view (facts, their text and the evidence keep the source's characters)
    text = simplified_view(doc.text) if view is None else view
    lay = layout(text)
    # facts come in runs inside one section: the innermost section of a position is that of
    # the last heading before it while that heading's section lasts and no other begins, so
    # [lo, hi) remembers where the last answer holds (one bisect per run, not per fact)
    sections, sec_starts = lay.sections, lay._sec_starts
    nsec, far = len(sections), len(text) + 1
    lo, hi, p = 0, -1, None
    for kind in _KINDS:
        for f in getattr(record, kind):
            start = f.start
            if not lo <= start < hi:
                b = bisect.bisect_right(sec_starts, start) - 1
                if b < 0:  # before the first heading
                    p, lo, hi = None, -1, (sec_starts[0] if nsec else far)
                elif start < sections[b].end:
                    s = sections[b]
                    p, lo, hi = s.path, s.start, min(s.end, sec_starts[b + 1] if b + 1 < nsec else far)
                else:  # after a sub-section ended: an enclosing one, looked up the long way
                    i = lay.section_index(start)
                    p, lo, hi = (sections[i].path if i is not None else None), 0, -1
            if _PLAIN_SET:  # set_field(f, "section", p), inlined: ~65 facts a report
                f.__dict__["section"] = p
                f.__pydantic_fields_set__.add("section")
            else:
                f.section = p
    ctx = Ctx(text=text, layout=lay, amounts=list(record.amounts), rates=list(record.rates),
              counts=list(record.counts), grades=list(record.grades), scores=list(record.scores),
              doc_numbers=list(record.doc_numbers))
    findings = run_all(ctx)
    try:
        metrics, metric_findings = link.link(ctx)  # after the checks: it skips the items of itemised lists
    except Exception as e:  # noqa: BLE001 - reported in the record, never silent
        metrics, metric_findings = [], []
        ctx.failed.append(f"link: {type(e).__name__}: {e}")
    covered = {frozenset((sp.start, sp.end) for sp in f.spans) for f in findings}
    findings += [f for f in metric_findings  # a conflict a rule already reported is not repeated
                 if not any(frozenset((sp.start, sp.end) for sp in f.spans) <= c for c in covered)]
    reported = [a for a in record.amounts if not a.bound]
    global _last_untouched
    _last_untouched = [a.text for a in reported if (a.start, a.end) not in ctx.touched]
    checked = sum(1 for a in reported if (a.start, a.end) in ctx.touched)
    if ctx.failed:
        record.warnings = list(record.warnings) + [f"analyse_failed: {x}" for x in ctx.failed]
    record.sections = lay.sections if text is doc.text else layout(doc.text).sections  # titles as written
    record.metrics = metrics
    record.findings = findings
    record.coverage = _coverage({"amounts_reported": len(reported), "amounts_checked": checked,
                                 "share": round(checked / len(reported), 4) if reported else None})
    return record
