"""The review site (pipeline.report): pages, highlights, evidence links, charts, escaping.

The fixture records below are written by hand over the real seed texts: each fact is a
snippet of the seed located by `str.find`, with its value worked out by hand (they do
not depend on what the extractors find today). test_report_browser.py reuses them.
"""
from __future__ import annotations

import html
import re
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest

from pipeline.report import build_site
from pipeline.report.charts import bar_chart, nice_ticks
from pipeline.report.markup import Mark, render
from pipeline.report.pages import grouped, percent, wan
from schemas import Amount, Count, DocNumber, ExtractRecord, Finding, Metric, Rate, Section, Span

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
SEEDS = {
    "kunming": "000_cc7d55e875232053.txt",
    "kezhou": "001_0e8b867bbbcd8a15.txt",
    "suzhou": "002_650133379cb9504e.txt",
    "shizong": "003_c04b857fcd71b1be.txt",
    "xigong": "004_211d0f6375efb7e4.txt",
}
EVIL = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<img src=x onerror=\"window.__pwned=1\">",
    "'><svg/onload=alert(1)>",
    "</article><script>window.__pwned=2</script>",
]
SHIZONG = {"facts": 7}  # 2 amounts + 4 文号 + 1 count, below


def seed(name: str) -> str:
    return (CORPUS / SEEDS[name]).read_text(encoding="utf-8-sig")


def at(text: str, snippet: str, nth: int = 0) -> dict:
    """text/start/end of the nth occurrence of snippet in text."""
    i = -1
    for _ in range(nth + 1):
        i = text.find(snippet, i + 1)
        assert i >= 0, f"{snippet!r} (occurrence {nth}) not in the seed"
    return {"text": snippet, "start": i, "end": i + len(snippet)}


def span(f) -> Span:
    return Span(start=f.start, end=f.end, text=f.text)


def heading(text: str, line: str, path: str, level: int) -> Section:
    label, _, title = re.match(r"((?:[一二三四五六七八九十]+、)|（[一二三四五六七八九十]+）)(.*)", line).group(1, 0, 2)
    start = text.index(line)
    return Section(path=path, label=label, level=level, title=title, start=start, end=start + len(line))


def shizong() -> tuple[str, ExtractRecord]:
    t = seed("shizong")
    a1 = Amount(**at(t, "62,531万元"), value_yuan=Decimal("625310000"), unit="万元")
    a2 = Amount(**at(t, "66,531万元"), value_yuan=Decimal("665310000"), unit="万元")
    n1 = DocNumber(**at(t, "师财绩[2022]13号", 0), canonical="师财绩〔2022〕13号", issuer="师财绩", year=2022, serials=[13],
                   title="关于做好2023年度预算绩效目标编审工作的通知")
    n2 = DocNumber(**at(t, "师财绩[2022]13号", 1), canonical="师财绩〔2022〕13号", issuer="师财绩", year=2022, serials=[13],
                   title="师宗县县级部门委托第三方机构参与预算绩效管理工作办法（试行）")
    n3 = DocNumber(**at(t, "师财绩[2023]9号"), canonical="师财绩〔2023〕9号", issuer="师财绩", year=2023, serials=[9])
    n4 = DocNumber(**at(t, "师财报[2023]7、8号"), canonical="师财报〔2023〕7、8号", issuer="师财报", year=2023, serials=[7, 8])
    c1 = Count(**at(t, "4个项目"), value=4, classifier="个", subject="项目", section="一/（四）")
    secs = [
        heading(t, "一、预算绩效工作开展情况", "一", 1),
        heading(t, "（一）基础工作", "一/（一）", 2),
        heading(t, "（四）绩效评价管理", "一/（四）", 2),
        heading(t, "二、重大政策和重点项目等绩效执行结果", "二", 1),
    ]
    rec = ExtractRecord(
        source=f"corpus/{SEEDS['shizong']}", doc_id="c04b857fcd71b1be" + "0" * 48, format="txt",
        title="师宗县2023年预算绩效工作开展情况", jurisdiction="师宗县", province="云南省", prefecture="曲靖市",
        fiscal_year=2023, amounts=[a1, a2], doc_numbers=[n1, n2, n3, n4], counts=[c1], sections=secs,
        metrics=[
            Metric(name="key_eval.amount", value=a1.value_yuan, unit="yuan", evidence=[span(a1)]),
            Metric(name="key_eval.projects", value=Decimal(4), unit="count", evidence=[span(c1)]),
            Metric(name="key_eval.grade.优", value=Decimal(1), unit="count", evidence=[span(c1)]),
            Metric(name="key_eval.grade.良", value=Decimal(3), unit="count", evidence=[span(c1)]),
        ],
        findings=[
            Finding(rule="doc_number.conflict", severity="error",
                    message="文号师财绩〔2022〕13号同时对应两个不同文件，请核实。",
                    values=[n1.text, n2.text], spans=[span(n1), span(n2)]),
            Finding(rule="repeated_total", severity="error",
                    message="同一批4个专项资金的金额前文为62,531万元、后文为66,531万元，相差4,000万元，请核实。",
                    values=[a1.text, a2.text], spans=[span(a1), span(a2)],
                    expected="两处金额相同", actual="62,531万元 / 66,531万元"),
        ],
    )
    return t, rec


