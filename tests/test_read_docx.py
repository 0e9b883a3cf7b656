""".docx reading: automatic numbering rebuilt, text in content controls / smart tags /
text boxes kept once, tables as tab-joined rows, no artefacts.  Expected texts are
written by hand from what Word shows for the XML in each test."""
from __future__ import annotations

import zipfile

import pytest

from pipeline.read import read
from pipeline.read.docx import format_number
from fixtures import (
    GOBACK,
    expected_text,
    make_docx,
    make_docx_from_xml,
    normalise_ws,
    seed_names,
    seed_text,
    similarity,
)


def p(text: str, num: tuple | None = None, style: str | None = None, extra: str = "") -> str:
    ppr = ""
    if num or style:
        ppr = "<w:pPr>"
        if style:
            ppr += f'<w:pStyle w:val="{style}"/>'
        if num:
            ppr += f'<w:numPr><w:ilvl w:val="{num[1]}"/><w:numId w:val="{num[0]}"/></w:numPr>'
        ppr += "</w:pPr>"
    run = f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>' if text else ""
    return f"<w:p>{ppr}{run}{extra}</w:p>"


def lvl(ilvl: int, fmt: str, text: str, suff: str = "nothing", start: int = 1) -> str:
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:suff w:val="{suff}"/><w:lvlText w:val="{text}"/></w:lvl>')


NUMBERING = (
    '<w:abstractNum w:abstractNumId="1">'
    + lvl(0, "chineseCounting", "%1、")
    + lvl(1, "chineseCounting", "（%2）")
    + lvl(2, "decimal", "%3.", suff="tab")
    + lvl(3, "decimalEnclosedCircle", "%4")
    + "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="3">' + lvl(0, "chineseCounting", "第%1章", suff="space") + "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="5">' + lvl(0, "bullet", "\uf0b7") + "</w:abstractNum>"
    '<w:abstractNum w:abstractNumId="6">' + lvl(0, "decimal", "%1.") + lvl(1, "decimal", "%1.%2") + "</w:abstractNum>"
    '<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>'
    '<w:num w:numId="3"><w:abstractNumId w:val="3"/></w:num>'
    '<w:num w:numId="4"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="10"/></w:lvlOverride></w:num>'
    '<w:num w:numId="5"><w:abstractNumId w:val="5"/></w:num>'
    '<w:num w:numId="6"><w:abstractNumId w:val="6"/></w:num>'
)
STYLES = (
    '<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/>'
    '<w:pPr><w:numPr><w:numId w:val="3"/></w:numPr><w:outlineLvl w:val="0"/></w:pPr></w:style>'
    '<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Body"><w:name w:val="正文缩进"/><w:basedOn w:val="a"/></w:style>'
)


def test_numbering_labels_are_rebuilt_with_words_counters(tmp_path):
    body = "".join([
        p("总体情况", (1, 0)),
        p("制度建设", (1, 1)),
        p("指标体系", (1, 1)),
        p("共性指标", (1, 2)),
        p("个性指标", (1, 2)),
        p("会议类", (1, 3)),
        p("培训类", (1, 3)),
        p("存在问题", (1, 0)),
        p("目标不细", (1, 1)),
        p("指标不全", (1, 2)),
        p("正文段落不编号。"),
        p("下一步打算", (2, 0)),       # startOverride 5 on a new w:num of the same list
        p("总则", style="1"),           # numbering from the paragraph style
        p("附则", style="1"),
        p("其他事项", (4, 0)),          # restart at 10: Chinese counting past ten
        p("再一项", (4, 0)),
        p("要点甲", (5, 0)),            # bullets are markers, not labels
        p("", (1, 0)),                  # an empty numbered paragraph shows nothing
        p("第一层", (6, 0)),
        p("第二层", (6, 1)),
        p("第二层又一项", (6, 1)),
    ])
    path = make_docx_from_xml(body, tmp_path / "n.docx", NUMBERING, STYLES)
    doc = read(path)
    assert doc.error is None
    assert doc.text.split("\n") == [
        "一、总体情况",
        "（一）制度建设",
        "（二）指标体系",
        "1. 共性指标",
        "2. 个性指标",
        "①会议类",
        "②培训类",
        "二、存在问题",
        "（一）目标不细",
        "1. 指标不全",
        "正文段落不编号。",
        "五、下一步打算",
        "第一章 总则",
        "第二章 附则",
        "十、其他事项",
        "十一、再一项",
        "要点甲",
        "1.第一层",
        "1.1第二层",
        "1.2第二层又一项",
    ]
    kinds = {doc.text[b.start:b.end]: b.kind for b in doc.blocks}
    assert kinds["第一章 总则"] == "heading"  # outline level from the style
    assert kinds["正文段落不编号。"] == "paragraph"


