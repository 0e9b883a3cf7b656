"""A synthetic corpus for scale tests and benchmarks, made from the seed reports.

    generate(1000, "out/", formats=("txt", "docx", "pdf", "html"), contradiction_rate=0.1, seed=0)

Each report is one seed (corpus/*.txt) with
- its jurisdiction replaced by a real one of the same kind (county, district, development
  zone, autonomous prefecture), with that place's prefecture and province;
- its fiscal year moved (the report's years shift together; cited documents keep their
  years in 文号 brackets and 《titles》; the place's own 文号 get its issuer code);
- every Arabic money figure scaled by one factor m/100 (exact, so every sum, difference and
  rate among them stays as right — or as wrong — as in the seed);
- paragraphs in the genre's phrasing with consistent figures (target review:
  declared − approved = cut, cut ÷ declared = rate; key evaluation: grade counts add up to
  the projects, the average score fits the grades) for the stages the seed does not
  report itself, so that reports carry comparable metrics;
- for a known fraction, one injected contradiction in those paragraphs, listed in
  `manifest.json` with the rule that should fire.

Formats other than txt come from tests/fixtures.py (`make_docx`, `make_pdf`, `make_html`)
when it is importable; otherwise those documents are written as txt (and the manifest
says so).
"""
from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Callable, Optional, Sequence

# --------------------------------------------------------------------------- real places
# (province, prefecture, name) — real administrative divisions
COUNTIES = [
    ("云南省", "曲靖市", n) for n in ("师宗县", "陆良县", "罗平县", "富源县", "会泽县")
] + [("云南省", "昆明市", n) for n in ("宜良县", "嵩明县", "富民县")] + [
    ("云南省", "玉溪市", n) for n in ("通海县", "华宁县", "易门县")
] + [("四川省", "成都市", n) for n in ("大邑县", "蒲江县", "金堂县")] + [
    ("四川省", "绵阳市", n) for n in ("三台县", "盐亭县", "梓潼县")
] + [("贵州省", "遵义市", n) for n in ("桐梓县", "绥阳县", "正安县")] + [
    ("河南省", "洛阳市", n) for n in ("新安县", "宜阳县", "洛宁县", "汝阳县", "伊川县")
] + [("河南省", "开封市", n) for n in ("杞县", "通许县", "尉氏县", "兰考县")] + [
    ("湖北省", "黄冈市", n) for n in ("红安县", "罗田县", "英山县", "浠水县", "蕲春县")
] + [("安徽省", "宿州市", n) for n in ("砀山县", "萧县", "灵璧县", "泗县")] + [
    ("安徽省", "阜阳市", n) for n in ("临泉县", "太和县", "阜南县", "颍上县")
] + [("江西省", "赣州市", n) for n in ("信丰县", "大余县", "上犹县", "崇义县", "安远县")] + [
    ("山东省", "临沂市", n) for n in ("沂南县", "郯城县", "沂水县", "兰陵县", "费县", "平邑县", "莒南县", "蒙阴县")
] + [("河北省", "保定市", n) for n in ("涞水县", "阜平县", "定兴县", "唐县", "高阳县")] + [
    ("陕西省", "渭南市", n) for n in ("大荔县", "合阳县", "澄城县", "蒲城县", "白水县", "富平县")
] + [("甘肃省", "天水市", n) for n in ("清水县", "秦安县", "甘谷县", "武山县")] + [
    ("广西壮族自治区", "南宁市", n) for n in ("隆安县", "马山县", "上林县", "宾阳县")
] + [("新疆维吾尔自治区", "克孜勒苏柯尔克孜自治州", n) for n in ("阿克陶县", "阿合奇县", "乌恰县")]

