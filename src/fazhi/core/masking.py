"""One masking policy for personal data, wherever the viewer has no need to know (design.md §4). Pure functions.

- Person names: surname + “某” (张三 → 张某, 欧阳小明 → 欧阳某), the form government disclosures commonly use
  (published penalty decisions, complaint replies). The length of the given name is not revealed.
- 居民身份证号 and other long codes: the first 6 (the division of issue) and the last 4 kept, the rest starred
  (110105********002X): enough to tell two records apart, not enough to identify someone.
- Phone numbers: first 3 and last 4 of a mobile number kept (139****5678); shorter numbers starred whole.
- E-mail: first character of the mailbox and the domain kept (a***@example.com).
- Addresses: the administrative divisions (省、市、区、县、旗、乡、镇、街道) kept, the rest (road, number, room)
  replaced by “***” (示例市东城区人民路12号 → 示例市东城区***).
An empty value stays empty. Organisations are not persons: their names and 统一社会信用代码 are public
registration data, masked only where a deployment says so (the disclosure settings below use `mask_code`).
"""

import re

COMPOUND_SURNAMES = frozenset(
    {
        "欧阳",
        "司马",
        "上官",
        "诸葛",
        "东方",
        "皇甫",
        "尉迟",
        "公孙",
        "慕容",
        "长孙",
        "宇文",
        "司徒",
        "夏侯",
        "轩辕",
        "令狐",
        "端木",
        "独孤",
        "南宫",
        "西门",
        "万俟",
        "闻人",
        "澹台",
        "公冶",
        "宗政",
        "濮阳",
        "太史",
        "申屠",
        "钟离",
    }
)
HIDDEN = "***"
# One administrative division at the start of an address (湖南省, 示例市, 东城区, 东湖街道, 石门乡).
_DIVISION = re.compile(r"^.{1,8}?(?:省|自治区|市|自治州|地区|盟|区|县|旗|街道|镇|乡)")
# What a division's name never holds: roads, numbers, buildings, villages, compounds (小区, 园区, 校区 …).
_NOT_DIVISION = re.compile(r"[路街巷弄号栋幢楼室村组\d]|[小社园校景厂院营]区$")


def mask_name(name: str) -> str:
    """张三 → 张某; 欧阳小明 → 欧阳某; a single character → 某."""
    name = (name or "").strip()
    if not name:
        return ""
    if len(name) == 1:
        return "某"
    surname = name[:2] if name[:2] in COMPOUND_SURNAMES and len(name) > 2 else name[:1]
    return f"{surname}某"


def mask_code(code: str, *, head: int = 4, tail: int = 4) -> str:
    """Keep `head` and `tail` characters of a code, star the middle; a code too short to keep any is all stars."""
    code = (code or "").strip()
    if len(code) <= head + tail:
        return "*" * len(code)
    return f"{code[:head]}{'*' * (len(code) - head - tail)}{code[-tail:]}"


def mask_id_number(number: str) -> str:
    """110105194912310021 → 110105********0021 (first 6 and last 4 kept)."""
    return mask_code(number, head=6, tail=4)


def mask_phone(phone: str) -> str:
    """13912345678 → 139****5678; 0731-12345678 → 073******5678; fewer than 7 characters: all stars."""
    phone = (phone or "").strip()
    if len(phone) < 7:
        return "*" * len(phone)
    return mask_code(phone, head=3, tail=4)


def mask_email(email: str) -> str:
    email = (email or "").strip()
    user, _, domain = email.partition("@")
    if not domain:
        return "*" * len(email)
    return f"{user[:1]}***@{domain}"


def mask_address(address: str) -> str:
    """Keep the divisions at the start of the address, hide the rest; an address that names none: all hidden.
    湖南省示例市东城区东湖街道人民路12号 → 湖南省示例市东城区东湖街道***"""
    rest = re.sub(r"\s+", "", address or "")
    if not rest:
        return ""
    kept = ""
    while m := _DIVISION.match(rest):
        segment = m.group(0)
        body = segment[:-2] if segment.endswith("街道") else segment
        if _NOT_DIVISION.search(body):
            break
        kept, rest = kept + segment, rest[m.end() :]
    return f"{kept}{HIDDEN}"


# ---------------------------------------------------------------- parties of a published decision
# How a party is shown on the public disclosure (行政执法公示) and to staff without a need to know. Configurable
# through `settings.FAZHI_DISCLOSURE_MASKING` (a dict overriding these keys): a natural person by the policy above
# (张某, ID number masked); an organisation with its full name and 统一社会信用代码 (public registration data).
DEFAULT_DISCLOSURE_MASKING = {
    "person_name": "surname",  # surname / full
    "person_id": "masked",  # masked / hidden / full
    "organisation_name": "full",  # full / masked
    "organisation_code": "full",  # full / masked / hidden
}


def disclosure_masking_rule() -> dict:
    from django.conf import settings

    return {**DEFAULT_DISCLOSURE_MASKING, **getattr(settings, "FAZHI_DISCLOSURE_MASKING", {})}


def party_display(
    *, kind: str, name: str, id_number: str = "", uscc: str = "", rule: dict | None = None
) -> tuple[str, str]:
    """(name shown, number shown) for the public."""
    rule = rule or disclosure_masking_rule()
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
