"""API of the enforcement registry: agencies, power items (versioned), 不予处罚 / 从轻减轻 list entries, officers
and their certificates.

Same permissions and data scope as the pages:
registry.view to read, registry.manage to write (else 403), an object outside the caller's scope 404, a bad
value 422 naming the field (see fazhi/api.py). ID numbers are masked unless a manager asks `reveal=true`
on one officer, which is logged.
"""

import datetime as dt

from ninja import Router, Schema, Status

from fazhi.core.apitypes import Limit, Offset
from fazhi.core.audit import client_ip
from fazhi.core.masking import mask_id_number
from fazhi.core.tokens import PermissionAuth
from fazhi.registry import selectors, services

router = Router(tags=["执法主体、权责清单、执法人员"])

MAX_LIMIT = 1000


def _window(qs, limit: int, offset: int):
    limit = max(1, min(limit, MAX_LIMIT))
    offset = max(0, offset)
    return qs[offset : offset + limit]


def _num(value) -> str | None:
    return None if value is None else str(value)


# ---------------------------------------------------------------- schemas


class AgencyOut(Schema):
    id: int
    unit_id: int
    name: str
    legal_status: str
    legal_status_label: str
    entrusting_agency_id: int | None
    jurisdiction: str
    domains: list[str]
    is_active: bool


class AgencyIn(Schema):
    unit_id: int
    legal_status: str = "statutory"
    entrusting_agency_id: int | None = None
    jurisdiction: str = ""
    domains: list[str] = []


class AgencyPatch(Schema):
    legal_status: str | None = None
    entrusting_agency_id: int | None = None
    jurisdiction: str | None = None
    domains: list[str] | None = None
    is_active: bool | None = None


class BasisIO(Schema):
    law: str
    article: str
    clause: str = ""
    text: str = ""


class TierIn(Schema):
    level: str
    name: str = ""
    circumstances: str
    penalty_kinds: list[str] = []
    fine_min: float | str | None = None
    fine_max: float | str | None = None
    multiple_min: float | str | None = None
    multiple_max: float | str | None = None


class TierOut(Schema):
    id: int
    level: str
    level_label: str
    name: str
    circumstances: str
    penalty_kinds: list[str]
    fine_min: str | None
    fine_max: str | None
    multiple_min: str | None
    multiple_max: str | None


class PowerItemOut(Schema):
    id: int
    agency_id: int
    agency: str
    code: str
    version: int
    is_current: bool
    name: str
    kind: str
    kind_label: str
    major: bool
    effective_from: dt.date
    is_active: bool
    legal_bases: list[BasisIO]


class VersionOut(Schema):
    id: int
    version: int
    is_current: bool
    effective_from: dt.date


class PowerItemDetailOut(PowerItemOut):
    tiers: list[TierOut]
    versions: list[VersionOut]


class PowerItemIn(Schema):
    agency_id: int
    code: str
    name: str
    kind: str
    major: bool = False
    effective_from: dt.date | None = None
    legal_bases: list[BasisIO]
    tiers: list[TierIn] = []


class PowerItemPatch(Schema):
    name: str | None = None
    kind: str | None = None
    major: bool | None = None
    effective_from: dt.date | None = None
    is_active: bool | None = None
    legal_bases: list[BasisIO] | None = None
    tiers: list[TierIn] | None = None


class CertificateOut(Schema):
    id: int
    number: str
    issuer: str
    valid_from: dt.date
    valid_to: dt.date
    status: str
    state: str


class CertificateIn(Schema):
    number: str
    valid_from: str
    valid_to: str
    issuer: str = ""
    status: str = "active"


class OfficerOut(Schema):
    id: int
    agency_id: int
    agency: str
    name: str
    id_number: str
    post: str
    is_active: bool
    certificate_number: str | None
    certificate_valid_to: dt.date | None
    certificate_state: str


class TrainingOut(Schema):
    year: int
    hours: str
    exam_score: str | None
    exam_passed: bool | None
    met: bool


class OfficerDetailOut(OfficerOut):
    certificates: list[CertificateOut]
    training: list[TrainingOut]
    training_min_hours: int


class OfficerIn(Schema):
    agency_id: int
    name: str
    id_number: str
    post: str = ""