DISTRICTS = [
    ("河南省", "洛阳市", n) for n in ("西工区", "老城区", "涧西区", "洛龙区")
] + [("河南省", "郑州市", n) for n in ("中原区", "二七区", "金水区", "惠济区")] + [
    ("云南省", "昆明市", n) for n in ("五华区", "盘龙区", "官渡区", "西山区", "呈贡区")
] + [("陕西省", "西安市", n) for n in ("新城区", "碑林区", "莲湖区", "雁塔区", "未央区")] + [
    ("湖北省", "武汉市", n) for n in ("江岸区", "江汉区", "硚口区", "汉阳区", "武昌区", "洪山区")
] + [("四川省", "成都市", n) for n in ("锦江区", "青羊区", "金牛区", "武侯区", "成华区")] + [
    ("广东省", "广州市", n) for n in ("荔湾区", "越秀区", "海珠区", "天河区", "白云区")
] + [("江苏省", "南京市", n) for n in ("玄武区", "秦淮区", "建邺区", "鼓楼区", "栖霞区")] + [
    ("湖南省", "长沙市", n) for n in ("芙蓉区", "天心区", "岳麓区", "开福区", "雨花区")
]

# (province, prefecture, full name, short name)
ZONES = [
    ("云南省", "昆明市", "昆明经济技术开发区", "经开区"),
    ("安徽省", "宿州市", "宿州马鞍山现代产业园区", "宿马园区"),
    ("安徽省", "合肥市", "合肥经济技术开发区", "经开区"),
    ("安徽省", "芜湖市", "芜湖经济技术开发区", "经开区"),
    ("湖南省", "长沙市", "长沙经济技术开发区", "经开区"),
    ("江西省", "南昌市", "南昌经济技术开发区", "经开区"),
    ("陕西省", "西安市", "西安经济技术开发区", "经开区"),
    ("四川省", "成都市", "成都经济技术开发区", "经开区"),
    ("河南省", "郑州市", "郑州经济技术开发区", "经开区"),
    ("云南省", "曲靖市", "曲靖经济技术开发区", "经开区"),
    ("浙江省", "嘉兴市", "嘉兴经济技术开发区", "经开区"),
    ("江苏省", "苏州市", "苏州工业园区", "园区"),
    ("安徽省", "合肥市", "合肥高新技术产业开发区", "高新区"),
    ("江西省", "南昌市", "南昌高新技术产业开发区", "高新区"),
    ("河南省", "郑州市", "郑州高新技术产业开发区", "高新区"),
    ("河南省", "洛阳市", "洛阳高新技术产业开发区", "高新区"),
]

# (province, full name, short name)
AUTONOMOUS_PREFECTURES = [
    ("新疆维吾尔自治区", "克孜勒苏柯尔克孜自治州", "克州"),
    ("云南省", "楚雄彝族自治州", "楚雄州"),
    ("云南省", "大理白族自治州", "大理州"),
    ("云南省", "红河哈尼族彝族自治州", "红河州"),
    ("云南省", "文山壮族苗族自治州", "文山州"),
    ("四川省", "凉山彝族自治州", "凉山州"),
    ("四川省", "甘孜藏族自治州", "甘孜州"),
    ("贵州省", "黔东南苗族侗族自治州", "黔东南州"),
    ("贵州省", "黔南布依族苗族自治州", "黔南州"),
    ("湖北省", "恩施土家族苗族自治州", "恩施州"),
    ("湖南省", "湘西土家族苗族自治州", "湘西州"),
    ("吉林省", "延边朝鲜族自治州", "延边州"),
    ("新疆维吾尔自治区", "昌吉回族自治州", "昌吉州"),
    ("新疆维吾尔自治区", "巴音郭楞蒙古自治州", "巴州"),
    ("甘肃省", "临夏回族自治州", "临夏州"),
    ("青海省", "海西蒙古族藏族自治州", "海西州"),
]


@dataclass
class Place:
    kind: str
    province: str
    prefecture: Optional[str]
    full: str
    short: str


