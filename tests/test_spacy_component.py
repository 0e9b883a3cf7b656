"""The spaCy component: facts become spans on a jieba-segmented Doc, values kept exact."""
from decimal import Decimal

import pytest

pytest.importorskip("spacy")


@pytest.fixture(scope="module")
def nlp():
    from pipeline.spacy_component import make_nlp

    return make_nlp()


def test_facts_become_spans(nlp):
    text = "37家预算部门申报项目支出预算574,100.87万元，审减金额137,784.25万元，审减率24%。"
    doc = nlp(text)
    spans = doc.spans["jixiao"]
    by_label = {}
    for s in spans:
        by_label.setdefault(s.label_, []).append(s)
    assert [s._.jixiao.value_yuan for s in by_label["amount"]] == [Decimal("5741008700"), Decimal("1377842500")]
    assert [s._.jixiao.value for s in by_label["rate"]] == [Decimal("0.24")]
    assert [s._.jixiao.value for s in by_label["count"]] == [37]
    # the span covers the fact's characters even though jieba cut the number into pieces
    amount = by_label["amount"][0]
    assert amount.start_char <= amount._.jixiao.start and amount.end_char >= amount._.jixiao.end
    assert "574,100.87万元" in amount.text


def test_domain_dictionary_keeps_terms_whole(nlp):
    doc = nlp("审减率为2.03%，开展事前绩效评估。")
    words = [t.text for t in doc]
    assert "审减率" in words and "事前绩效评估" in words


def test_findings_travel_with_the_doc(nlp):
    doc = nlp("基本支出申报100万元，建议安排80万元，审减30万元。")
    rules = [f.rule for f in doc._.jixiao_findings]
    assert "arithmetic.difference" in rules
