"""Word (.docx) documents in the layout of GB/T 9704-2012 《党政机关公文格式》, and their PDF through LibreOffice.

The layout figures (§5.2.1 版心, §5.2.3 字体字号, §5.2.4 行数和字数, §7 要素编排) are the constants below. Fonts are
named, never embedded: the names are the ones users' Word installations have (方正小标宋简体, 仿宋_GB2312,
楷体_GB2312, 黑体, 宋体); a server without them renders through `fonts.conf`, which maps each name to a free font.
"""

import datetime as dt
import io
import math
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Mm, Pt, RGBColor

FONTS_CONF = Path(__file__).resolve().parent / "fonts.conf"

# §5.2.1: A4, 天头（上白边）37 mm, 订口（左白边）28 mm, 版心 156 mm × 225 mm.
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGIN_TOP, MARGIN_LEFT = Mm(37), Mm(28)
TEXT_WIDTH, TEXT_HEIGHT = Mm(156), Mm(225)
MARGIN_RIGHT = Mm(210 - 28 - 156)  # 26 mm
MARGIN_BOTTOM = Mm(297 - 37 - 225)  # 35 mm
# §5.2.4: 一般每面排 22 行，每行排 28 个字.
LINES_PER_PAGE, CHARS_PER_LINE = 22, 28
# §5.2.3 and §7: 字号 in points (2号 22 pt, 3号 16 pt, 4号 14 pt).
SIZE_TITLE, SIZE_BODY, SIZE_PAGE_NUMBER = Pt(22), Pt(16), Pt(14)
SIZE_MARK = Pt(36)  # 版头 发文机关标志: 小初; the standard only caps it (≤ 22 mm × 15 mm a character)

FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_H1 = "黑体"
FONT_H2 = "楷体_GB2312"
FONT_PAGE_NUMBER = "宋体"
RED = RGBColor(0xFF, 0x00, 0x00)

# Twips of the text block height as Word computes it from the margins (integer twips each).
_TEXT_HEIGHT_TWIPS = round(PAGE_HEIGHT / 635) - round(MARGIN_TOP / 635) - round(MARGIN_BOTTOM / 635)
# The line pitch is rounded down, so that 22 lines always fit in the text block.
LINE_PITCH_TWIPS = _TEXT_HEIGHT_TWIPS // LINES_PER_PAGE
# 28 characters fill 156 mm: pitch 156 mm / 28 = 15.79 pt. Word's charSpace is the difference from the
# default font size in 1/4096 pt; runs also get the same (negative) character spacing in 1/20 pt, so that
# renderers that ignore the grid (LibreOffice) still break lines after the 28th character.
CHAR_PITCH_PT = TEXT_WIDTH.pt / CHARS_PER_LINE
CHAR_SPACE = math.floor((CHAR_PITCH_PT - SIZE_BODY.pt) * 4096)  # rounded down: 28 still fit
RUN_SPACING_TWENTIETHS = -5  # 16 pt − 0.25 pt = 15.75 pt ≤ 15.79 pt

H1 = re.compile(r"^[一二三四五六七八九十百]+、")
H2 = re.compile(r"^（[一二三四五六七八九十百]+）")


@dataclass
class Figure:
    """A picture block (PNG bytes), e.g. from `fazhi.documents.charts.bar_chart`, with an optional caption."""

    png: bytes
    caption: str = ""
    width_mm: float = 150


@dataclass
class Gongwen:
    """The elements of a document (GB/T 9704 §7). Body items are paragraphs; one beginning with 一、 is a
    first-level heading (黑体), one beginning with （一） a second-level heading (楷体); a Figure is a picture."""

    title: str
    body: list = field(default_factory=list)
    issuer_mark: str = ""  # 发文机关标志, e.g. 示例市司法局文件 (red, centred); empty: no 版头
    number: str = ""  # 发文字号, e.g. 示司监〔2026〕3号; empty for a draft
    recipients: str = ""  # 主送机关
    attachments: list[str] = field(default_factory=list)  # 附件说明
    signature: str = ""  # 发文机关署名
    date: dt.date | None = None  # 成文日期
    cc: list[str] = field(default_factory=list)  # 抄送机关
    printer: str = ""  # 印发机关 (版记)