def _places(kind: str) -> list[Place]:
    if kind == "county":
        return [Place(kind, p, c, n, n[:-1] if len(n) > 2 and n.endswith("县") else n) for p, c, n in COUNTIES]
    if kind == "district":
        return [Place(kind, p, c, n, n) for p, c, n in DISTRICTS]
    if kind == "zone":
        return [Place(kind, p, c, f, s) for p, c, f, s in ZONES]
    return [Place(kind, p, None, f, s) for p, f, s in AUTONOMOUS_PREFECTURES]


# How each seed names itself: written-form -> role (full / short / prefecture / province).
# A seed not listed here keeps its names (only years and figures vary).
SEED_NAMES = [
    ("zone", {"昆明经济技术开发区": "full", "经开区": "short", "昆明市": "prefecture", "云南省": "province"}),
    ("prefecture", {"克孜勒苏柯尔克孜自治州": "full", "克州": "short", "新疆维吾尔自治区": "province"}),
    ("zone", {"宿州马鞍山现代产业园区": "full", "宿马园区": "short", "宿州市": "prefecture", "安徽省": "province"}),
    ("county", {"师宗县": "full", "师宗": "short", "曲靖市": "prefecture", "云南省": "province"}),
    ("district", {"西工区": "full", "洛阳市": "prefecture", "河南省": "province"}),
]


# Local issuers' codes in 文号 (昆经开财〔2018〕86号) belong to the place as well: they are
# rewritten with the new place's abbreviation, or one 文号 would name different documents.
SEED_ISSUERS = {
    "昆明经济技术开发区": {"昆经开": "", "昆自贸": "自贸"},
    "师宗县": {"师": ""},
    "西工区": {"西": ""},
}


def abbreviation(place: Place) -> str:
    """A unique issuer abbreviation for a place: 师宗县 -> 师, 合肥经济技术开发区 -> 合经开."""
    if place.kind == "zone":
        tail = "经开" if "经济技术" in place.full else "高新" if "高新" in place.full else place.short.rstrip("区")
        return tail if tail.startswith(place.full[0]) else place.full[0] + tail
    if place.kind == "prefecture":
        return place.short.rstrip("州")
    peers = [p.short for p in _places("county") + _places("district")]
    first = place.short[0]
    return first if sum(1 for p in peers if p[0] == first) == 1 else place.short[:2]


_LOCAL_DOCNO = re.compile(r"([\u4e00-\u9fff]{1,8})(\s*[〔\[［【(（]\s*)((?:19|20)\d\d)(?=\s*[〕\]］】)）])")


def _seed_names(text: str) -> tuple[Optional[str], dict[str, str]]:
    head = text[:400]
    for kind, names in SEED_NAMES:
        full = next(k for k, v in names.items() if v == "full")
        short = next((k for k, v in names.items() if v == "short"), full)
        if full in head or short in head:
            return kind, names
    return None, {}


# --------------------------------------------------------------------------- figures

_AMOUNT = re.compile(r"(?<![\d.,，])(\d{1,3}(?:[,，]\d{3})+|\d+)(?:\.(\d+))?(?=[余多]?\s?(?:万元|亿元|千元|元|万|亿))")
_YEAR = re.compile(r"(?<!\d)(20[0-3]\d)(?!\d)")
_BRACKET_YEAR = re.compile(r"[〔\[［【(（]\s*$")


def _fmt_number(v: Decimal, decimals: int, sep: str) -> str:
    q = v.quantize(Decimal(1).scaleb(-decimals)) if decimals else v.quantize(Decimal(1))
    s = format(q, "f")
    whole, _, frac = s.partition(".")
    if sep:
        whole = f"{int(whole):,}".replace(",", sep)
    return whole + ("." + frac if frac else "")


