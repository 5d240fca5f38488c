"""Input normalisation shared by forms, API and imports (design.md §4)."""

import datetime as dt
import re
import unicodedata

from fazhi.core.errors import DomainError


def clean_text(value) -> str:
    """NFKC (full-width digits and letters to half-width) and trimmed, inner runs of spaces collapsed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return re.sub(r"\s+", " ", text).strip()


_CN_DATE = re.compile(r"^(\d{4})\s*[年/.-]\s*(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*日?$")
EXCEL_EPOCH = dt.date(1899, 12, 30)


def parse_date(value, *, field: str = "", label: str = "日期") -> dt.date:
    """Accept ISO, 2024/3/5, 2024年3月5日, datetime/date objects and Excel serial numbers."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:
            return EXCEL_EPOCH + dt.timedelta(days=int(value))
    text = clean_text(value)
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return EXCEL_EPOCH + dt.timedelta(days=int(float(text)))
    m = _CN_DATE.match(text)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            pass
    raise DomainError(f"{label}“{text}”不是有效日期（例：2025-03-05、2025/3/5、2025年3月5日）", field=field)
