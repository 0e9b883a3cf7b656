"""rates: percentages as fractions. `24%` `2.03％` `百分之二十` `八成` `不高于10%`.

`N个百分点` is a difference of rates, not a rate, and is left out."""
from __future__ import annotations

from decimal import Decimal

import re

from extractors.context import far_qualifier, is_bound, preceded_ok
from extractors.numbers import (
    AR,
    CN,
    CN_DIGITS,
    RUN_NEXT,
    number_runs,
    prefix_before,
    SUFFIX_RE,
    combine_qualifiers,
    decimals_of,
    interval,
    is_chinese,
    parse_number,
)
from extractors.spans import EMPTY, Mask
from schemas.models import trusted
from schemas import Rate

assert set("%％成") <= RUN_NEXT  # number_runs keeps the runs read here

_RATE = re.compile(
    rf"(?:(?P<num>{AR})[ ]?(?P<pct>[%％])"
    rf"|(?P<pct_cn>百分之)(?P<num_cn>{CN}|{AR}|百(?![分万亿]))"
    rf"|(?P<num_ch>[{CN_DIGITS}十]|[0-9０-９](?:[.．][0-9０-９])?)(?P<cheng>成(?:半(?![年月天日]))?)(?![立员果本效为绩交就熟型功不])"
    rf")"
    rf"(?P<suf>{SUFFIX_RE})?"
)


# Rate(...) without validation (see schemas.models.trusted)
_rate = trusted(Rate, ("text", "start", "end", "value", "qualifier", "bound", "low", "high", "decimals"))


def extract(text: str, mask: Mask = EMPTY) -> list[Rate]:
    out: list[Rate] = []
    starts = [rs for rs, _, nxt in number_runs(text) if nxt in "%％成"]
    # every 百分之, found from its rare last character (a one-character find is the fastest scan)
    p = text.find("之", 2)
    while p >= 0:
        if text.startswith("百分之", p - 2):
            starts.append(p - 2)
        p = text.find("之", p + 1)
    for m in (_RATE.match(text, s) for s in sorted(starts)):
        if m is None:
            continue
        if m.group("num") is not None:
            num, span, per = m.group("num"), m.span("num"), Decimal(100)
        elif m.group("num_cn") is not None:
            num, span, per = m.group("num_cn"), m.span("pct_cn"), Decimal(100)
        else:
            num, span, per = m.group("num_ch"), m.span("num_ch"), Decimal(10)
            # 一成不变 is an idiom (成 followed by 不 is excluded above); 一成 alone needs a qualifier
            # before it (不足一成) or after it (一成左右), or a half (一成半)
            if num == "一" and prefix_before(text, m.start()) is None and not m.group("suf") and m.group("cheng") == "成":
                continue
        if mask.hit(*span):
            continue
        if m.group("num_cn") is None and not preceded_ok(text, span[0], is_chinese(num)):
            continue
        value = Decimal(100) if num == "百" else parse_number(num)
        if value is None:
            continue
        if m.group("cheng") == "成半":  # 一成半: one and a half tenths
            value += Decimal("0.5")
        frac = (value / per).normalize()
        if frac.as_tuple().exponent > 0:
            frac = frac.quantize(Decimal(1))
        pre, suf = prefix_before(text, m.start()), m.group("suf")
        mstart = m.start() - (len(pre) if pre else 0)
        qualifier = combine_qualifiers(pre, None, suf) or far_qualifier(text, span[0])
        low, high = interval(frac, qualifier, num)
        end = m.end()
        out.append(_rate({
            "text": text[mstart:end],
            "start": mstart,
            "end": end,
            "section": None,
            "value": frac,
            "qualifier": qualifier,
            "bound": is_bound(text, mstart, end, qualifier, suf, pre),
            "low": low,
            "high": high,
            "decimals": decimals_of(num),
        }))
    return out