def kunming() -> tuple[str, ExtractRecord]:
    t = seed("kunming")
    d = Amount(**at(t, "66,787.21万元"), value_yuan=Decimal("667872100"), unit="万元", decimals=2)
    a = Amount(**at(t, "65,430.35万元"), value_yuan=Decimal("654303500"), unit="万元", decimals=2)
    c = Amount(**at(t, "1,356.89万元"), value_yuan=Decimal("13568900"), unit="万元", decimals=2)
    r = Rate(**at(t, "2.03%"), value=Decimal("0.0203"), decimals=2)
    r2 = Rate(**at(t, "24%"), value=Decimal("0.24"))
    n = Count(**at(t, "37家"), value=37, classifier="家", subject="预算部门（单位）")
    rec = ExtractRecord(
        source=f"corpus/{SEEDS['kunming']}", doc_id="cc7d55e875232053" + "0" * 48, format="txt",
        title="2023年昆明经济技术开发区预算绩效管理工作开展情况的说明", jurisdiction="昆明经济技术开发区",
        province="云南省", prefecture="昆明市", fiscal_year=2023, amounts=[d, a, c], rates=[r, r2], counts=[n],
        metrics=[
            Metric(name="targets.amount_declared", value=d.value_yuan, unit="yuan", evidence=[span(d)]),
            Metric(name="targets.cut_amount", value=c.value_yuan, unit="yuan", evidence=[span(c)]),
            Metric(name="targets.cut_rate", value=r.value, unit="fraction", evidence=[span(r)]),
        ],
        findings=[Finding(
            rule="arithmetic.difference", severity="error",
            message="基本支出预算申报66,787.21万元减去建议安排65,430.35万元应为1,356.86万元，而文中审减额为1,356.89万元，请核实。",
            values=[d.text, a.text, c.text], spans=[span(d), span(a), span(c)],
            expected="1,356.86万元", actual="1,356.89万元")],
    )
    return t, rec


def plain_record(name: str, jurisdiction: str, province: str, year: int, rate: str | None, value: str | None) -> tuple[str, ExtractRecord]:
    t = seed(name)
    rates, metrics = [], []
    if rate:
        r = Rate(**at(t, rate), value=Decimal(value))
        rates.append(r)
        metrics.append(Metric(name="targets.cut_rate", value=r.value, unit="fraction", evidence=[span(r)]))
    return t, ExtractRecord(
        source=f"corpus/{SEEDS[name]}", doc_id=SEEDS[name][4:20] + "f" * 48, format="txt",
        jurisdiction=jurisdiction, province=province, fiscal_year=year, rates=rates, metrics=metrics,
    )


def corpus_records() -> list[tuple[str, ExtractRecord]]:
    return [
        kunming(),
        plain_record("kezhou", "克州", "新疆维吾尔自治区", 2023, "20%", "0.2"),
        plain_record("suzhou", "宿州马鞍山现代产业园区", "安徽省", 2022, "59.84%", "0.5984"),
        shizong(),
        plain_record("xigong", "西工区", "河南省", 2023, None, None),
    ]


