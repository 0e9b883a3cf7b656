"""The shared number grammar: exact Decimals, every written form."""
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extractors.numbers import decimals_of, interval, last_digit_unit, parse_number

# Worked out by hand, never copied from the program's output.
CASES = [
    ("137,784.25", "137784.25"),
    ("３６，０５５", "36055"),
    ("5291.39", "5291.39"),
    ("0.85", "0.85"),
    ("十", "10"),
    ("十五", "15"),
    ("二十", "20"),
    ("两", "2"),
    ("一百零五", "105"),
    ("一千零一", "1001"),
    ("三千五百万", "35000000"),
    ("一亿五千万", "150000000"),
    ("二十万零三百", "200300"),
    ("两千零二十三", "2023"),
    ("二〇二三", "2023"),
    ("壹佰万", "1000000"),
    ("贰拾叁", "23"),
    ("一点五", "1.5"),
    ("十万", "100000"),
    ("一万零五百", "10500"),
    ("1.5万", "15000"),
    ("3千万", "30000000"),
    ("2.1亿", "210000000"),
    ("16.4亿", "1640000000"),  # float gives 1639999999.9999998
    ("0.1亿", "10000000"),
    ("1.2万亿", "1200000000000"),
    ("九千九百九十九万九千九百九十九", "99999999"),
    ("三亿零五万", "300050000"),
]


@pytest.mark.parametrize("written,value", CASES)
def test_parse_number(written, value):
    assert parse_number(written) == Decimal(value)


@pytest.mark.parametrize("junk", ["", "万", "abc", "1.5x", "亿元"])
def test_not_a_number(junk):
    assert parse_number(junk) is None


@pytest.mark.parametrize("written,k", [("5,291.39", 2), ("1,930", 0), ("4.9", 1), ("一点五", 1), ("１２．３４５", 3)])
def test_decimals_as_written(written, k):
    assert decimals_of(written) == k


@pytest.mark.parametrize("written,unit", [
    ("6200", "100"), ("10", "10"), ("5.5", "0.1"), ("106705", "1"), ("1,930", "10"),
    # Chinese numerals: the place of the last non-zero digit (两千余万 is 2000–3000万) …
    ("两千", "1000"), ("一千一百零五", "1"), ("四百", "100"), ("一点五", "0.1"),
    # … or, when 余 follows a closing 万/亿, one of it (十八亿余元 is 18–19亿)
    ("十八亿", "100000000"), ("两千万", "10000"), ("一点五亿", "10000000"),
])
def test_last_digit_unit(written, unit):
    assert last_digit_unit(written) == Decimal(unit)


@pytest.mark.parametrize("text,low,high", [
    ("覆盖资金十八亿余元", "1800000000", "1900000000"),
    ("收回资金两千余万元", "20000000", "30000000"),
    ("收回资金两千万余元", "20000000", "20010000"),
    ("全年安排1.2亿余元", "120000000", "130000000"),
    ("收回资金3000万余元", "30000000", "30010000"),
    ("补助资金2万多元", "20000", "30000"),
    ("项目资金6200余万元", "62000000", "63000000"),
])
def test_over_intervals_of_amounts(text, low, high):
    """余/多 stands for less than one more unit of the place it follows."""
    from pipeline.run import extract_facts

    (a,) = extract_facts(text).amounts
    assert (a.low, a.high) == (Decimal(low), Decimal(high)), a.text


def test_intervals():
    v = Decimal(62000000)
    assert interval(v, None, "6200") == (None, None)
    assert interval(v, "over", "6200", Decimal(10000), infix=True) == (v, Decimal(63000000))
    assert interval(v, "over", "6200") == (v, None)
    assert interval(v, "under", "6200") == (Decimal(0), v)
    lo, hi = interval(v, "about", "6200")
    assert lo < v < hi


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**12 - 1))
def test_chinese_numerals_agree_with_cn2an(n):
    """cn2an is the oracle: every integer it writes in Chinese, we read back exactly."""
    import cn2an

    for style in ("low", "up"):
        written = cn2an.an2cn(n, style)
        assert parse_number(written) == Decimal(n), written


@settings(max_examples=300, deadline=None)
@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_arabic_forms_parse_back(d):
    plain = format(d, "f")
    whole, _, frac = plain.partition(".")
    grouped = f"{int(whole):,}" + ("." + frac if frac else "")
    fullwidth = grouped.translate(str.maketrans("0123456789.,", "０１２３４５６７８９．，"))
    for form in (plain, grouped, grouped.replace(",", "，"), fullwidth):
        assert parse_number(form) == d, form


# --------------------------------------------------------------------------- trusted facts

def _texts():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    paths = sorted((root / "corpus").glob("*.txt")) + sorted((root / "tests" / "holdout").glob("*.txt"))
    return [p.read_text("utf-8") for p in paths]


def test_trusted_facts_equal_validated():
    """Every extractor builds its facts without pydantic validation (schemas.models.trusted):
    each fact of every seed and held-out report must equal the validated model built from the
    same fields: the same values of the same types, the same fields set, the same dump."""
    from pipeline.run import extract_facts

    seen = set()
    texts = _texts()
    assert len(texts) >= 10
    for text in texts:
        facts = extract_facts(text)
        for kind in type(facts).model_fields:
            for f in getattr(facts, kind):
                given = {k: getattr(f, k) for k in f.model_fields_set}
                v = type(f)(**given)
                assert v == f
                assert v.model_fields_set == f.model_fields_set
                assert list(v.__dict__) == list(f.__dict__)  # field order: the JSON key order
                assert [type(x) for x in v.__dict__.values()] == [type(x) for x in f.__dict__.values()], f
                assert v.model_dump_json() == f.model_dump_json()
                seen.add(kind)
    assert seen == set(type(facts).model_fields)  # every kind was checked