class OfficerPatch(Schema):
    agency_id: int | None = None
    name: str | None = None
    id_number: str | None = None
    post: str | None = None
    is_active: bool | None = None


# ---------------------------------------------------------------- serialisers


def _agency(a) -> dict:
    return {
        "id": a.id,
        "unit_id": a.unit_id,
        "name": a.unit.name,
        "legal_status": a.legal_status,
        "legal_status_label": a.get_legal_status_display(),
        "entrusting_agency_id": a.entrusting_agency_id,
        "jurisdiction": a.jurisdiction,
        "domains": list(a.domains),
        "is_active": a.is_active,
    }


def _item(i) -> dict:
    return {
        "id": i.id,
        "agency_id": i.agency_id,
        "agency": i.agency.unit.name,
        "code": i.code,
        "version": i.version,
        "is_current": i.is_current,
        "name": i.name,
        "kind": i.kind,
        "kind_label": i.get_kind_display(),
        "major": i.major,
        "effective_from": i.effective_from,
        "is_active": i.is_active,
        "legal_bases": [
            {"law": b.law, "article": b.article, "clause": b.clause, "text": b.text} for b in i.legal_bases.all()
        ],
    }


def _item_detail(i) -> dict:
    tiers = [
        {
            "id": t.id,
            "level": t.level,
            "level_label": t.get_level_display(),
            "name": t.name,
            "circumstances": t.circumstances,
            "penalty_kinds": list(t.penalty_kinds),
            "fine_min": _num(t.fine_min),
            "fine_max": _num(t.fine_max),
            "multiple_min": _num(t.multiple_min),
            "multiple_max": _num(t.multiple_max),
        }
        for t in i.tiers.all()
    ]
    versions = [
        {"id": v.id, "version": v.version, "is_current": v.is_current, "effective_from": v.effective_from}
        for v in selectors.power_item_versions(item=i)
    ]
    return _item(i) | {"tiers": tiers, "versions": versions}


def _certificate(c) -> dict:
    return {
        "id": c.id,
        "number": c.number,
        "issuer": c.issuer,
        "valid_from": c.valid_from,
        "valid_to": c.valid_to,
        "status": c.status,
        "state": selectors.certificate_state(c),
    }


def _officer(o, *, id_number: str | None = None) -> dict:
    if hasattr(o, "cert_status"):
        number, valid_to = o.cert_number, o.cert_valid_to
        state = selectors.certificate_state_of(
            status=o.cert_status, valid_from=o.cert_valid_from, valid_to=o.cert_valid_to
        )
    else:
        latest = o.certificates.order_by("-valid_to", "-id").first()
        number, valid_to = (latest.number, latest.valid_to) if latest else (None, None)
        state = selectors.certificate_state(latest) if latest else "none"
    return {
        "id": o.id,
        "agency_id": o.agency_id,
        "agency": o.agency.unit.name,
        "name": o.name,
        "id_number": id_number or mask_id_number(o.id_number),
        "post": o.post,
        "is_active": o.is_active,
        "certificate_number": number,
        "certificate_valid_to": valid_to,
        "certificate_state": state,
    }


def _officer_detail(o, *, id_number: str | None = None) -> dict:
    training = [
        {
            "year": t.year,
            "hours": str(t.hours),
            "exam_score": _num(t.exam_score),
            "exam_passed": t.exam_passed,
            "met": t.met,
        }
        for t in selectors.officer_training(officer=o)
    ]
    return _officer(o, id_number=id_number) | {
        "certificates": [_certificate(c) for c in selectors.officer_certificates(officer=o)],
        "training": training,
        "training_min_hours": selectors.training_min_hours(),
    }


def _tiers(tiers) -> list[dict] | None:
    return None if tiers is None else [t.dict() for t in tiers]


def _bases(bases) -> list[dict] | None:
    return None if bases is None else [b.dict() for b in bases]


# ---------------------------------------------------------------- agencies


@router.get(
    "/agencies", response=list[AgencyOut], summary="执法主体（按数据范围）", auth=PermissionAuth("registry.view")
)
def agencies(
    request,
    q: str = "",
    legal_status: str = "",
    domain: str = "",
    active: bool | None = None,
    limit: Limit = 200,
    offset: Offset = 0,
):
    qs = selectors.agency_list(user=request.auth, q=q, legal_status=legal_status, domain=domain, active=active)
    return [_agency(a) for a in _window(qs, limit, offset)]


