"""How a party is shown on the public disclosure (行政执法公示) and to staff without a need to know.

Default rule, configurable through `settings.FAZHI_DISCLOSURE_MASKING` (a dict overriding these keys):
- a natural person: surname + “某” (张某, 欧阳某), ID number masked (first 6 and last 4 kept) — the one
  policy of `fazhi.core.masking`;
- an organisation: full name and 统一社会信用代码 shown (they are public registration data).
"""

from django.conf import settings

from fazhi.core.masking import mask_code, mask_id_number, mask_name

DEFAULT_MASKING = {
    "person_name": "surname",  # surname / full
    "person_id": "masked",  # masked / hidden / full
    "organisation_name": "full",  # full / masked
    "organisation_code": "full",  # full / masked / hidden
}


def masking_rule() -> dict:
    return {**DEFAULT_MASKING, **getattr(settings, "FAZHI_DISCLOSURE_MASKING", {})}


def party_display(
    *, kind: str, name: str, id_number: str = "", uscc: str = "", rule: dict | None = None
) -> tuple[str, str]:
    """(name shown, number shown) for the public."""
    rule = rule or masking_rule()
    if kind == "person":
        shown_name = name if rule["person_name"] == "full" else mask_name(name)
        mode = rule["person_id"]
        shown_code = (
            "" if mode == "hidden" or not id_number else (id_number if mode == "full" else mask_id_number(id_number))
        )
        return shown_name, shown_code
    shown_name = name if rule["organisation_name"] == "full" else (name[:2] + "*" * max(0, len(name) - 2))
    mode = rule["organisation_code"]
    shown_code = "" if mode == "hidden" or not uscc else (uscc if mode == "full" else mask_code(uscc))
    return shown_name, shown_code