def test_trusted_constructor_sets_what_validation_sets():
    from schemas.models import trusted
    from schemas import Amount

    given = {"text": "约1,930万元", "start": 3, "end": 11, "value_yuan": Decimal("19300000"), "unit": "万元",
             "qualifier": "about", "bound": False, "low": Decimal("17370000"), "high": Decimal("21230000"), "decimals": 0}
    build = trusted(Amount, tuple(given))
    a = build({**{k: given.get(k) for k in ("text", "start", "end")}, "section": None,
               **{k: given[k] for k in list(given)[3:]}})
    b = Amount(**given)
    assert a == b and a.model_fields_set == b.model_fields_set == set(given)
    assert a.model_dump() == b.model_dump() and a.model_dump_json() == b.model_dump_json()
    a.section = "一、"  # assignment still marks the field as set, as on a validated model
    assert "section" in a.model_fields_set
    c = build(dict(a.__dict__))
    assert "section" not in c.model_fields_set  # each fact has its own fields set
    with pytest.raises(AssertionError):
        trusted(Amount, ("text", "start", "end"))  # a required field would be left out


# --------------------------------------------------------------------------- shared text helpers

_ALPHABET = "单位：:元）)分别依次之百得 ，。\n不低于20年的"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=40), st.sampled_from(["单位：", "元）", "分别", "依次", "百分之", "得分", "，，"]),
       st.integers(min_value=-3, max_value=2))
def test_contains_is_substring_test(text, needle, at):
    from extractors.spans import contains

    at = max(-len(needle), min(at, len(needle) - 1))
    assert contains(text, needle, at) == (needle in text)


def _clause_bounds_by_hand(text, start, end, limit):
    """Walk character by character: back to just after the previous clause punctuation,
    on to the next one, at most `limit` characters each way."""
    from extractors.context import CLAUSE_END

    s = start
    while s > 0 and text[s - 1] not in CLAUSE_END and start - s < limit:
        s -= 1
    e = end
    while e < len(text) and text[e] not in CLAUSE_END and e - end < limit:
        e += 1
    return s, e


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab，。；\n|：1", max_size=60), st.data(), st.integers(min_value=1, max_value=12))
def test_clause_bounds(text, data, limit):
    from extractors.context import clause_bounds

    start = data.draw(st.integers(min_value=0, max_value=len(text)))
    end = data.draw(st.integers(min_value=start, max_value=len(text)))
    assert clause_bounds(text, start, end, limit) == _clause_bounds_by_hand(text, start, end, limit)


@pytest.mark.parametrize("text,start,kind", [
    ("选择不低于本部门单位2022年度项目预算安排总额20%的项目", 24, "at_least"),  # the year between is fine
    ("支出不得超过预算的10%", 9, "at_most"),
    ("不低于5个，其中评价金额20万元", 12, None),  # another clause
    ("不低于5个部门20万元", 7, None),  # another figure stands between
    ("项目支出共计20万元", 6, None),
])
def test_far_qualifier(text, start, kind):
    from extractors.context import far_qualifier

    assert text[start].isdigit() and not text[start - 1].isdigit()  # the number's first digit
    assert far_qualifier(text, start) == kind


# --------------------------------------------------------------------------- number runs

def _all_runs(text):
    """Every number-like run, unfiltered, by hand: a start character, then body characters
    and separators followed by a body character; the character after skips up to two of
    余/多/space."""
    from extractors.numbers import CN_DIGITS, CN_UNITS

    digits = "0123456789０１２３４５６７８９"
    start_chars = digits + CN_DIGITS + "十拾"
    body = digits + CN_DIGITS + CN_UNITS + "点"
    out, i, n = [], 0, len(text)
    while i < n:
        if text[i] not in start_chars:
            i += 1
            continue
        j = i + 1
        while j < n and (text[j] in body or (text[j] in ",，.．" and j + 1 < n and text[j + 1] in body)):
            j += 1
        k = j
        while k < n and k - j < 2 and text[k] in "余多餘 \u00a0\u3000":
            k += 1
        out.append((i, j, text[k:k + 1]))
        i = j
    return out


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="12３，.一十百万亿元个人项次%成余多 步年，。", max_size=40))
def test_number_runs_keep_every_run_a_reader_wants(text):
    """number_runs drops runs inside the scan; it must keep every run amounts, counts and
    rates read (their own next/last-character tests), and invent none."""
    from extractors import amounts, counts
    from extractors.numbers import number_runs

    runs = number_runs.__wrapped__(text)
    every = _all_runs(text)
    assert set(runs) <= set(every)
    wanted = [(s, e, nxt) for s, e, nxt in every
              if nxt in amounts._AMOUNT_NEXT or text[e - 1] in amounts._AMOUNT_NEXT
              or nxt in counts._CLF_FIRST or text[e - 1] in "万萬千"
              or nxt and nxt in "%％成"]  # (rates also lets a run at the very end through: it can match nothing)
    assert set(wanted) <= set(runs)