@router.post("/agencies", response={201: AgencyOut}, summary="新增执法主体", auth=PermissionAuth("registry.manage"))
def agency_create(request, payload: AgencyIn):
    user = request.auth
    agency = services.agency_save(
        by=user,
        unit=selectors.unit_for_agency(user=user, pk=payload.unit_id, field="unit_id"),
        legal_status=payload.legal_status,
        entrusting_agency=(
            selectors.agency_ref(user=user, pk=payload.entrusting_agency_id, field="entrusting_agency_id")
            if payload.entrusting_agency_id
            else None
        ),
        jurisdiction=payload.jurisdiction,
        domains=payload.domains,
        ip=client_ip(request),
    )
    return Status(201, _agency(agency))


@router.get("/agencies/{agency_id}", response=AgencyOut, summary="执法主体详情", auth=PermissionAuth("registry.view"))
def agency_detail(request, agency_id: int):
    return _agency(selectors.agency_get(user=request.auth, pk=agency_id))


@router.patch(
    "/agencies/{agency_id}",
    response=AgencyOut,
    summary="修改执法主体（只改给出的字段）",
    auth=PermissionAuth("registry.manage"),
)
def agency_update(request, agency_id: int, payload: AgencyPatch):
    user = request.auth
    agency = selectors.agency_get(user=user, pk=agency_id)
    given = payload.dict(exclude_unset=True)
    entrusting = agency.entrusting_agency
    if "entrusting_agency_id" in given:
        entrusting = (
            selectors.agency_ref(user=user, pk=given["entrusting_agency_id"], field="entrusting_agency_id")
            if given["entrusting_agency_id"]
            else None
        )
    agency = services.agency_save(
        by=user,
        instance=agency,
        unit=agency.unit,
        legal_status=given.get("legal_status") or agency.legal_status,
        entrusting_agency=entrusting,
        jurisdiction=given.get("jurisdiction", agency.jurisdiction),
        domains=given["domains"] if given.get("domains") is not None else agency.domains,
        is_active=given.get("is_active", agency.is_active),
        ip=client_ip(request),
    )
    return _agency(agency)


# ---------------------------------------------------------------- power items


@router.get(
    "/power-items",
    response=list[PowerItemOut],
    summary="权责清单事项（默认只列现行版本）",
    auth=PermissionAuth("registry.view"),
)
def power_items(
    request,
    q: str = "",
    kind: str = "",
    agency_id: int | None = None,
    major: bool | None = None,
    current_only: bool = True,
    limit: Limit = 200,
    offset: Offset = 0,
):
    qs = selectors.power_item_list(
        user=request.auth, q=q, kind=kind, agency=agency_id, major=major, current_only=current_only
    ).prefetch_related("legal_bases")
    return [_item(i) for i in _window(qs, limit, offset)]


@router.post(
    "/power-items",
    response={201: PowerItemDetailOut},
    summary="新增权责清单事项（第 1 版）",
    auth=PermissionAuth("registry.manage"),
)
def power_item_create(request, payload: PowerItemIn):
    user = request.auth
    item = services.power_item_save(
        by=user,
        agency=selectors.agency_ref(user=user, pk=payload.agency_id, field="agency_id"),
        code=payload.code,
        name=payload.name,
        kind=payload.kind,
        major=payload.major,
        effective_from=payload.effective_from,
        legal_bases=_bases(payload.legal_bases),
        tiers=_tiers(payload.tiers),
        ip=client_ip(request),
    )
    return Status(201, _item_detail(item))


@router.get(
    "/power-items/{item_id}",
    response=PowerItemDetailOut,
    summary="事项详情（依据、裁量阶次、版本）",
    auth=PermissionAuth("registry.view"),
)
def power_item_detail(request, item_id: int):
    return _item_detail(selectors.power_item_get(user=request.auth, pk=item_id))