def scale_amounts(text: str, factor: Decimal) -> str:
    """Every Arabic money figure × factor, exactly (decimals grow as needed), approximate
    ones (`6200余万元`) included.

    Known limit: a relation that holds in the seed only through rounding (seed 000:
    1,356.89 + 137,784.25 = 139,141.14, stated as 139,141) does not survive scaling, since
    the rounding slack scales with the figures; such generated reports carry a real
    `arithmetic.sum` contradiction that the manifest does not list as injected."""

    def repl(m: re.Match) -> str:
        whole, frac = m.group(1), m.group(2) or ""
        sep = "，" if "，" in whole else ("," if "," in whole else "")
        v = Decimal(whole.replace(",", "").replace("，", "") + ("." + frac if frac else "")) * factor
        v = v.normalize()
        decimals = max(0, -v.as_tuple().exponent)
        return _fmt_number(v, decimals, sep)

    return _AMOUNT.sub(repl, text)


def _title_spans(text: str) -> list[tuple[int, int]]:
    """Outermost 《…》 spans."""
    spans, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch == "《":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "》" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    return spans


def shift_years(text: str, delta: int) -> str:
    """Move the report's years by delta. Cited documents keep theirs: years in a 文号's
    brackets (〔2023〕) and in 《titles》 stay, so that every report of one place cites the
    same documents under the same numbers and titles."""
    if not delta:
        return text
    import bisect

    titles = _title_spans(text)
    starts = [a for a, _ in titles]

    def in_title(pos: int) -> bool:
        k = bisect.bisect_right(starts, pos) - 1
        return k >= 0 and titles[k][0] <= pos < titles[k][1]

    def repl(m: re.Match) -> str:
        if _BRACKET_YEAR.search(text[max(0, m.start() - 2):m.start()]) or in_title(m.start()):
            return m.group(0)
        return str(int(m.group(1)) + delta)

    return _YEAR.sub(repl, text)


def fiscal_year_of(text: str) -> Optional[int]:
    m = _YEAR.search(text[:300])
    return int(m.group(1)) if m else None


# --------------------------------------------------------------------------- genre paragraphs

def _wan(v: Decimal, rng: random.Random) -> str:
    """A 万元 figure as offices write it (2 decimals, thousands separators or not)."""
    sep = rng.choice(["", ",", ","])
    return _fmt_number(v, 2, sep) + "万元"


def _pct(v: Decimal) -> str:
    return _fmt_number(v * 100, 2, "") + "%"


TARGET_TEMPLATES = [
    "（绩效目标审核）全年共审核{n}个项目的绩效目标，申报预算金额{declared}，审核后安排{approved}，核减{cut}，核减率{rate}。",
    "在绩效目标审核环节，对{n}个项目支出绩效目标进行审核，项目申报金额{declared}，审定金额{approved}，审减资金{cut}，审减率{rate}。",
    "财政部门组织对{n}个项目的绩效目标开展审核，涉及申报资金{declared}，经审核确定预算{approved}，共核减{cut}，核减比例为{rate}。",
]
KEY_EVAL_TEMPLATES = [
    "（财政重点评价）选取{k}个项目开展财政重点绩效评价，涉及资金{amount}。评价结果为“优”的{a}个、“良”的{b}个、“中”的{c}个、“差”的{d}个，平均得分{score}分。",
    "本年度对{k}个重点项目实施财政重点评价，涉及金额{amount}，其中评价等级为优秀的{a}个，良好的{b}个，中等的{c}个，较差的{d}个，项目平均得分为{score}分。",
    "全年开展重点绩效评价项目{k}个，评价资金总额{amount}；评价结果：优{a}个、良{b}个、中{c}个、差{d}个，平均分{score}分。",
]