@pytest.mark.parametrize("n,fmt,expected", [
    (1, "chineseCounting", "一"), (10, "chineseCounting", "十"), (11, "chineseCounting", "十一"),
    (20, "chineseCounting", "二十"), (23, "chineseCounting", "二十三"), (101, "chineseCounting", "一百零一"),
    (110, "chineseCounting", "一百一十"), (3, "chineseLegalSimplified", "叁"), (12, "chineseLegalSimplified", "壹拾贰"),
    (2, "ideographTraditional", "乙"), (3, "decimalEnclosedCircle", "③"), (4, "decimalEnclosedParen", "⑷"),
    (7, "decimalFullWidth", "７"), (28, "lowerLetter", "bb"), (14, "upperRoman", "XIV"), (5, "decimalZero", "05"),
])
def test_number_formats(n, fmt, expected):
    assert format_number(n, fmt) == expected


def test_containers_boxes_and_artefacts(tmp_path):
    textbox = (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:inline><wp:extent cx="1" cy="1"/>'
        '<wp:docPr id="1" name="t"/><a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>文本框里的说明</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp>'
        '</a:graphicData></a:graphic></wp:inline></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>'
        '<w:txbxContent><w:p><w:r><w:t>文本框里的说明</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict>'
        '</mc:Fallback></mc:AlternateContent></w:r>'
    )
    body = "".join([
        # bookmark (the source of `[bookmark: _GoBack]` in other converters), smart tag, inline control
        '<w:p><w:bookmarkStart w:id="0" w:name="_GoBack"/><w:bookmarkEnd w:id="0"/><w:r><w:t>甲县</w:t></w:r>'
        '<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="place"><w:r><w:t>财政局</w:t></w:r></w:smartTag>'
        '<w:sdt><w:sdtPr><w:text/></w:sdtPr><w:sdtContent><w:r><w:t>2023年</w:t></w:r></w:sdtContent></w:sdt>'
        '<w:r><w:t>工作说明</w:t></w:r></w:p>',
        # block-level content control
        '<w:sdt><w:sdtPr><w:alias w:val="正文"/></w:sdtPr><w:sdtContent>' + p("控件中的段落。") + "</w:sdtContent></w:sdt>",
        # text box with a VML fallback: its text once, after the paragraph that anchors it
        "<w:p><w:r><w:t>锚定段落</w:t></w:r>" + textbox + "</w:p>",
        # tracked changes, hidden text, a field (instruction dropped, result kept), tab, line break
        '<w:p><w:r><w:t>审减</w:t></w:r><w:del w:id="1"><w:r><w:delText>删除的</w:delText></w:r></w:del>'
        '<w:ins w:id="2"><w:r><w:t>金额</w:t></w:r></w:ins><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> MERGEFIELD 金额 </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>137,784.25</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
        '<w:hyperlink r:id="rId9"><w:r><w:t>万元</w:t></w:r></w:hyperlink><w:r><w:tab/><w:t>附表</w:t><w:br/><w:t>第二行</w:t></w:r></w:p>',
        # a table: merged cell padded, a cell of two paragraphs on one line, nested table flattened
        '<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr>' + p("项目") + "</w:tc><w:tc>" + p("金额（万元）") + "</w:tc></w:tr>"
        "<w:tr><w:tc>" + p("培训") + p("（含会议）") + "</w:tc><w:tc>" + p("一期") + "</w:tc><w:tc>" + p("25") + "</w:tc></w:tr>"
        "<w:tr><w:tc><w:tbl><w:tr><w:tc>" + p("内") + "</w:tc><w:tc>" + p("表") + "</w:tc></w:tr></w:tbl></w:tc><w:tc>" + p("") + "</w:tc><w:tc>" + p("3") + "</w:tc></w:tr>"
        "</w:tbl>",
        p("表后段落"),
    ])
    path = make_docx_from_xml(body, tmp_path / "c.docx")
    doc = read(path)
    assert doc.error is None
    assert doc.text.split("\n") == [
        "甲县财政局2023年工作说明",
        "控件中的段落。",
        "锚定段落",
        "文本框里的说明",
        "审减金额137,784.25万元\t附表",
        "第二行",
        "项目\t\t金额（万元）",
        "培训 （含会议）\t一期\t25",
        "内 表\t\t3",
        "表后段落",
    ]
    assert [b.kind for b in doc.blocks[6:9]] == ["table_row"] * 3
    for b in doc.blocks:
        assert b.end > b.start and "\n" not in doc.text[b.start:b.end]
    assert "bookmark" not in doc.text and "MERGEFIELD" not in doc.text


@pytest.fixture(scope="module")
def seed_docx(tmp_path_factory):
    d = tmp_path_factory.mktemp("docx")
    return {name: make_docx(seed_text(name), d / f"{name}.docx") for name in seed_names()}