@router.patch(
    "/power-items/{item_id}",
    response=PowerItemDetailOut,
    summary="修改事项：生成新版本，旧版本保留（未给出的依据、阶次沿用旧版本）",
    auth=PermissionAuth("registry.manage"),
)
def power_item_update(request, item_id: int, payload: PowerItemPatch):
    item = selectors.power_item_get(user=request.auth, pk=item_id)
    given = payload.dict(exclude_unset=True)
    new = services.power_item_save(
        by=request.auth,
        instance=item,
        agency=item.agency,
        code=item.code,
        name=given.get("name") or item.name,
        kind=given.get("kind") or item.kind,
        major=given.get("major", item.major),
        effective_from=given.get("effective_from"),
        is_active=given.get("is_active", item.is_active),
        legal_bases=_bases(payload.legal_bases) if "legal_bases" in given else None,
        tiers=_tiers(payload.tiers) if "tiers" in given else None,
        ip=client_ip(request),
    )
    return _item_detail(new)


# ---------------------------------------------------------------- officers


@router.get(
    "/officers", response=list[OfficerOut], summary="执法人员（身份证号脱敏）", auth=PermissionAuth("registry.view")
)
def officers(
    request,
    q: str = "",
    agency_id: int | None = None,
    cert_status: str = "",
    expiring_within: int | None = None,
    active: bool | None = True,
    limit: Limit = 200,
    offset: Offset = 0,
):
    qs = selectors.officer_list(
        user=request.auth,
        q=q,
        agency=agency_id,
        cert_status=cert_status,
        expiring_within=expiring_within,
        active=active,
    )
    return [_officer(o) for o in _window(qs, limit, offset)]


@router.post(
    "/officers", response={201: OfficerDetailOut}, summary="新增执法人员", auth=PermissionAuth("registry.manage")
)
def officer_create(request, payload: OfficerIn):
    user = request.auth
    officer = services.officer_save(
        by=user,
        agency=selectors.agency_ref(user=user, pk=payload.agency_id, field="agency_id"),
        name=payload.name,
        id_number=payload.id_number,
        post=payload.post,
        ip=client_ip(request),
    )
    return Status(201, _officer_detail(officer))


@router.get(
    "/officers/{officer_id}",
    response=OfficerDetailOut,
    summary="执法人员详情（身份证号脱敏；完整号码用 POST …/reveal 并说明理由）",
    auth=PermissionAuth("registry.view"),
)
def officer_detail(request, officer_id: int):
    officer = selectors.officer_get(user=request.auth, pk=officer_id)
    return _officer_detail(officer, id_number=selectors.officer_id_number_display(user=request.auth, officer=officer))


class RevealIn(Schema):
    reason: str


@router.post(
    "/officers/{officer_id}/reveal",
    response=OfficerDetailOut,
    summary="查看完整身份证号（须说明理由，记入操作日志）",
    auth=PermissionAuth("registry.manage", "personal.reveal"),
)
def officer_reveal(request, officer_id: int, payload: RevealIn):
    officer = selectors.officer_get(user=request.auth, pk=officer_id)
    shown = selectors.officer_id_number_display(
        user=request.auth, officer=officer, reveal_reason=payload.reason, ip=client_ip(request)
    )
    return _officer_detail(officer, id_number=shown)


@router.patch(
    "/officers/{officer_id}",
    response=OfficerDetailOut,
    summary="修改执法人员（只改给出的字段）",
    auth=PermissionAuth("registry.manage"),
)
def officer_update(request, officer_id: int, payload: OfficerPatch):
    user = request.auth
    officer = selectors.officer_get(user=user, pk=officer_id)
    given = payload.dict(exclude_unset=True)
    agency = (
        selectors.agency_ref(user=user, pk=given["agency_id"], field="agency_id")
        if given.get("agency_id")
        else officer.agency
    )
    officer = services.officer_save(
        by=user,
        instance=officer,
        agency=agency,
        name=given.get("name") or officer.name,
        id_number=given.get("id_number") or officer.id_number,
        post=given.get("post", officer.post),
        user=officer.user,
        is_active=given.get("is_active", officer.is_active),
        ip=client_ip(request),
    )
    return _officer_detail(officer)


