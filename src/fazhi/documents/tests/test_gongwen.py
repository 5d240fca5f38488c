"""公文 layout (GB/T 9704-2012), read back with python-docx and rendered through LibreOffice → PDF."""

import datetime as dt
import io
import re
import shutil
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm

from fazhi.documents.charts import bar_chart
from fazhi.documents.gongwen import LINE_PITCH_TWIPS, Figure, Gongwen, gongwen_docx, soffice_path, to_pdf

PARAGRAPH = "行政执法监督是法治政府建设的重要环节各级行政执法机关应当严格规范公正文明执法" * 6


def _spec(**kw) -> Gongwen:
    return Gongwen(
        issuer_mark="示例市司法局文件",
        number="示司监〔2026〕3号",
        title="关于开展行政执法案卷评查工作的通知",
        recipients="各区司法局，市政府各部门",
        body=["一、总体要求", PARAGRAPH, "（一）工作目标", *[PARAGRAPH] * 10],
        attachments=["评查标准", "评查表"],
        signature="示例市司法局",
        date=dt.date(2026, 3, 5),
        cc=["市委依法治市办"],
        printer="示例市司法局办公室",
        **kw,
    )


@pytest.fixture(scope="module")
def docx_bytes():
    return gongwen_docx(_spec())


def _east_asian(paragraph) -> set[str]:
    return {r._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) for r in paragraph.runs if r.text}


def _find(doc, text):
    return next(p for p in doc.paragraphs if p.text == text)


def test_page_and_margins(docx_bytes):
    section = Document(io.BytesIO(docx_bytes)).sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
    assert round(section.right_margin.mm) == 26 and round(section.bottom_margin.mm) == 35
    text_width = section.page_width - section.left_margin - section.right_margin
    text_height = section.page_height - section.top_margin - section.bottom_margin
    assert abs(text_width - Mm(156)) < Mm(0.1) and abs(text_height - Mm(225)) < Mm(0.1)


def test_document_grid_is_22_lines_of_28_characters(docx_bytes):
    doc = Document(io.BytesIO(docx_bytes))
    grid = doc.sections[0]._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    pitch = int(grid.get(qn("w:linePitch")))
    assert pitch == LINE_PITCH_TWIPS
    height_twips = round(doc.sections[0].page_height.twips - doc.sections[0].top_margin.twips) - round(
        doc.sections[0].bottom_margin.twips
    )
    assert height_twips // pitch == 22
    # Character pitch = default size (16 pt) + charSpace / 4096 pt; 28 of them fill 156 mm.
    char_pitch = 16 + int(grid.get(qn("w:charSpace"))) / 4096
    assert int(Mm(156).pt / char_pitch) == 28
    body = next(p for p in doc.paragraphs if p.text == PARAGRAPH)
    assert body.paragraph_format.line_spacing.twips == pitch
    assert body.paragraph_format.line_spacing_rule is not None


def test_fonts_and_sizes(docx_bytes):
    doc = Document(io.BytesIO(docx_bytes))
    title = _find(doc, "关于开展行政执法案卷评查工作的通知")
    assert _east_asian(title) == {"方正小标宋简体"} and title.runs[0].font.size.pt == 22
    body = _find(doc, PARAGRAPH)
    assert _east_asian(body) == {"仿宋_GB2312"} and body.runs[0].font.size.pt == 16
    assert _east_asian(_find(doc, "一、总体要求")) == {"黑体"}
    assert _east_asian(_find(doc, "（一）工作目标")) == {"楷体_GB2312"}
    mark = _find(doc, "示例市司法局文件")
    assert mark.alignment == 1 and str(mark.runs[0].font.color.rgb) == "FF0000"  # centred, red


def test_number_red_rule_signature_and_date(docx_bytes):
    doc = Document(io.BytesIO(docx_bytes))
    number = _find(doc, "示司监〔2026〕3号")
    rule = number._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:color")) == "FF0000"
    texts = [p.text for p in doc.paragraphs]
    assert "示例市司法局" in texts and "2026年3月5日" in texts
    assert "附件：1．评查标准" in texts
    assert "抄送：市委依法治市办。" in texts


def test_page_numbers_right_on_odd_pages_left_on_even(docx_bytes):
    doc = Document(io.BytesIO(docx_bytes))
    assert doc.settings.odd_and_even_pages_header_footer
    section = doc.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert odd.alignment == 2 and even.alignment == 0  # right, left
    for footer in (odd, even):
        assert re.fullmatch(r"— 1 —", footer.text)
        assert footer._p.xpath(".//w:instrText")[0].text.strip() == "PAGE"
        assert _east_asian(footer) == {"宋体"} and footer.runs[0].font.size.pt == 14


