"""Checks: analyse() time per document (outline + sections + metrics + checks + coverage,
facts already extracted), coverage per seed, and the mutation scores (detection rate over
every relation of the answer keys, false alarms on consistent edits and on the unmutated
seeds)."""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for p in (ROOT, ROOT / "tests"):
    if str(p) not in sys.path:
        sys.path.insert(0, str(p))


def _time_analyse(doc, rec, repeat: int = 200) -> float:
    from pipeline.analyse import analyse

    analyse(doc, rec.model_copy(deep=True))  # warm caches (compiled patterns)
    times = []
    for _ in range(repeat):
        r = rec.model_copy()  # shallow: analyse only sets fields and facts' sections
        t0 = time.perf_counter()
        analyse(doc, r)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def run() -> list[dict]:
    import mutations as M
    from pipeline.read import read
    from pipeline.run import extract_document, extract_facts
    from schemas import ExtractRecord, Facts

    rows = []
    for stem in M.seeds():
        doc = read(M.CORPUS / f"{stem}.txt")
        facts = extract_facts(doc.text)
        rec = ExtractRecord(source=doc.source, doc_id=doc.doc_id, format=doc.format,
                            **{k: getattr(facts, k) for k in Facts.model_fields})
        t = _time_analyse(doc, rec)
        full = extract_document(doc)
        errors = sum(1 for f in full.findings if f.severity == "error")
        warnings = sum(1 for f in full.findings if f.severity == "warning")
        gold = M.gold(stem)["findings"]
        rows.append(dict(bench="analyse", doc=stem[:3], chars=len(doc.text),
                         facts=sum(len(getattr(facts, k)) for k in Facts.model_fields),
                         ms_median=round(t * 1000, 3), us_per_1k_chars=round(t * 1e6 / len(doc.text) * 1000, 1),
                         coverage=f"{full.coverage.amounts_checked}/{full.coverage.amounts_reported}",
                         errors=errors, warnings=warnings,
                         gold_errors=sum(1 for g in gold if g["severity"] == "error"),
                         gold_warnings=sum(1 for g in gold if g["severity"] == "warning"),
                         metrics=len(full.metrics)))
    for label, stems in (("holdout", M.holdout()),):
        hv = M.evaluate(stems)
        hb: dict[str, list[int]] = {}
        for m, ok, _ in hv["rows"]:
            hb.setdefault(m.rule, [0, 0])
            hb[m.rule][0] += ok
            hb[m.rule][1] += 1
        for rule, (ok, n) in sorted(hb.items()):
            rows.append(dict(bench=f"mutations_{label}", doc=rule, detected=ok, mutations=n, detection_rate=round(ok / n, 3)))
        rows.append(dict(bench=f"mutations_{label}", doc="ALL", detected=hv["detected"], mutations=hv["mutations"],
                         detection_rate=round(hv["detection_rate"], 3), not_breaking=hv["not_breaking"]))
    ev = M.evaluate()
    by_rule: dict[str, list[int]] = {}
    for m, ok, _ in ev["rows"]:
        by_rule.setdefault(m.rule, [0, 0])
        by_rule[m.rule][0] += ok
        by_rule[m.rule][1] += 1
    for rule, (ok, n) in sorted(by_rule.items()):
        rows.append(dict(bench="mutations", doc=rule, detected=ok, mutations=n, detection_rate=round(ok / n, 3)))
    false_err = sum(r["errors"] - r["gold_errors"] for r in rows if r["bench"] == "analyse" and r["errors"] > r["gold_errors"])
    rows.append(dict(bench="mutations", doc="ALL", detected=ev["detected"], mutations=ev["mutations"],
                     not_breaking=ev["not_breaking"],
                     detection_rate=round(ev["detection_rate"], 3),
                     consistent_edits=ev["consistent_edits"], false_alarms=ev["false_alarms"],
                     false_alarm_rate=round(ev["false_alarm_rate"], 3),
                     false_errors_unmutated=false_err))
    return rows


if __name__ == "__main__":
    from bench.__main__ import table

    print(table(run()))
