"""The checks never raise on odd input and their findings point into the text."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.run import extract_document
from schemas import Document

FRAGMENTS = ["申报", "建议安排", "审减", "审减率", "核减", "执行率", "合计", "其中", "具体为", "共", "、", "，", "；", "。",
             "\n", "一、", "（一）", "1.", "（1）", "①", "选取", "“甲项目”", "“乙项目”", "县教育局", "等", "个项目", "个部门",
             "100万元", "0万元", "0.00万元", "1,234.56万元", "约50万元", "近2亿元", "3个", "0个", "12%", "0%", "100%",
             "评价等级为“优”", "得分88分", "平均得分95分", "90分以上的", "《甲办法》（县财〔2023〕1号）",
             "《乙办法》（县财〔2023〕1号）", "第一次", "第二次", "2次", "评价金额", "收回", "调减", "运行监控", "重点评价"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=60))
def test_analyse_never_raises_and_spans_slice(parts):
    text = "".join(parts)
    rec = extract_document(Document(source="t.txt", doc_id="t", format="txt", text=text))
    assert not [w for w in rec.warnings if w.startswith("analyse_failed")], rec.warnings
    for f in rec.findings:
        assert f.message and f.values
        for sp in f.spans:
            assert text[sp.start:sp.end] == sp.text
    for m in rec.metrics:
        for e in m.evidence:
            assert text[e.start:e.end] == e.text
    c = rec.coverage
    assert c.amounts_checked <= c.amounts_reported


def test_empty_text():
    rec = extract_document(Document(source="t.txt", doc_id="t", format="txt", text=""))
    assert rec.findings == [] and rec.metrics == [] and rec.coverage.share is None