def test_no_font_is_embedded(docx_bytes):
    import zipfile

    names = zipfile.ZipFile(io.BytesIO(docx_bytes)).namelist()
    assert not [n for n in names if n.startswith("word/fonts/")]
    assert b"embedTrueTypeFonts" not in zipfile.ZipFile(io.BytesIO(docx_bytes)).read("word/settings.xml")


def test_a_chart_is_embedded_as_an_inline_picture():
    from PIL import Image

    png = bar_chart(["市场监管局", "生态环境局", "交通运输局"], [12, 7, 3], "各单位投诉件数")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size[0] > 500
    docx_bytes = gongwen_docx(Gongwen(title="通报", body=["正文。", Figure(png, caption="图1 投诉件数")]))
    doc = Document(io.BytesIO(docx_bytes))
    assert len(doc.inline_shapes) == 1
    assert doc.inline_shapes[0].width <= Mm(156)
    assert "图1 投诉件数" in [p.text for p in doc.paragraphs]


@pytest.mark.parametrize(
    ("labels", "values"),
    [
        ([f"{m}月" for m in range(1, 13)], [m * 1234 for m in range(12)]),
        (["市场监管局", "生态环境局", "交通运输局"], [12, 7, 3]),
        (["示例市市场监督管理局执法支队", "生态环境局", *"abcdef"], [120000, 7, 3, 1, 1, 1, 1, 1]),
        (["一"], [0]),
        (["甲", "乙"], [0.5, 2.25]),
        ([], []),
    ],
)
def test_a_chart_keeps_every_label_inside_the_picture(labels, values):
    """The margins are measured from the text (not tight_layout): nothing may be cut off at any edge."""
    import matplotlib

    from fazhi.documents.charts import RC, bar_figure

    with matplotlib.rc_context({**RC, "axes.unicode_minus": False}):
        fig = bar_figure(labels, values, "各单位投诉件数")
        renderer = fig.canvas.get_renderer()
        fig.draw(renderer)
        box = fig.get_tightbbox(renderer)
    width, height = fig.get_size_inches()
    assert box.x0 >= 0 and box.y0 >= 0 and box.x1 <= width and box.y1 <= height


def test_a_draft_has_no_number():
    doc = Document(io.BytesIO(gongwen_docx(Gongwen(title="草稿", body=["正文"]))))
    assert not [p for p in doc.paragraphs if "〔" in p.text]


# ---------------------------------------------------------------- LibreOffice → PDF

needs_soffice = pytest.mark.skipif(
    not (soffice_path() and shutil.which("pdftotext") and shutil.which("pdffonts")),
    reason="LibreOffice / poppler-utils not installed (make test installs them)",
)
PAGE_NUMBER = re.compile(r"\s*—\s*\d+\s*—\s*")
# Every font a 公文 names, as fonts.conf maps it: the free fonts, embedded in the PDF by LibreOffice.
MAPPED = re.compile(r"^[A-Z]{6}\+(NotoSerifCJK|NotoSansCJK|LXGWWenKai)")


@pytest.fixture(scope="module")
def pdf(docx_bytes, tmp_path_factory):
    path = tmp_path_factory.mktemp("pdf") / "document.pdf"
    path.write_bytes(to_pdf(docx_bytes))
    return path


def _pages(pdf) -> list[list[str]]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = [p for p in text.split("\f") if p.strip()]
    return [[line for line in p.split("\n") if line.strip() and not PAGE_NUMBER.fullmatch(line)] for p in pages]


@needs_soffice
def test_pdf_pages_have_22_lines_of_28_characters(pdf):
    pages = _pages(pdf)
    assert len(pages) >= 3
    # The first page carries the 版头 and the title; the second is body text only.
    full = pages[1]
    assert len(full) == 22
    widths = [len(line.replace(" ", "")) for line in full]
    assert max(widths) == 28
    assert widths.count(28) >= 15
    # And every full page between the first and the last.
    assert all(len(p) == 22 for p in pages[1:-1])


@needs_soffice
def test_pdf_shows_page_numbers(pdf):
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    assert re.search(r"—\s*1\s*—", text) and re.search(r"—\s*2\s*—", text)


@needs_soffice
def test_pdf_has_no_unmapped_font(pdf):
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows
    for row in rows:
        name, emb = row[0], row[-5]
        assert MAPPED.match(name), f"font {name} is not one fonts.conf maps to"
        assert emb == "yes", f"font {name} is missing from the PDF"
