"""Hostile workbooks, built in memory and small on disk (issue 8): zip bombs, damaged XML, bad cells."""

import io
import zipfile

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>"""
ROOT_RELS = f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>"""
WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8"?>
<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>
<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/></Relationships>"""
# Style 1 is a date (numFmtId 14), so a numeric cell with s="1" is read as an Excel date serial.
STYLES = f"""<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="{MAIN}"><fonts count="1"><font><sz val="11"/></font></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs>
<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"""


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_xml(rows: list[str], *, dimension: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    body = "".join(f'<row r="{n}">{cells}</row>' for n, cells in enumerate(rows, start=1))
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{dim}<sheetData>{body}</sheetData></worksheet>'


def shared_strings_xml(strings: list[str]) -> str:
    items = "".join(f"<si><t>{s}</t></si>" for s in strings)
    return f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'


def workbook(sheet, *, strings: list[str] | str = (), extra: dict | None = None) -> bytes:
    """A minimal .xlsx. `sheet` is the sheet XML (str), or a callable writing it in chunks to a binary file
    (for sheets too large to hold in memory as one string)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        z.writestr("xl/styles.xml", STYLES)
        z.writestr("xl/sharedStrings.xml", strings if isinstance(strings, str) else shared_strings_xml(list(strings)))
        if callable(sheet):
            with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
                sheet(fh)
        else:
            z.writestr("xl/worksheets/sheet1.xml", sheet)
        for name, content in (extra or {}).items():
            z.writestr(name, content)
    return buffer.getvalue()


def header_row(headers: list[str]) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return "".join(inline(f"{letters[i]}1", h) for i, h in enumerate(headers))


def huge_sheet(headers: list[str], megabytes: int):
    """A sheet of `megabytes` MB of empty styled rows after the header: a few hundred KB zipped."""

    def write(fh):
        fh.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>'.encode())
        fh.write(f'<row r="1">{header_row(headers)}</row>'.encode())
        chunk = b'<row><c s="0"/></row>' * 50_000
        written = 0
        while written < megabytes * 1024 * 1024:
            fh.write(chunk)
            written += len(chunk)
        fh.write(b"</sheetData></worksheet>")

    return write


def hostile_files(headers: list[str]) -> dict:
    """name -> (a function building the file, a word the error message must contain)."""
    head = header_row(headers)
    truncated = sheet_xml([head, inline("A2", "x")])
    too_many_cells = "".join('<c r="A2" s="0"/>' for _ in range(2001))
    return {
        "not_a_zip": (lambda: b"PK\x03\x04" + b"\x00garbage" * 50, "不是有效的 .xlsx"),
        "zip_bomb_sheet": (lambda: workbook(huge_sheet(headers, 101)), "解压后超过"),
        "huge_shared_string": (lambda: workbook(sheet_xml([head]), strings=["长" * 6000]), "超过 5000 个字符"),
        "huge_shared_strings_part": (
            lambda: workbook(sheet_xml([head]), strings="<sst>" + " " * (33 << 20) + "</sst>"),
            "解压后过大",
        ),
        "truncated_xml": (lambda: workbook(truncated[: len(truncated) // 2 + 40]), "工作表内容已损坏"),
        "non_numeric_number": (lambda: workbook(sheet_xml([head, '<c r="A2"><v>abc</v></c>'])), "单元格 A2 的数值"),
        "bad_iso_date": (
            lambda: workbook(sheet_xml([head, '<c r="A2" t="d"><v>2024-13-45</v></c>'])),
            "单元格 A2 的日期",
        ),
        "bad_cell_reference": (lambda: workbook(sheet_xml([head, '<c r="A-2"><v>1</v></c>'])), "第 2 行有无法识别"),
        "bad_shared_string_index": (
            lambda: workbook(sheet_xml([head, '<c r="A2" t="s"><v>99</v></c>'])),
            "不存在的共享字符串",
        ),
        "bad_boolean": (lambda: workbook(sheet_xml([head, '<c r="A2" t="b"><v>maybe</v></c>'])), "逻辑值"),
        "long_inline_cell": (lambda: workbook(sheet_xml([head, inline("A2", "长" * 6000)])), "超过 5000 个字符"),
        "too_many_columns": (lambda: workbook(sheet_xml([head, inline("DA2", "x")])), "最多 100 列"),
        "too_many_cells": (lambda: workbook(sheet_xml([head, too_many_cells])), "单元格超过 2000 个"),
    }