def _genre_paragraphs(rng: random.Random, factor: Decimal) -> tuple[dict, dict]:
    """Consistent figures for target review and key evaluation, and their fields."""
    n = rng.randint(40, 900)
    declared = (Decimal(rng.randint(200_000, 9_000_000)) / 100 * factor).quantize(Decimal("0.01"))  # 万元
    cut = (declared * Decimal(rng.randint(5, 300)) / 1000).quantize(Decimal("0.01"))
    approved = declared - cut
    rate = (cut / declared).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    k = rng.randint(3, 30)
    a = rng.randint(0, k)
    b = rng.randint(0, k - a)
    c = rng.randint(0, k - a - b)
    d = k - a - b - c
    amount = (Decimal(rng.randint(50_000, 2_000_000)) / 100 * factor).quantize(Decimal("0.01"))
    # an average score that fits the grade mix (优 ≥ 90, 良 80–90, 中 60–80, 差 < 60)
    typical = a * rng.randint(9000, 9800) + b * rng.randint(8000, 8990) + c * rng.randint(6000, 7990) + d * rng.randint(4000, 5990)
    score = (Decimal(typical) / k / 100).quantize(Decimal("0.01"))
    return (
        {"n": n, "declared": declared, "approved": approved, "cut": cut, "rate": rate},
        {"k": k, "a": a, "b": b, "c": c, "d": d, "amount": amount, "score": score},
    )


# a seed that already reports a stage keeps its own figures for it (a second, different set
# would be a contradiction of our making)
_HAS_TARGET_REVIEW = re.compile(r"(?:审减|核减)[^。；]{0,12}\d[\d,，.]*\s*(?:万元|亿元|元|万|亿)")
_HAS_KEY_EVAL = re.compile(r"重点(?:绩效)?评价[^。]{0,60}?\d[\d,，.]*\s*(?:万元|亿元|亿)|\d+\s*个[^。]{0,40}重点(?:绩效)?评价")


def stages_to_add(seed_text: str) -> tuple[bool, bool]:
    """(add a target-review paragraph, add a key-evaluation paragraph)."""
    return not _HAS_TARGET_REVIEW.search(seed_text), not _HAS_KEY_EVAL.search(seed_text)


def applicable_injections(seed_text: str) -> list[str]:
    target, key = stages_to_add(seed_text)
    return ([r for r in INJECTIONS if r.startswith("arithmetic.d") or r == "arithmetic.rate"] if target else []) + (
        ["arithmetic.sum", "repeated_total"] if key else [])


def _render(rng, t: dict, e: dict, inject: Optional[str], target: bool = True, key: bool = True) -> tuple[str, list[dict]]:
    """The genre paragraphs; with `inject`, one figure made wrong. Returns (text, injections)."""
    tw = {"n": str(t["n"]), "declared": _wan(t["declared"], rng), "approved": _wan(t["approved"], rng),
          "cut": _wan(t["cut"], rng), "rate": _pct(t["rate"])}
    ew = {"k": str(e["k"]), "a": str(e["a"]), "b": str(e["b"]), "c": str(e["c"]), "d": str(e["d"]),
          "amount": _wan(e["amount"], rng), "score": _fmt_number(e["score"], 2, "")}
    injected = []
    extra = ""
    if inject == "arithmetic.difference":
        wrong = t["approved"] + Decimal(rng.choice([10, 100, 1000])) * (rng.choice([1, -1]) if t["approved"] > 2000 else 1)
        injected.append({"rule": inject, "field": "targets.amount_approved", "original": tw["approved"],
                         "changed": _wan(wrong, rng)})
        tw["approved"] = injected[-1]["changed"]
    elif inject == "arithmetic.rate":
        wrong = t["rate"] + Decimal(rng.choice([3, 5, 8, 12])) / 100 * rng.choice([1, -1])
        if wrong <= 0:
            wrong = t["rate"] + Decimal("0.05")
        injected.append({"rule": inject, "field": "targets.cut_rate", "original": tw["rate"], "changed": _pct(wrong)})
        tw["rate"] = injected[-1]["changed"]
    elif inject == "arithmetic.sum":
        g = rng.choice("abcd")
        wrong = e[g] + rng.randint(1, 3)
        injected.append({"rule": inject, "field": f"key_eval.grade.{'优良中差'['abcd'.index(g)]}",
                         "original": ew[g] + "个", "changed": f"{wrong}个"})
        ew[g] = str(wrong)
    elif inject == "repeated_total":
        wrong = e["amount"] + Decimal(rng.choice([1000, 2000, 4000]))
        changed = _wan(wrong, rng)
        extra = f"上述{e['k']}个重点评价项目涉及资金共计{changed}，评价结果已反馈预算部门。"
        injected.append({"rule": inject, "field": "key_eval.amount", "original": ew["amount"], "changed": changed})
    t_text = rng.choice(TARGET_TEMPLATES).format(**tw) + "\n"
    k_text = rng.choice(KEY_EVAL_TEMPLATES).format(**ew) + "\n"
    text = (t_text if target else "") + (k_text if key else "")
    if extra:
        text += extra + "\n"
    return text, injected


