"""Turn a case description (API payload or a stored case) into `rules.CaseFacts`, validating as we go.

Malformed input — an invalid ID number or credit code, a non-positive fine, dates out of order — is a
`DomainError` naming the field; the statutory findings come only from well-formed facts.
"""

import datetime as dt
from decimal import Decimal, InvalidOperation

from fazhi.cases.rules import CaseFacts, Handler
from fazhi.core.errors import DomainError
from fazhi.core.identifiers import clean_id_number, clean_uscc
from fazhi.core.normalize import parse_date

DATE_FIELDS = {
    "violation_ended_on": "违法行为终了日期",
    "filed_on": "立案日期",
    "legal_review_on": "法制审核日期",
    "hearing_notice_on": "听证通知日期",
    "hearing_on": "听证日期",
    "decided_on": "决定日期",
    "served_on": "送达日期",
    "disclosed_on": "公示日期",
}

# A bound on input, not a statutory limit (the extensions of 第六十条 are far shorter): keeps date arithmetic finite.
MAX_EXTENSION_DAYS = 3650

# (earlier, later): the later may not come before the earlier.
ORDER = [
    ("violation_ended_on", "filed_on"),
    ("filed_on", "legal_review_on"),
    ("filed_on", "hearing_notice_on"),
    ("hearing_notice_on", "hearing_on"),
    ("filed_on", "decided_on"),
    ("decided_on", "served_on"),
    ("decided_on", "disclosed_on"),
]


def money(value, *, field: str, label: str, allow_zero: bool = False) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise DomainError(f"{label}“{value}”不是有效金额", field=field) from None
    if not amount.is_finite() or amount < 0 or (amount == 0 and not allow_zero):
        raise DomainError(f"{label}应为大于 0 的金额" if not allow_zero else f"{label}不能为负数", field=field)
    if amount > Decimal("1e12"):
        raise DomainError(f"{label}超出合理范围", field=field)
    return amount.quantize(Decimal("0.01"))


def _mapping(value, *, field: str, label: str) -> dict:
    """A JSON object of the payload (absent: empty); anything else is the caller's error, not ours."""
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        raise DomainError(f"{label} {field} 应为对象（JSON object）", field=field)
    return value


def _date(data: dict, key: str, label: str) -> dt.date | None:
    value = data.get(key)
    if value in (None, ""):
        return None
    return parse_date(value, field=key, label=label)


def facts_from_payload(data: dict, *, as_of: dt.date | None = None) -> CaseFacts:
    procedure = data.get("procedure") or "general"
    if procedure not in ("general", "simple"):
        raise DomainError("程序 procedure 应为 general（普通程序）或 simple（简易程序）", field="procedure")
    party = _mapping(data.get("party"), field="party", label="当事人")
    kind = party.get("kind")
    if not (kind is None or kind in ("person", "organisation")):
        raise DomainError("当事人类型 party.kind 应为 person 或 organisation", field="party.kind")
    if kind == "person" and party.get("id_number"):
        clean_id_number(party["id_number"], field="party.id_number")
    if kind == "organisation" and party.get("uscc"):
        clean_uscc(party["uscc"], field="party.uscc")
    dates = {key: _date(data, key, label) for key, label in DATE_FIELDS.items()}
    for earlier, later in ORDER:
        if dates[earlier] and dates[later] and dates[later] < dates[earlier]:
            raise DomainError(
                f"{DATE_FIELDS[later]}（{dates[later]}）不能早于{DATE_FIELDS[earlier]}（{dates[earlier]}）", field=later
            )
    handlers = None
    if data.get("handlers") is not None:
        if not isinstance(data["handlers"], list):
            raise DomainError("执法人员 handlers 应为数组", field="handlers")
        handlers = []
        for i, h in enumerate(data["handlers"]):
            h = _mapping(h, field=f"handlers.{i}", label=f"第 {i + 1} 名执法人员")
            name = str(h.get("name") or "").strip()
            if not name:
                raise DomainError(f"第 {i + 1} 名执法人员的姓名不能为空", field=f"handlers.{i}.name")
            vf = _date(h, "valid_from", "执法证有效期起")
            vt = _date(h, "valid_to", "执法证有效期止")
            if vf and vt and vt < vf:
                raise DomainError(f"第 {i + 1} 名执法人员的执法证有效期止早于有效期起", field=f"handlers.{i}.valid_to")
            handlers.append(
                Handler(
                    name=name,
                    certificate=str(h.get("certificate") or "").strip(),
                    valid_from=vf,
                    valid_to=vt,
                    status=h.get("status") or "active",
                )
            )
        handlers = tuple(handlers)
    extension = data.get("extension_days") or 0
    if not isinstance(extension, int) or isinstance(extension, bool) or not 0 <= extension <= MAX_EXTENSION_DAYS:
        raise DomainError(f"延长天数 extension_days 应为 0 到 {MAX_EXTENSION_DAYS} 的整数", field="extension_days")
    tier = _mapping(data.get("tier"), field="tier", label="裁量基准")
    tier_min = money(tier.get("min"), field="tier.min", label="裁量下限", allow_zero=True)
    tier_max = money(tier.get("max"), field="tier.max", label="裁量上限", allow_zero=True)
    if tier_min is not None and tier_max is not None and tier_max < tier_min:
        raise DomainError("裁量上限不能低于下限", field="tier.max")
    return CaseFacts(
        procedure=procedure,
        party_kind=kind,
        handlers=handlers,
        extension_days=extension,
        major=data.get("major"),
        limitation_extended=bool(data.get("limitation_extended")),
        decision_kind=data.get("decision_kind") or "penalty",
        fine=money(data.get("fine"), field="fine", label="罚款金额"),
        tier_min=tier_min,
        tier_max=tier_max,
        as_of=as_of,
        **dates,
    )