def evil_record() -> tuple[str, ExtractRecord]:
    """A hostile report: every string a page shows carries markup."""
    t = "关于" + EVIL[0] + "的说明\n一、" + EVIL[1] + "\n审减" + "1,000万元" + "，" + EVIL[2] + "\n" + EVIL[3] + "\n" + EVIL[4] + "\n"
    amt = Amount(**at(t, "1,000万元"), value_yuan=Decimal("10000000"), unit=EVIL[1], section=EVIL[0])
    cnt = Count(**at(t, "<img"), value=1, classifier='"', subject=EVIL[2])
    return t, ExtractRecord(
        source="uploads/" + EVIL[1] + ".txt", doc_id='evil"><script>alert(1)</script>', format="txt",
        title=EVIL[0], jurisdiction=EVIL[1], province=EVIL[3], fiscal_year=2023, amounts=[amt], counts=[cnt],
        sections=[Section(path=EVIL[0], label="一、", level=1, title=EVIL[1], start=t.index("一、"), end=len(t))],
        metrics=[Metric(name=EVIL[0], value=Decimal("0.5"), unit="fraction", evidence=[span(amt)]),
                 Metric(name="targets.cut_rate", value=Decimal("0.5"), unit="fraction", evidence=[span(amt)])],
        findings=[Finding(rule=EVIL[1], severity="warning", message=EVIL[0] + EVIL[2], values=[EVIL[1]],
                          spans=[span(amt), Span(start=0, end=3, text=EVIL[4])], expected=EVIL[3], actual=EVIL[4])],
        warnings=[EVIL[2]],
    )


# --------------------------------------------------------------------------- HTML helpers


