"""Importing this module warms a process for ingest: every pipeline module imported, every
model's validator built (schemas use defer_build) and every lazily compiled pattern compiled,
by running one small in-memory report through the whole pipeline.

The ingest's worker server (multiprocessing forkserver) preloads it, so the cost is paid
once, while the parent opens the store, and not again by every worker on its first
document. The readers of other formats than text (lxml, pypdfium2) are preloaded beside it
only when such files are to be loaded (pipeline.ingest.PRELOAD). Nothing from the sample
is kept: no cache holds its facts; the compiled patterns go to the pattern cache
(pipeline/recache.py) when it lacked them.
"""
from __future__ import annotations

SAMPLE = """某县2023年度预算绩效管理工作开展情况说明

一、绩效目标管理
（一）事前绩效评估。根据《某县财政局关于开展预算绩效管理工作的通知》（某财绩〔2023〕7号），对12个项目开展事前绩效评估，涉及资金3,250.5万元。
（二）绩效目标审核。共审核项目支出绩效目标706个，申报金额137,784.25万元，审核后金额为129,500万元，审减8,284.25万元，审减率6.01%。
二、绩效评价
重点评价项目5个，涉及资金1.2亿元，评价结果为优的2个、良的2个、中的1个，平均得分86.5分。2023年8月7日至9月7日完成现场评价。
"""


def warm() -> None:
    from pipeline import recache, store
    from pipeline.read import txt  # noqa: F401  (the readers' modules and their patterns)
    from pipeline.run import extract_document
    from schemas import Document

    doc = Document(source="warm.txt", doc_id="warm", format="txt", text=SAMPLE)
    record = extract_document(doc)
    store.rows_for(doc, record, len(SAMPLE.encode()))
    recache.save()


warm()