def check_date_order(dates: dict) -> None:
    """A `DomainError` on the first pair of stage dates out of order (e.g. a decision before the filing)."""
    for earlier, later in ORDER:
        a, b = dates.get(earlier), dates.get(later)
        if a and b and b < a:
            raise DomainError(f"{DATE_FIELDS[later]}（{b}）不能早于{DATE_FIELDS[earlier]}（{a}）", field=later)


def certificate_on(certificates: list, day: dt.date | None):
    """The certificate that speaks for an officer on `day`: one valid and active that day if any; else one
    whose dates cover the day (suspended/revoked); else the latest. None when the officer has none."""
    if not certificates:
        return None
    if day is not None:
        covering = [c for c in certificates if c.valid_from <= day <= c.valid_to]
        for c in covering:
            if c.status == "active":
                return c
        if covering:
            return covering[0]
    return max(certificates, key=lambda c: (c.valid_to, c.pk or 0))


def decision_kind(power_item_kind: str | None) -> str:
    """The disclosure limit follows the kind of decision (国办发〔2018〕118号): penalty, licence or other."""
    return power_item_kind if power_item_kind in ("penalty", "licence") else "other"


def case_facts(case, *, as_of: dt.date | None) -> CaseFacts:
    """`CaseFacts` of a stored case, so that stored cases and `POST /cases/check` share the same rules.

    Each handler is judged by his certificate valid on the act date (decision date, else filing date);
    the tier gives the fine range; the case is major when marked so or when its power item is major.
    """
    act = case.decided_on or case.filed_on
    handlers = []
    for ch in case.casehandler_set.select_related("officer").prefetch_related("officer__certificates"):
        cert = certificate_on(list(ch.officer.certificates.all()), act)
        if cert is None:
            handlers.append(Handler(name=ch.officer.name))
        else:
            handlers.append(
                Handler(
                    name=ch.officer.name,
                    certificate=cert.number,
                    valid_from=cert.valid_from,
                    valid_to=cert.valid_to,
                    status=cert.status,
                )
            )
    tier = case.tier
    return CaseFacts(
        procedure=case.procedure,
        party_kind=case.party_kind,
        handlers=tuple(handlers),
        violation_ended_on=case.violation_ended_on,
        limitation_extended=case.limitation_extended,
        filed_on=case.filed_on,
        extension_days=case.extension_days,
        major=bool(case.major or case.power_item.major),
        legal_review_on=case.legal_review_on,
        hearing_notice_on=case.hearing_notice_on,
        hearing_on=case.hearing_on,
        decided_on=case.decided_on,
        served_on=case.served_on,
        disclosed_on=case.disclosed_on,
        decision_kind=decision_kind(case.power_item.kind),
        fine=case.fine,
        tier_min=tier.fine_min if tier else None,
        tier_max=tier.fine_max if tier else None,
        as_of=as_of,
    )