def _set_fonts(run, name: str, size: Pt, *, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.size = size
    run.font.bold = bold or None
    if color is not None:
        run.font.color.rgb = color
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    # Digits and Latin letters are set in the same font: a server renders them through the same mapping.
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:val"), str(RUN_SPACING_TWENTIETHS))
    rpr.append(spacing)


def _exact(paragraph, lines: int = 1, *, grid: bool = True) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing = Emu(LINE_PITCH_TWIPS * lines * 635)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.space_before = fmt.space_after = Pt(0)
    # No widow/orphan control: it would move lines and break the 22 lines of a page.
    fmt.widow_control = False
    if not grid:
        snap = OxmlElement("w:snapToGrid")
        snap.set(qn("w:val"), "0")
        paragraph._p.get_or_add_pPr().append(snap)


def _para(doc, text: str, font: str, size: Pt, *, align=None, indent_chars: float = 0, lines: int = 1, **kw):
    p = doc.add_paragraph()
    _exact(p, lines)
    if align is not None:
        p.alignment = align
    if indent_chars:
        p.paragraph_format.first_line_indent = Pt(CHAR_PITCH_PT * indent_chars)
    if text:
        _set_fonts(p.add_run(text), font, size, **kw)
    return p


def _border(paragraph, side: str, *, color: str = "FF0000", size_eighths: int = 12, space: int = 4) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    edge = OxmlElement(f"w:{side}")
    edge.set(qn("w:val"), "single")
    edge.set(qn("w:sz"), str(size_eighths))
    edge.set(qn("w:space"), str(space))
    edge.set(qn("w:color"), color)
    borders.append(edge)


def _page_number(paragraph, *, odd: bool) -> None:
    """`— 1 —` in 4号 宋体 (§7.5): odd pages right with one character's space, even pages left."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if odd else WD_ALIGN_PARAGRAPH.LEFT
    fmt = paragraph.paragraph_format
    one_char = Pt(SIZE_PAGE_NUMBER.pt)
    if odd:
        fmt.right_indent = one_char
    else:
        fmt.left_indent = one_char
    _exact(paragraph, grid=False)
    paragraph.paragraph_format.line_spacing = Pt(20)
    _set_fonts(paragraph.add_run("— "), FONT_PAGE_NUMBER, SIZE_PAGE_NUMBER)
    run = paragraph.add_run()
    _set_fonts(run, FONT_PAGE_NUMBER, SIZE_PAGE_NUMBER)
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        elif text.strip() == "PAGE":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        else:
            el = OxmlElement("w:t")
            el.text = text
        run._r.append(el)
    _set_fonts(paragraph.add_run(" —"), FONT_PAGE_NUMBER, SIZE_PAGE_NUMBER)


def _setup_page(doc) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = MARGIN_TOP, MARGIN_BOTTOM
    section.left_margin, section.right_margin = MARGIN_LEFT, MARGIN_RIGHT
    section.header_distance = Mm(15)
    # The page number sits about 7 mm under the text block (§7.5).
    section.footer_distance = Mm(20)
    sect = section._sectPr
    for old in sect.findall(qn("w:docGrid")):
        sect.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH_TWIPS))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))
    sect.append(grid)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], odd=True)
    _page_number(section.even_page_footer.paragraphs[0], odd=False)
    # The default run size is the body size: Word's character grid is counted from it.
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.size = SIZE_BODY
    normal.font.name = FONT_BODY
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT_BODY)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(qn("w:rPrDefault") + "/" + qn("w:rPr"))
        if rpr is not None:
            for sz in rpr.findall(qn("w:sz")) + rpr.findall(qn("w:szCs")):
                sz.set(qn("w:val"), str(int(SIZE_BODY.pt * 2)))


def _figure(doc, fig: Figure) -> None:
    p = doc.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_before = p.paragraph_format.space_after = Pt(0)
    snap = OxmlElement("w:snapToGrid")
    snap.set(qn("w:val"), "0")
    p._p.get_or_add_pPr().append(snap)
    p.add_run().add_picture(io.BytesIO(fig.png), width=Mm(min(fig.width_mm, 156)))
    if fig.caption:
        _para(doc, fig.caption, FONT_BODY, SIZE_BODY, align=WD_ALIGN_PARAGRAPH.CENTER)


def _cn_date(day: dt.date) -> str:
    # §7.3.5.1: 成文日期用阿拉伯数字将年、月、日标全，月、日不编虚位.
    return f"{day.year}年{day.month}月{day.day}日"


def gongwen_docx(doc_spec: Gongwen) -> bytes:
    """The .docx bytes of a document laid out after GB/T 9704-2012."""
    doc = Document()
    _setup_page(doc)
    body = doc.element.body
    # python-docx starts with one empty paragraph in some templates: none here, but be safe.
    for p in list(doc.paragraphs):
        body.remove(p._p)
    if doc_spec.issuer_mark:
        # 版头: 发文机关标志 in red 小标宋, centred; then 空二行, the number, and the red rule (§7.2).
        _para(doc, doc_spec.issuer_mark, FONT_TITLE, SIZE_MARK, align=WD_ALIGN_PARAGRAPH.CENTER, lines=2, color=RED)
        _para(doc, "", FONT_BODY, SIZE_BODY)
        number = _para(doc, doc_spec.number, FONT_BODY, SIZE_BODY, align=WD_ALIGN_PARAGRAPH.CENTER)
        _border(number, "bottom", size_eighths=12, space=12)
        _para(doc, "", FONT_BODY, SIZE_BODY)
    elif doc_spec.number:
        _para(doc, doc_spec.number, FONT_BODY, SIZE_BODY, align=WD_ALIGN_PARAGRAPH.RIGHT)
    # §7.3.1 标题: 2号小标宋, centred, after one empty line under the rule.
    title = _para(doc, doc_spec.title, FONT_TITLE, SIZE_TITLE, align=WD_ALIGN_PARAGRAPH.CENTER, lines=2)
    title.paragraph_format.keep_with_next = True
    _para(doc, "", FONT_BODY, SIZE_BODY)
    if doc_spec.recipients:
        _para(doc, f"{doc_spec.recipients}：", FONT_BODY, SIZE_BODY)
    for item in doc_spec.body:
        if isinstance(item, Figure):
            _figure(doc, item)
        elif H1.match(item):
            _para(doc, item, FONT_H1, SIZE_BODY, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=2)
        elif H2.match(item):
            _para(doc, item, FONT_H2, SIZE_BODY, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=2)
        else:
            _para(doc, item, FONT_BODY, SIZE_BODY, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent_chars=2)
    if doc_spec.attachments:
        # §7.3.4 附件说明: 正文下空一行左空二字编排"附件"，后标全角冒号和附件名称.
        _para(doc, "", FONT_BODY, SIZE_BODY)
        many = len(doc_spec.attachments) > 1
        for i, name in enumerate(doc_spec.attachments, 1):
            label = ("附件：" if i == 1 else "　　　") + (f"{i}．{name}" if many else name)
            _para(doc, label, FONT_BODY, SIZE_BODY, indent_chars=2)
    if doc_spec.signature or doc_spec.date:
        # §7.3.5.2: 成文日期右空四字，发文机关署名以成文日期为准居中.
        date_text = _cn_date(doc_spec.date) if doc_spec.date else ""
        _para(doc, "", FONT_BODY, SIZE_BODY)
        _para(doc, "", FONT_BODY, SIZE_BODY)
        if doc_spec.signature:
            shift = 4 + max(0, len(date_text) - len(doc_spec.signature)) / 2
            sig = _para(doc, doc_spec.signature, FONT_BODY, SIZE_BODY, align=WD_ALIGN_PARAGRAPH.RIGHT)
            sig.paragraph_format.right_indent = Pt(CHAR_PITCH_PT * shift)
        if date_text:
            date = _para(doc, date_text, FONT_BODY, SIZE_BODY, align=WD_ALIGN_PARAGRAPH.RIGHT)
            date.paragraph_format.right_indent = Pt(CHAR_PITCH_PT * 4)
    if doc_spec.cc or doc_spec.printer:
        # §7.4 版记: 抄送 in 4号仿宋 between black rules.
        _para(doc, "", FONT_BODY, SIZE_BODY)
        first = None
        if doc_spec.cc:
            first = _para(doc, f"抄送：{'，'.join(doc_spec.cc)}。", FONT_BODY, Pt(14))
            first.paragraph_format.left_indent = Pt(14)
            _border(first, "top", color="000000", size_eighths=8, space=1)
        if doc_spec.printer:
            issued = f"{doc_spec.printer}　　{_cn_date(doc_spec.date)}印发" if doc_spec.date else doc_spec.printer
            last = _para(doc, issued, FONT_BODY, Pt(14))
            last.paragraph_format.left_indent = Pt(14)
            if first is None:
                _border(last, "top", color="000000", size_eighths=8, space=1)
        else:
            last = first
        _border(last, "bottom", color="000000", size_eighths=8, space=1)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


class RenderError(RuntimeError):
    """LibreOffice is missing or failed: an operator's problem (docs/documents.md), not the user's input."""


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _for_libreoffice(docx_bytes: bytes) -> bytes:
    """The same document with the line grid only. LibreOffice's character grid puts a 16 pt character into two
    cells when the cell (156 mm / 28 = 15.79 pt, what Word's grid asks for) is narrower than the font size,
    which halves the line; with the line grid alone the runs' −0.25 pt spacing gives the 28 characters."""
    src, out = zipfile.ZipFile(io.BytesIO(docx_bytes)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                text = data.decode("utf-8").replace('w:type="linesAndChars"', 'w:type="lines"')
                data = re.sub(r' w:charSpace="-?\d+"', "", text).encode("utf-8")
            dst.writestr(info, data)
    return out.getvalue()


def to_pdf(docx_bytes: bytes, *, timeout: int = 180) -> bytes:
    """Render a .docx to PDF with LibreOffice headless, fonts resolved through `fonts.conf`.

    Each call runs in its own temporary directory with its own LibreOffice profile (-env:UserInstallation), so
    concurrent renders on one host never share a profile lock."""
    soffice = soffice_path()
    if not soffice:
        raise RenderError("未安装 LibreOffice（soffice），无法生成 PDF")
    with tempfile.TemporaryDirectory(prefix="fazhi-pdf-") as tmp:
        src = Path(tmp) / "document.docx"
        src.write_bytes(_for_libreoffice(docx_bytes))
        env = dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF), HOME=tmp)
        cmd = [
            soffice,
            f"-env:UserInstallation=file://{tmp}/profile",
            "--headless",
            "--norestore",
            "--nologo",
            "--convert-to",
            "pdf",
            "--outdir",
            tmp,
            str(src),
        ]
        try:
            done = subprocess.run(cmd, env=env, capture_output=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise RenderError("LibreOffice 生成 PDF 超时") from exc
        pdf = Path(tmp) / "document.pdf"
        if done.returncode != 0 or not pdf.exists():
            raise RenderError(f"LibreOffice 生成 PDF 失败：{done.stderr.decode(errors='replace')[-500:]}")
        return pdf.read_bytes()