INJECTIONS = ("arithmetic.difference", "arithmetic.rate", "arithmetic.sum", "repeated_total")


# --------------------------------------------------------------------------- one report


def variant(seed_text: str, rng: random.Random, inject: Optional[str] = None,
            place: Optional[Place] = None, year: Optional[int] = None) -> tuple[str, dict]:
    """One new report from one seed text. Returns (text, manifest entry without file)."""
    kind, names = _seed_names(seed_text)
    text = seed_text.lstrip("\ufeff")
    entry: dict = {"jurisdiction": None, "province": None, "prefecture": None}
    base_year = fiscal_year_of(text)
    new_year = year if year is not None else rng.randint(2015, 2025)
    delta = new_year - base_year if base_year else 0
    if kind:
        place = place or rng.choice(_places(kind))
        role_to = {"full": place.full, "short": place.short, "prefecture": place.prefecture, "province": place.province}
        mapping = {w: role_to[r] for w, r in names.items() if role_to.get(r)}
        old_full = next(k for k, v in names.items() if v == "full")
        issuers = SEED_ISSUERS.get(old_full, {})
        abbr = abbreviation(place)

        def reissue(m: re.Match) -> str:
            code = m.group(1)
            for prefix, suffix in sorted(issuers.items(), key=lambda kv: -len(kv[0])):
                at = code.find(prefix)
                if at >= 0 and at + len(prefix) <= len(code):
                    return code[:at] + abbr + suffix + code[at + len(prefix):]
            return code

        def local(m: re.Match) -> str:  # the place's own 文号 get its issuer code
            if not any(p in m.group(1) for p in issuers):
                return m.group(0)
            return reissue(m) + m.group(2) + m.group(3)

        if issuers:  # before the names: the codes are found in the seed's own writing
            text = _LOCAL_DOCNO.sub(local, text)
        pat = re.compile("|".join(re.escape(w) for w in sorted(mapping, key=len, reverse=True)))
        text = pat.sub(lambda m: mapping[m.group(0)], text)
        entry.update(jurisdiction=place.full, province=place.province, prefecture=place.prefecture, issuer_abbr=abbr)
    if base_year:
        text = shift_years(text, delta)
    entry["fiscal_year"] = new_year if base_year else None
    factor = Decimal(rng.randint(50, 200)) / 100
    text = scale_amounts(text, factor)
    entry["factor"] = format(factor, "f")
    t, e = _genre_paragraphs(rng, factor)
    add_target, add_key = stages_to_add(seed_text)
    if inject is not None and inject not in applicable_injections(seed_text):
        raise ValueError(f"{inject} cannot be injected into this seed (it reports that stage itself)")
    para, injected = _render(rng, t, e, inject, add_target, add_key)
    # after the first paragraph that follows the title (a natural place for an overview)
    lines = text.split("\n")
    at = next((i + 1 for i, ln in enumerate(lines[1:], start=1)
               if len(ln.strip()) > 30 and ln.rstrip().endswith(("。", "：", ":"))), len(lines))
    if para:
        text = "\n".join(lines[:at] + [para.rstrip("\n")] + lines[at:])
    for inj in injected:
        pos = text.find(inj["changed"])
        inj["start"], inj["end"] = pos, pos + len(inj["changed"])
    # the figures of the added paragraphs, as written before any injection (in 元)
    entry["metrics"] = {}
    if add_target:
        entry["metrics"].update({
            "targets.projects": t["n"], "targets.amount_declared": format(t["declared"] * 10000, "f"),
            "targets.amount_approved": format(t["approved"] * 10000, "f"),
            "targets.cut_amount": format(t["cut"] * 10000, "f"), "targets.cut_rate": format(t["rate"], "f")})
    if add_key:
        entry["metrics"].update({
            "key_eval.projects": e["k"], "key_eval.amount": format(e["amount"] * 10000, "f"),
            "key_eval.avg_score": format(e["score"], "f"), "key_eval.grade.优": e["a"], "key_eval.grade.良": e["b"],
            "key_eval.grade.中": e["c"], "key_eval.grade.差": e["d"]})
    entry["injected"] = injected
    return text, entry


