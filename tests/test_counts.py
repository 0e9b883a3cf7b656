import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from examples_table import check_row, load
from pipeline.run import extract_facts


@pytest.mark.parametrize("text,fact_text,value,classifier,qualifier,bound", load("counts.tsv", 6))
def test_example_table(text, fact_text, value, classifier, qualifier, bound):
    check_row(extract_facts(text).counts, text, fact_text, {"value": value, "classifier": classifier, "qualifier": qualifier, "bound": bound})


@pytest.mark.parametrize(
    "text,subject",
    [
        ("共审核项目绩效目标1081个", "共审核项目绩效目标"),
        ("对794个项目开展审核", "项目"),
        ("选取5家单位的6个项目", "单位"),
        ("部门整体支出绩效目标共计19个（一级预算部门）", "部门整体支出绩效目标"),
    ],
)
def test_subject(text, subject):
    found = extract_facts(text).counts
    assert found and subject in (found[0].subject or ""), [(f.text, f.subject) for f in found]


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=2, max_value=9999), st.sampled_from(["个", "家", "项", "人次", "条", "份"]))
def test_counts_parse_back(n, clf):
    import cn2an

    for written in (str(n), cn2an.an2cn(n, "low")):
        text = f"全年共审核{written}{clf}，完成任务。"
        found = extract_facts(text).counts
        assert [(f.value, f.classifier) for f in found] == [(n, clf)], text


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="项目单位的中和与开展金额，。1（）、 ab共计", max_size=40), st.data())
def test_subject_run_is_subject_chars_up_to_the_first_stop(text, data):
    """The forward subject read is one pattern: subject characters from the classifier's end,
    stopping at the first stop word after the first character, at most 24 characters."""
    from extractors.counts import _SUBJECT_END, _SUBJECT_OK, _SUBJECT_RUN

    end = data.draw(st.integers(min_value=0, max_value=len(text)))
    stop = _SUBJECT_END.search(text, end + 1, end + 25)
    ok = _SUBJECT_OK.match(text, end, stop.start() if stop else min(end + 24, len(text)))
    run = _SUBJECT_RUN.match(text, end, end + 25)
    assert (run.group(0) if run else "") == (ok.group(0) if ok else "")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="共计合有达为约的项目、", max_size=12))
def test_cue_word_removed_from_the_end(before):
    """The counted subject written before: the cue word ending it (共计, 达 …) is removed, the
    longest one, as _CUE_BEFORE.sub would."""
    from extractors.counts import _CUE_BEFORE, _CUE_WORDS_1, _CUE_WORDS_2

    if before[-2:] in _CUE_WORDS_2:
        cut = before[:-2]
    elif before[-1:] in _CUE_WORDS_1:
        cut = before[:-1]
    else:
        cut = before
    assert cut == _CUE_BEFORE.sub("", before)


def test_place_names_with_a_numeral_and_classifier_are_every_one_in_the_gazetteer():
    """三台县 is not 3 台: counts skips the county-level names that begin with a numeral and a
    classifier. The list is written out (no gazetteer read at import); this keeps it complete."""
    import re
    from pathlib import Path

    from extractors.counts import CLASSIFIERS, PLACE_NAMES

    single = "".join(c for c in CLASSIFIERS if len(c) == 1)
    head = re.compile(rf"^[一二两三四五六七八九十]+[{single}]")
    found = set()
    table = Path(__file__).resolve().parents[1] / "extractors" / "data" / "adcodes.tsv"
    for line in table.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        for name in line.split("\t")[1:]:
            for n in name.split(","):
                if head.match(n):
                    found.add(re.sub(r"(?:市|县|区|自治县)$", "", n))
    assert found and found <= set(PLACE_NAMES), sorted(found - set(PLACE_NAMES))
    for name in PLACE_NAMES:
        text = f"{name}财政局组织开展绩效评价"
        assert not extract_facts(text).counts, name