class Tree(HTMLParser):
    """Start tags with attributes, the text inside #text, and a nesting check."""

    VOID = {"meta", "link", "input", "br", "img", "hr", "rect", "line"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.stack: list[str] = []
        self.in_text = 0
        self.text: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag in self.VOID:
            return
        if self.in_text or a.get("id") == "text":
            self.in_text += 1
        self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()
        if self.in_text:
            self.in_text -= 1

    def handle_data(self, data):
        if self.in_text:
            self.text.append(data)


def parse(s: str) -> Tree:
    t = Tree()
    t.feed(s)
    t.close()
    return t


def doc_pages(where: Path) -> dict[str, str]:
    """The document pages of a site, given its folder or its index.html."""
    root = where if where.is_dir() else where.parent
    return {p.name: p.read_text(encoding="utf-8") for p in (root / "docs").glob("*.html")}


def page_of(index: Path, needle: str) -> str:
    hits = [s for s in doc_pages(index).values() if needle in s]
    assert len(hits) == 1, needle
    return hits[0]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return build_site([*corpus_records(), evil_record()], tmp_path_factory.mktemp("site")).parent


# --------------------------------------------------------------------------- tests


def test_numbers_are_shown_exactly():
    assert grouped(Decimal("13568900.00")) == "13,568,900"
    assert grouped(Decimal("-1234.50")) == "-1,234.5"
    assert wan(Decimal("13568900")) == "1,356.89 万元"
    assert wan(Decimal("345564000")) == "34,556.40 万元"  # two decimals whenever there are any
    assert wan(Decimal("625310000")) == "62,531 万元"
    assert percent(Decimal("0.0203")) == "2.03%"
    assert percent(Decimal("0.24000")) == "24%"


def test_markup_nests_crossing_marks_and_keeps_the_text():
    text = "审减1,356.89万元，审减率2.03%。<b>"
    marks = [Mark(2, 12, "mark", {"class": "a"}, id="A"), Mark(8, 19, "span", {"class": "b"}, id="B"),
             Mark(16, 21, "span", {"class": "c"}, id="C"), Mark(2, 12, "span", {"class": "ev"}, id="E", order=1),
             Mark(5, 5, "span", id="empty")]
    out = render(text, marks)
    tree = parse(f'<div id="text">{out}</div>')
    assert tree.errors == []
    assert "".join(tree.text) == text
    ids = [a.get("id") for _, a in tree.tags if a.get("id") not in (None, "text")]
    assert sorted(ids) == ["A", "B", "C", "E"]  # every mark keeps its id exactly once; the empty one is dropped
    assert "<b>" not in out and "&lt;b&gt;" in out


def test_every_page_shows_its_document_text_exactly(site):
    texts = {re.sub(r"[^0-9A-Za-z_-]", "", r.doc_id)[:16] + ".html": t for t, r in [*corpus_records(), evil_record()]}
    pages = doc_pages(site)
    assert sorted(pages) == sorted(texts)
    for name, s in pages.items():
        tree = parse(s)
        assert tree.errors == [], name
        assert "".join(tree.text) == texts[name], name


def test_facts_are_highlighted_by_kind_with_parsed_values(site):
    s = page_of(site, "师宗县2023年预算绩效工作开展情况</h1>")
    marks = [(a["class"], a) for tag, a in parse(s).tags if tag == "mark"]
    assert len(marks) == SHIZONG["facts"]
    assert sorted(c.split()[1] for c, _ in marks) == ["k-amount"] * 2 + ["k-count"] + ["k-doc_number"] * 4
    a1 = next(a for c, a in marks if a.get("data-val") == "625,310,000 元")
    assert a1["data-kind"] == "金额"
    assert "key_eval.amount" in a1["data-metric"]
    count = next(a for c, a in marks if "k-count" in c)
    assert count["data-val"] == "4 个"
    assert count["data-sec"] == "一、 预算绩效工作开展情况 › （四） 绩效评价管理"
    assert "key_eval.projects" in count["data-metric"] and "key_eval.grade.优" in count["data-metric"]
    # the legend counts what is highlighted
    assert re.search(r'k-amount">金额</span><span class="n">2<', s)
    assert re.search(r'k-doc_number">文号</span><span class="n">4<', s)


def test_findings_link_to_every_evidence_span(site):
    s = page_of(site, "师宗县2023年预算绩效工作开展情况</h1>")
    tree = parse(s)
    ids = {a["id"]: a for _, a in tree.tags if "id" in a}
    links = [a for tag, a in tree.tags if tag == "a" and "evlink" in a.get("class", "") and a["href"].startswith("#f")]
    assert len(links) == 4  # 2 spans x 2 findings
    for a in links:
        assert a["href"] == "#" + a["data-target"] and a["data-target"] in ids
    # both figures of the repeated total are marked as evidence of the same finding
    m = re.findall(r'<span id="(f\d-e\d)" class="ev sev-error" data-f="(f\d)">(?:<[^>]*>)*([^<]*)</mark>', s)
    rt = sorted((t, f) for _, f, t in m if t.endswith("531万元"))
    assert [t for t, _ in rt] == ["62,531万元", "66,531万元"] and rt[0][1] == rt[1][1]
    # errors before warnings, and the finding's expected/actual are shown
    assert "<dt>应为</dt><dd>两处金额相同</dd>" in s


def test_evidence_with_stale_offsets_is_found_by_its_text_or_shown_as_missing(tmp_path):
    t, rec = kunming()
    f = rec.findings[0]
    f.spans[0] = Span(start=f.spans[0].start + 7, end=f.spans[0].end + 7, text=f.spans[0].text)
    f.spans.append(Span(start=5, end=9, text="不存在的证据"))
    s = page_of(build_site([(t, rec)], tmp_path), "</h1>")
    assert re.search(r'<span id="f0-e0" class="ev sev-error" data-f="f0">(<[^>]*>)*66,787.21万元</mark>', s)
    assert '<span class="evlink missing" title="原文中找不到这段证据">不存在的证据</span>' in s
    assert 'id="f0-e3"' not in s


def test_hostile_text_is_escaped_everywhere(site):
    pages = [*doc_pages(site).values(), (site / "index.html").read_text(encoding="utf-8")]
    evil = page_of(site, "&lt;script&gt;alert(1)&lt;/script&gt;</h1>")
    for s in pages:
        tree = parse(s)
        assert tree.errors == []
        scripts = [a for tag, a in tree.tags if tag == "script"]
        assert len(scripts) == 1 and scripts[0]["src"].endswith("assets/report.js")
        assert not [tag for tag, _ in tree.tags if tag in ("img", "iframe", "object", "embed", "svg") and tag != "svg"]
        assert not [(tag, k) for tag, a in tree.tags for k in a if k.startswith("on")]
        assert not [(tag, a) for tag, a in tree.tags for v in a.values() if v and "javascript:" in v]
    # every hostile string is in the hostile page, as text
    text = html.unescape(re.sub(r"<[^>]+>", "", evil))
    for s in EVIL:
        assert s in text
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; · 绩效报告审阅</title>" in evil
    # the only svg elements are the index's own charts
    svgs = [a for tag, a in parse((site / "index.html").read_text(encoding="utf-8")).tags if tag == "svg"]
    assert all(a.get("class") == "chart" for a in svgs)
    assert all(tag != "svg" for s in doc_pages(site).values() for tag, _ in parse(s).tags)


def test_pages_carry_a_strict_content_security_policy(site):
    for s in [*doc_pages(site).values(), (site / "index.html").read_text(encoding="utf-8")]:
        assert "script-src &#x27;self&#x27;" in s and "default-src &#x27;none&#x27;" in s
        assert " style=" not in s  # no inline styles: style-src 'self' holds
        tags = parse(s).tags
        refs = [v for _, a in tags for k, v in a.items() if k in ("href", "src", "action", "content") and v]
        assert not [v for v in refs if re.match(r"\s*(https?:|//|javascript:|data:)", v)]  # nothing to fetch


def test_index_lists_every_document(site):
    s = (site / "index.html").read_text(encoding="utf-8")
    tree = parse(s)
    rows = re.findall(r"<tr data-province=.*?</tr>", s)
    assert len(rows) == 6
    shizong_row = next(r for r in rows if ">师宗县<" in r)
    assert 'data-flags="error"' in shizong_row
    cells = re.findall(r'<td class="num sevcell[^"]*" data-sort="(\d+)"', shizong_row)
    assert cells == ["2", "0", "0"]  # errors, warnings, info
    assert re.search(r'<td class="num" data-sort="7">7</td>', shizong_row)  # facts
    assert 'data-province="云南省" data-year="2023"' in shizong_row
    assert [a for tag, a in tree.tags if tag == "select" and a.get("id") == "fprov"]
    provinces = re.findall(r'<option value="([^"]*)">', s.split('id="fprov"')[1].split("</select>")[0])
    assert provinces == ["", "&#x27;&gt;&lt;svg/onload=alert(1)&gt;", "云南省", "安徽省", "新疆维吾尔自治区", "河南省"]


def test_index_charts_compare_jurisdictions(site):
    s = (site / "index.html").read_text(encoding="utf-8")
    charts = re.findall(r"<figure class=\"card[^\"]*\">.*?</figure>", s)
    assert len(charts) == 3
    rate, amount, grades = charts
    assert "targets.cut_rate" in rate
    # four documents report a cut rate, largest first: 59.84 (宿州), 50 (hostile), 20 (克州), 2.03 (昆明)
    labels = re.findall(r'<text class="value"[^>]*>([^<]*)</text>', rate)
    assert labels == ["59.84%", "50%", "20%", "2.03%"]
    assert "未报告此项：" in rate and "师宗县 2023" in rate and "西工区 2023" in rate
    assert "key_eval.amount" in amount and "62,531 万元" in amount
    assert re.search(r"<title>师宗县 2023 优: 1</title>", grades) and re.search(r"<title>师宗县 2023 良: 3</title>", grades)


def test_bar_lengths_are_proportional_and_ticks_round():
    assert nice_ticks(Decimal("0.24")) == [Decimal(0), Decimal("0.05"), Decimal("0.10"), Decimal("0.15"), Decimal("0.20"), Decimal("0.25")]
    assert nice_ticks(Decimal(7)) == [Decimal(0), Decimal(2), Decimal(4), Decimal(6), Decimal(8)]
    svg = bar_chart([("甲县", Decimal("0.25"), "a.html"), ("乙县", Decimal("0.05"), "b.html")], percent, title="t")
    widths = [float(w) for w in re.findall(r'<rect class="bar" [^>]*width="([\d.]+)"', svg)]
    assert len(widths) == 2 and widths[0] == pytest.approx(5 * widths[1], rel=1e-3)


def test_empty_metrics_say_so_instead_of_an_empty_chart(tmp_path):
    t, rec = plain_record("xigong", "西工区", "河南省", 2023, None, None)
    s = build_site([(t, rec)], tmp_path).read_text(encoding="utf-8")
    assert s.count("本批报告中还没有抽取到这项指标。") == 3
    assert "<svg" not in s
    doc = page_of(tmp_path / "index.html", "</h1>")
    assert "自洽性检查没有发现前后矛盾之处。" in doc and "未识别出章节结构。" in doc


def test_rebuild_removes_pages_of_documents_no_longer_present(tmp_path):
    build_site(corpus_records(), tmp_path)
    assert len(doc_pages(tmp_path / "index.html")) == 5
    build_site(corpus_records()[:2], tmp_path)
    assert len(doc_pages(tmp_path / "index.html")) == 2


def test_site_from_the_real_pipeline(tmp_path):
    """Whatever the extractors find today: every fact is a highlight and the text is exact."""
    from pipeline.run import process

    pairs = [process(p) for p in sorted(CORPUS.glob("*.txt"))]
    index = build_site([(d.text, r) for d, r in pairs], tmp_path)
    pages = doc_pages(index)
    assert len(pages) == len(pairs)
    for d, r in pairs:
        s = next(s for name, s in pages.items() if name.startswith(r.doc_id[:16]))
        tree = parse(s)
        assert tree.errors == []
        assert "".join(tree.text) == d.text
        n_facts = sum(len(getattr(r, k)) for k in ("amounts", "rates", "counts", "doc_numbers", "grades", "scores", "dates"))
        assert len([1 for tag, a in tree.tags if tag == "mark" and "fact" in a.get("class", "")]) == n_facts
        assert len([1 for tag, a in tree.tags if tag == "li" and "finding" in a.get("class", "")]) == len(r.findings)


def test_cli_report_builds_the_site_from_a_store(tmp_path):
    """jixiao ingest, then jixiao report: every stored document gets a page, and a file that
    could not be loaded is listed with its error instead of silently missing."""
    import shutil

    jixiao = Path(sys.executable).with_name("jixiao")
    folder = tmp_path / "in"
    folder.mkdir()
    for p in CORPUS.glob("*.txt"):
        shutil.copy(p, folder / p.name)
    (folder / "空白.txt").write_bytes(b"")
    db = tmp_path / "t.duckdb"
    subprocess.run([str(jixiao), "ingest", str(folder), "--db", str(db), "--workers", "1", "--quiet"],
                   capture_output=True, timeout=600)
    r = subprocess.run([str(jixiao), "report", "--db", str(db), "--out", str(tmp_path / "site")],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    index = Path(r.stdout.strip().splitlines()[-1])
    assert index == (tmp_path / "site" / "index.html").resolve()
    assert index.is_file() and len(doc_pages(index)) == 6
    s = index.read_text(encoding="utf-8")
    row = next(r for r in re.findall(r"<tr data-province=.*?</tr>", s) if "空白.txt" in r)
    assert 'data-flags="readerr"' in row and '<span class="badge sev-error" title="无法读取">empty</span>' in row
    assert '<p class="note bad">无法读取：' in page_of(index, "空白.txt</h1>")
    missing = subprocess.run([str(jixiao), "report", "--db", str(tmp_path / "nope.duckdb"), "--out", str(tmp_path / "x")],
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode != 0 and "Traceback" not in missing.stderr and "nope.duckdb" in missing.stderr


def test_a_record_without_title_is_named_by_its_first_line(tmp_path):
    t = "\n  克州2023年度全面实施预算绩效管理  \n工作开展情况说明\n正文。"
    rec = ExtractRecord(source="in/kz.txt", doc_id="a" * 64, format="txt")
    index = build_site([(t, rec)], tmp_path)
    assert "<h1>克州2023年度全面实施预算绩效管理</h1>" in page_of(index, "</h1>")
    assert '<a href="docs/aaaaaaaaaaaaaaaa.html">克州2023年度全面实施预算绩效管理</a>' in index.read_text(encoding="utf-8")
    rec2 = ExtractRecord(source="in/empty.txt", doc_id="b" * 64, format="txt")
    assert "<h1>empty.txt</h1>" in page_of(build_site([("", rec2)], tmp_path / "2"), "</h1>")


def test_the_site_from_the_store_equals_the_site_from_the_records(tmp_path):
    """Records written to DuckDB and read back through pipeline.store.iter_records give the
    same pages: offsets, values, metrics' evidence and findings' spans survive the store."""
    from pipeline import store
    from pipeline.report import build_from_db
    from schemas import Document

    pairs = [*corpus_records(), evil_record()]
    db = tmp_path / "s.duckdb"
    con = store.connect(db)
    store.init(con)
    for t, r in pairs:
        store.write_record(con, Document(source=r.source, doc_id=r.doc_id, format=r.format, text=t), r)
    con.close()
    direct = build_site(pairs, tmp_path / "direct")
    stored = build_from_db(db, tmp_path / "stored")
    drop_time = lambda s: re.sub(r"生成于 [^·<]*", "", s)  # noqa: E731
    a, b = doc_pages(direct), doc_pages(stored)
    assert sorted(a) == sorted(b)
    for name in a:
        assert drop_time(b[name]) == drop_time(a[name]), name
    assert drop_time(stored.read_text(encoding="utf-8")) == drop_time(direct.read_text(encoding="utf-8"))


def test_numbered_paragraphs_are_not_bolded_whole(tmp_path):
    t = ("一、基础工作\n"
         "1、扎实开展项目支出财政评价。成立评价工作小组，委托第三方机构对8个重点项目开展评价，评价资金规模达6200万元。\n"
         "2、指导园区6个预算部门对2021年度预算执行情况开展部门整体自评，形成部门整体支出绩效自评报告6份，并在门户网站公开。\n")
    secs = [Section(path="一", label="一、", level=1, title="基础工作", start=0, end=len(t))]
    for label in ("1、", "2、"):
        i = t.index(label)
        secs.append(Section(path="一/" + label[0], label=label, level=2, title=t[i + 2:i + 20], start=i, end=t.index("\n", i)))
    s = page_of(build_site([(t, ExtractRecord(source="a.txt", doc_id="c" * 64, format="txt", sections=secs))], tmp_path), "</h1>")
    bold = re.findall(r'<span class="hd lv\d">(.*?)</span>', s)
    assert bold == ["一、基础工作", "1、扎实开展项目支出财政评价。", "2、"]


def test_long_chart_labels_keep_their_year():
    from pipeline.report.charts import _clip, _text_width

    label = "郑州高新技术产业开发区 2023（2）"
    short = _clip(label, 120)
    assert short.endswith("… 2023（2）") and short.startswith("郑州") and _text_width(short) <= 120
    assert _clip("西工区 2023", 120) == "西工区 2023"


def test_metric_names_get_a_chinese_gloss():
    from pipeline.report.pages import metric_label

    assert metric_label("targets.cut_rate") == "绩效目标审核 审减率"
    assert metric_label("targets.project.amount_declared") == "绩效目标审核 项目支出 申报金额"
    assert metric_label("key_eval.newthing") == "财政重点评价 newthing"
    assert metric_label("other.x") == ""


def test_cross_document_findings_from_the_store_are_on_the_index(tmp_path):
    """Two reports of 昆明经济技术开发区 2023 whose target-review cut rates differ (2.03% and
    24%): the store's cross-document check fires, and the index links both pages."""
    from pipeline import store
    from pipeline.report import build_from_db
    from schemas import Document

    t, a = kunming()
    b = a.model_copy(deep=True)
    b.source, b.doc_id = "corpus/copy.txt", "9" * 64
    r24 = next(r for r in b.rates if r.text == "24%")
    b.metrics = [Metric(name="targets.cut_rate", value=r24.value, unit="fraction", evidence=[span(r24)])]
    db = tmp_path / "x.duckdb"
    con = store.connect(db)
    store.init(con)
    for r in (a, b):
        store.write_record(con, Document(source=r.source, doc_id=r.doc_id, format="txt", text=t), r)
    con.close()
    s = build_from_db(db, tmp_path / "site").read_text(encoding="utf-8")
    section = s.split('<section class="cross">')[1].split("</section>")[0]
    row = next(r for r in re.findall(r"<tr>.*?</tr>", section) if "cross.jurisdiction_year" in r)
    assert f'href="docs/{a.doc_id[:16]}.html"' in row and 'href="docs/9999999999999999.html"' in row
    assert "昆明经济技术开发区" in row and "targets.cut_rate" in row


def test_no_cross_section_without_cross_findings(site):
    assert '<section class="cross">' not in (site / "index.html").read_text(encoding="utf-8")