@pytest.mark.parametrize("name", seed_names())
def test_seed_docx_reads_back_line_for_line(seed_docx, name):
    path = seed_docx[name]
    expected = expected_text(seed_text(name), "docx")
    doc = read(path)
    assert doc.format == "docx" and doc.error is None
    assert similarity(doc.text, expected) >= 0.99
    # the labels Word numbering draws are not in document.xml, yet the reader shows them
    xml = zipfile.ZipFile(path).read("word/document.xml").decode()
    assert "w:numPr" in xml and "txbxContent" in xml and "w:sdt>" in xml
    assert ("_GoBack" in xml) == (GOBACK in seed_text(name))
    got = [normalise_ws(doc.text[b.start:b.end]) for b in doc.blocks if b.kind != "table_row"]
    table = "".join(normalise_ws(doc.text[b.start:b.end]) for b in doc.blocks if b.kind == "table_row")
    want = [normalise_ws(ln) for ln in expected.split("\n") if normalise_ws(ln)]
    assert table and table in want
    assert got == [w for w in want if w != table]
    assert GOBACK not in doc.text and "[bookmark" not in doc.text
    labels = [ln for ln in expected.split("\n") if ln.startswith(("一、", "二、", "（一）", "（二）"))]
    for ln in labels:
        assert ln.strip() in doc.text
    from_numbering = [ln.strip() for ln in labels if ln.strip() not in xml]
    assert from_numbering  # these lines exist only because the labels were rebuilt


@pytest.mark.parametrize("name", seed_names())
def test_python_docx_cross_check(seed_docx, name):
    """python-docx (the fallback) sees less, never more: its text, in order, is a
    subsequence of ours; ours also has the labels, control and text-box text it drops."""
    import docx

    d = docx.Document(str(seed_docx[name]))
    ours = normalise_ws(read(seed_docx[name]).text)
    theirs = normalise_ws("".join(p.text for p in d.paragraphs))
    it = iter(ours)
    assert all(ch in it for ch in theirs)
    assert len(ours) > len(theirs)


def test_text_box_text_appears_once(seed_docx):
    for name, path in seed_docx.items():
        xml = zipfile.ZipFile(path).read("word/document.xml").decode()
        import re

        box = re.search(r"<wps:txbx><w:txbxContent><w:p><w:r><w:t[^>]*>([^<]+)</w:t>", xml).group(1)
        assert xml.count(box) == 2  # DrawingML choice + VML fallback
        assert read(path).text.count(box.strip()) == seed_text(name).count(box.strip())


def test_python_docx_fallback_when_the_walk_fails(seed_docx, monkeypatch):
    """XML the walk cannot handle: python-docx's view instead, with a warning, not an error."""
    import pipeline.read.docx as docx_reader

    def broken(self, p):
        raise ValueError("unexpected element")

    monkeypatch.setattr(docx_reader._Walker, "paragraph", broken)
    name = "000_cc7d55e875232053"
    doc = read(seed_docx[name])
    assert doc.error is None and doc.warnings and "简化" in doc.warnings[0]
    assert similarity(doc.text, expected_text(seed_text(name), "docx")) > 0.9
    assert "（一）制度建设" not in doc.text  # no numbering labels on this path
    assert "制度建设" in doc.text


def test_strict_open_xml_namespace(tmp_path):
    """Word's "Strict Open XML Document" names the same elements in another namespace."""
    path = make_docx_from_xml(p("一段正文。") + p("总体情况", (1, 0)), tmp_path / "t.docx", NUMBERING, STYLES)
    strict = tmp_path / "strict.docx"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(strict, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info).replace(b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
                                          b"http://purl.oclc.org/ooxml/wordprocessingml/main")
            zout.writestr(info.filename, data)
    assert read(strict).text == "一段正文。\n一、总体情况"


def test_math_processing_instructions_and_damaged_spans_read_in_place(tmp_path):
    """Bugs caught in the wild (speed-docx review): Word writes a display equation as
    m:oMathPara (the math namespace), whose text was dropped; a processing instruction
    inside a paragraph and a non-numeric gridSpan made the walk fail and the whole
    document fall back to python-docx with a warning."""
    m = 'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"'
    body = "".join([
        f'<w:p><w:r><w:t>执行率=</w:t></w:r><m:oMathPara {m}><m:oMath><m:r><m:t>支出/预算</m:t></m:r></m:oMath></m:oMathPara></w:p>',
        '<w:p><w:r><w:t>审减</w:t></w:r><?jixiao test?><w:r><w:t>金额</w:t></w:r><!-- 注释 --></w:p>',
        '<w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="x"/></w:tcPr>' + p("项目") + "</w:tc><w:tc>" + p("25") + "</w:tc></w:tr></w:tbl>",
    ])
    doc = read(make_docx_from_xml(body, tmp_path / "m.docx"))
    assert doc.error is None and doc.warnings == []
    assert doc.text.split("\n") == ["执行率=支出/预算", "审减金额", "项目\t25"]