def _writers() -> dict[str, Callable]:
    out: dict[str, Callable] = {"txt": lambda text, path: Path(path).write_text(text, encoding="utf-8")}
    try:
        from tests import fixtures  # the reader engineer's document makers
    except Exception:
        return out
    for fmt in ("docx", "pdf", "html", "doc"):
        fn = getattr(fixtures, f"make_{fmt}", None)
        if fn is not None:
            out[fmt] = fn
    return out


def _soffice() -> Optional[str]:
    try:
        from tests import fixtures

        return fixtures.soffice_path()
    except Exception:
        return None


def _convert_batch(jobs: list[tuple[Path, Path, str]], stage: Path) -> list[Path]:
    """.docx -> .pdf/.doc with ONE LibreOffice process per 100 files (a process per file
    costs ~1.5 s). jobs: (staged docx, final path, format). Returns the finals not made."""
    import shutil
    import subprocess
    import tempfile

    exe = _soffice()
    failed = []
    targets = {"pdf": "pdf:writer_pdf_Export", "doc": "doc:MS Word 97"}
    with tempfile.TemporaryDirectory() as profile:
        for fmt in sorted({j[2] for j in jobs}):
            group = [j for j in jobs if j[2] == fmt]
            for k in range(0, len(group), 100):
                chunk = group[k:k + 100]
                outdir = stage / f"out-{fmt}"
                outdir.mkdir(exist_ok=True)
                if exe:
                    cmd = [exe, f"-env:UserInstallation={Path(profile).resolve().as_uri()}", "--headless", "--norestore",
                           "--convert-to", targets[fmt], "--outdir", str(outdir)] + [str(j[0]) for j in chunk]
                    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60 + 10 * len(chunk),
                                   check=False)
                for src, final, _ in chunk:
                    made = outdir / (src.stem + "." + fmt)
                    if made.exists():
                        shutil.move(str(made), str(final))
                    else:
                        failed.append(final)
    return failed