@router.post(
    "/officers/{officer_id}/certificates",
    response={201: CertificateOut},
    summary="登记执法证",
    auth=PermissionAuth("registry.manage"),
)
def certificate_create(request, officer_id: int, payload: CertificateIn):
    officer = selectors.officer_get(user=request.auth, pk=officer_id)
    cert = services.certificate_save(
        by=request.auth,
        officer=officer,
        number=payload.number,
        issuer=payload.issuer,
        valid_from=payload.valid_from,
        valid_to=payload.valid_to,
        status=payload.status,
        ip=client_ip(request),
    )
    return Status(201, _certificate(cert))


# ---------------------------------------------------------------- 不予处罚 / 从轻减轻 lists


class ListEntryOut(Schema):
    id: int
    agency_id: int
    agency: str
    kind: str
    kind_label: str
    power_item_id: int | None
    power_item: str | None
    circumstances: str
    legal_basis: str
    is_active: bool


class ListEntryIn(Schema):
    agency_id: int
    kind: str
    circumstances: str
    legal_basis: str
    power_item_id: int | None = None


class ListEntryPatch(Schema):
    kind: str | None = None
    circumstances: str | None = None
    legal_basis: str | None = None
    power_item_id: int | None = None
    is_active: bool | None = None


def _list_entry(e) -> dict:
    return {
        "id": e.pk,
        "agency_id": e.agency_id,
        "agency": e.agency.unit.name,
        "kind": e.kind,
        "kind_label": e.get_kind_display(),
        "power_item_id": e.power_item_id,
        "power_item": f"{e.power_item.code} {e.power_item.name}" if e.power_item_id else None,
        "circumstances": e.circumstances,
        "legal_basis": e.legal_basis,
        "is_active": e.is_active,
    }


def _power_item_ref(request, pk):
    return selectors.power_item_ref(user=request.auth, pk=pk, field="power_item_id") if pk else None


@router.get(
    "/list-entries",
    response=list[ListEntryOut],
    summary="不予处罚 / 从轻减轻清单（按数据范围）",
    auth=PermissionAuth("registry.view"),
)
def list_entries(
    request,
    agency_id: int | None = None,
    kind: str = "",
    power_item_id: int | None = None,
    active: bool | None = None,
    limit: Limit = 200,
    offset: Offset = 0,
):
    qs = selectors.list_entry_list(
        user=request.auth, agency=agency_id, kind=kind, power_item=power_item_id, active=active
    )
    return [_list_entry(e) for e in _window(qs, limit, offset)]


@router.post(
    "/list-entries",
    response={201: ListEntryOut},
    summary="新增不予处罚 / 从轻减轻清单条目",
    auth=PermissionAuth("registry.manage"),
)
def list_entry_create(request, payload: ListEntryIn):
    entry = services.list_entry_save(
        by=request.auth,
        agency=selectors.agency_ref(user=request.auth, pk=payload.agency_id, field="agency_id"),
        kind=payload.kind,
        circumstances=payload.circumstances,
        legal_basis=payload.legal_basis,
        power_item=_power_item_ref(request, payload.power_item_id),
        ip=client_ip(request),
    )
    return Status(201, _list_entry(selectors.list_entry_get(user=request.auth, pk=entry.pk)))


@router.patch(
    "/list-entries/{entry_id}",
    response=ListEntryOut,
    summary="修改清单条目（只改给出的字段；停用用 is_active）",
    auth=PermissionAuth("registry.manage"),
)
def list_entry_update(request, entry_id: int, payload: ListEntryPatch):
    entry = selectors.list_entry_get(user=request.auth, pk=entry_id)
    given = payload.dict(exclude_unset=True)
    power_item = _power_item_ref(request, given["power_item_id"]) if "power_item_id" in given else entry.power_item
    services.list_entry_save(
        by=request.auth,
        instance=entry,
        agency=entry.agency,
        kind=given.get("kind") or entry.kind,
        circumstances=given["circumstances"] if given.get("circumstances") is not None else entry.circumstances,
        legal_basis=given["legal_basis"] if given.get("legal_basis") is not None else entry.legal_basis,
        power_item=power_item,
        is_active=entry.is_active if given.get("is_active") is None else given["is_active"],
        ip=client_ip(request),
    )
    return _list_entry(selectors.list_entry_get(user=request.auth, pk=entry_id))
