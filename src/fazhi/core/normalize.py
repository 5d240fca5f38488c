"""Input normalisation shared by forms, API and imports (design.md §4)."""

import datetime as dt
import re
import unicodedata

from fazhi.core.errors import DomainError

# Full-width digits and Latin letters (and the ideographic space) are folded to ASCII; full-width
# Chinese punctuation (，。：（）) is left alone, because it is correct in Chinese text.
_FOLD = {code: code - 0xFEE0 for code in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
_FOLD[0x3000] = 0x20


# Control characters (C0 but tab, newline and carriage return; DEL; C1) and the Unicode bidi controls
# (embeddings, overrides, isolates and marks), which can make a name display as something else ("Trojan
# Source"): never kept in text that users typed or uploaded.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def strip_controls(value):
    """`value` without control and bidi characters; lists and dicts (a parsed JSON body) are walked, other
    values are returned as they are. Forms, the API and imports all pass their input through this."""
    if isinstance(value, str):
        return _CONTROLS.sub("", value)
    if isinstance(value, list):
        return [strip_controls(v) for v in value]
    if isinstance(value, dict):
        return {k: strip_controls(v) for k, v in value.items()}
    return value


# What `_FOLD` maps, to look for before translating (a search is much cheaper than a translation that changes
# nothing, and an import cleans every cell of a hundred thousand rows).
_FOLDABLE = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000]")
_SPACES = re.compile(r"\s+")


def clean_text(value) -> str:
    """Fold full-width digits/letters/spaces to half-width, collapse runs of white space, trim."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", strip_controls(str(value)))
    if _FOLDABLE.search(text):
        text = text.translate(_FOLD)
    return _SPACES.sub(" ", text).strip()


_CN_DATE = re.compile(r"^(\d{4})\s*[年/.-]\s*(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*日?$")
EXCEL_EPOCH = dt.date(1899, 12, 30)


# Dates a user may enter: the statutory records of this system are all of this range, and working-day
# arithmetic on year 1 or 9999 would leave the calendar.
MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2100, 12, 31)


def parse_date(value, *, field: str = "", label: str = "日期") -> dt.date:
    """Accept ISO, 2024/3/5, 2024年3月5日, datetime/date objects and Excel serial numbers, from 1900 to 2100."""
    day = _parse_date(value, field=field, label=label)
    if not MIN_DATE <= day <= MAX_DATE:
        raise DomainError(f"{label}“{day.isoformat()}”超出范围：应在 1900 年至 2100 年之间", field=field)
    return day


def _parse_date(value, *, field: str, label: str) -> dt.date:
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
    shown = text if len(text) <= 40 else text[:39] + "…"
    raise DomainError(f"{label}“{shown}”不是有效日期（例：2025-03-05、2025/3/5、2025年3月5日）", field=field)


def email_valid(value: str) -> bool:
    """An e-mail address as Django's EmailValidator accepts it (one @, a valid domain, no spaces, at most
    320 characters); the API, the forms and imports all ask this."""
    from django.core.exceptions import ValidationError
    from django.core.validators import EmailValidator

    try:
        EmailValidator()(value)
    except ValidationError:
        return False
    return True