def generate(n: int, out_dir: str | Path, formats: Sequence[str] = ("txt", "docx", "pdf", "html"),
             contradiction_rate: float = 0.1, seed: int = 0, seeds_dir: str | Path | None = None,
             resubmission_rate: float = 0.0) -> list[dict]:
    """Write n distinct reports (cycling formats) and manifest.json; returns the manifest entries.
    A format that cannot be made here (no tests/fixtures.py, no LibreOffice) is written as txt,
    and the manifest's `format` says what was written.
    resubmission_rate: that fraction of reports are a second submission of an earlier report's
    place and year with other figures (manifest `resubmission_of`), for the store's
    cross-document check; otherwise every (place, year) is used once while the gazetteer lasts."""
    import shutil

    rng = random.Random(seed)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    seeds_dir = Path(seeds_dir) if seeds_dir else Path(__file__).resolve().parent.parent / "corpus"
    seed_files = sorted(seeds_dir.glob("*.txt"))
    if not seed_files:
        raise FileNotFoundError(f"no seed reports (*.txt) in {seeds_dir}")
    seeds = [(p.name, p.read_text(encoding="utf-8-sig")) for p in seed_files]
    writers = _writers()
    batch_convert = "docx" in writers and _soffice() is not None
    stage = out / ".stage"
    options = [applicable_injections(text) for _, text in seeds]
    eligible = [i for i in range(n) if options[i % len(seeds)]]
    n_bad = min(round(n * contradiction_rate), len(eligible))
    bad = set(rng.sample(eligible, n_bad)) if n_bad else set()
    manifest = []
    texts: dict[str, str] = {}
    jobs: list[tuple[Path, Path, str]] = []
    # each (place, year) once while the gazetteer lasts: two reports of one place and year
    # are a cross-document finding, so they should be rare and deliberate, not an accident
    pools: dict[str, list] = {}

    def draw(kind: Optional[str]):
        if kind is None:
            return None, None
        if not pools.get(kind):
            pools[kind] = [(p, y) for p in _places(kind) for y in range(2015, 2026)]
            rng.shuffle(pools[kind])
        return pools[kind].pop()

    later = [i for i in range(len(seeds), n) if _seed_names(seeds[i % len(seeds)][1])[0] is not None]
    n_resub = min(round(n * resubmission_rate), len(later))
    resub = set(rng.sample(later, n_resub)) if n_resub else set()
    drawn: list = []
    for i in range(n):
        seed_name, seed_text = seeds[i % len(seeds)]
        inject = rng.choice(options[i % len(seeds)]) if i in bad else None
        if i in resub:  # the same seed an earlier round: same kind of place
            place, year = drawn[i - len(seeds)]
        else:
            place, year = draw(_seed_names(seed_text)[0])
        drawn.append((place, year))
        text, entry = variant(seed_text, rng, inject, place=place, year=year)
        if i in resub:
            entry["resubmission_of"] = manifest[i - len(seeds)]["file"]
        fmt = formats[i % len(formats)]
        if fmt in ("pdf", "doc") and batch_convert:
            written_fmt = fmt
        else:
            written_fmt = fmt if fmt in writers else "txt"
        stem = f"{i:05d}_{entry.get('jurisdiction') or 'report'}_{entry.get('fiscal_year') or ''}"
        path = out / f"{stem}.{written_fmt}"
        if fmt in ("pdf", "doc") and batch_convert:
            stage.mkdir(exist_ok=True)
            jobs.append((writers["docx"](text, stage / f"{stem}.docx"), path, fmt))
        else:
            writers[written_fmt](text, path)
        texts[path.name] = text
        manifest.append({"file": path.name, "format": written_fmt, "requested_format": fmt, "seed": seed_name, **entry})
    if jobs:
        failed = {p.name for p in _convert_batch(jobs, stage)}
        for e in manifest:
            if e["file"] in failed:  # LibreOffice could not: keep the report, as txt
                txt = Path(e["file"]).with_suffix(".txt").name
                writers["txt"](texts[e["file"]], out / txt)
                e["file"], e["format"] = txt, "txt"
    shutil.rmtree(stage, ignore_errors=True)
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return manifest


def main(argv: Optional[list[str]] = None) -> None:  # python -m pipeline.generate N OUT [--formats txt,docx]
    import argparse

    ap = argparse.ArgumentParser(description="Generate a synthetic corpus from the seed reports.")
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--formats", default="txt,docx,pdf,html")
    ap.add_argument("--contradictions", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--resubmissions", type=float, default=0.0, help="fraction: second submissions of a place and year")
    a = ap.parse_args(argv)
    m = generate(a.n, a.out, tuple(a.formats.split(",")), a.contradictions, a.seed, resubmission_rate=a.resubmissions)
    print(f"{len(m)} reports in {a.out} ({sum(1 for e in m if e['injected'])} with an injected contradiction)")


if __name__ == "__main__":
    main()
