"""Every write of the enforcement registry and of cases. One transaction each."""

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from fazhi.core.audit import log_operation
from fazhi.core.errors import DomainError, Forbidden, NotFound
from fazhi.core.masking import mask_id_number
from fazhi.core.models import Unit, User
from fazhi.core.normalize import clean_text, parse_date
from fazhi.core.scope import has_permission, scope_q, user_data_scope
from fazhi.enforcement import stages as stage_rules
from fazhi.enforcement.checks import DATE_FIELDS, case_facts, check_date_order, money
from fazhi.enforcement.identifiers import clean_id_number, clean_uscc
from fazhi.enforcement.masking import party_display
from fazhi.enforcement.models import (
    Agency,
    Case,
    CaseCheck,
    CaseExtension,
    CaseHandler,
    Certificate,
    Disclosure,
    DiscretionTier,
    LegalBasis,
    ListEntry,
    Officer,
    PowerItem,
    TrainingRecord,
)
from fazhi.enforcement.rules import (
    CERTIFICATE_CITATION,
    CERTIFICATE_EXPIRY_DAYS,
    CERTIFICATE_EXPIRY_SOURCE,
    DECISION_DAYS,
    DECISION_SOURCE,
    DISCLOSURE_SOURCE,
    DISCLOSURE_WORKING_DAYS,
    ENTRUSTMENT_CITATION,
    PENALTY_KINDS,
    PENALTY_KINDS_CITATION,
    RULES,
    SERVICE_SOURCE,
    SERVICE_WORKING_DAYS,
    WARNING_WORKING_DAYS,
    check_case,
    decision_limit,
)
from fazhi.enforcement.selectors import case_scope_q, power_item_for_case
from fazhi.enforcement.tracking_kinds import CASE as CASE_KIND
from fazhi.enforcement.tracking_kinds import CASE_DISCLOSURE, CASE_SERVICE, CASE_WARNING

# ---------------------------------------------------------------- registry: agencies, power items, officers


def _require_manage(by, agency: Agency | None = None, *, unit: Unit | None = None) -> None:
    """The function permission, and the agency (or unit) inside the actor's data scope. `by=None` is the system."""
    if by is None:
        return
    from fazhi.enforcement.permissions import registry_actions

    if "manage" not in registry_actions(user=by):
        raise Forbidden()
    target = unit if unit is not None else (agency.unit if agency is not None else None)
    if target is not None and not Unit.objects.filter(scope_q(by, unit_field=""), pk=target.pk).exists():
        raise NotFound()


def _choice(value, choices, *, field: str, label: str) -> str:
    text = clean_text(value)
    for code, name in choices:
        if text in (code, name):
            return code
    raise DomainError(f"{label}“{text}”无效，应为：{'、'.join(n for _, n in choices)}", field=field)


def _amount(value, *, field: str, label: str, places: str = "0.01") -> Decimal | None:
    if value is None or clean_text(value) == "":
        return None
    try:
        amount = Decimal(clean_text(value).replace(",", ""))
    except InvalidOperation:
        raise DomainError(f"{label}“{clean_text(value)}”不是有效数字", field=field) from None
    if not amount.is_finite():
        raise DomainError(f"{label}不是有效数字", field=field)
    if amount < 0:
        raise DomainError(f"{label}不能为负数", field=field)
    if amount > Decimal("1e11"):
        raise DomainError(f"{label}超出合理范围", field=field)
    return amount.quantize(Decimal(places))


def _day(value, *, field: str, label: str) -> dt.date | None:
    if value is None or (not isinstance(value, dt.date) and clean_text(value) == ""):
        return None
    return parse_date(value, field=field, label=label)


@transaction.atomic
def agency_save(
    *,
    by,
    unit: Unit,
    legal_status: str = "statutory",
    entrusting_agency: Agency | None = None,
    jurisdiction: str = "",
    domains=(),
    is_active: bool = True,
    instance: Agency | None = None,
    ip=None,
) -> Agency:
    """执法主体: 法定 (by law), 授权 (authorised by a law or regulation) or 委托 (entrusted by an agency,
    which answers for the acts: 《行政处罚法》第二十条)."""
    if unit is None:
        raise DomainError("单位不能为空", field="unit")
    _require_manage(by, instance, unit=unit)
    legal_status = _choice(legal_status or "statutory", Agency.LEGAL_STATUSES, field="legal_status", label="主体资格")
    if not unit.is_active and getattr(instance, "unit_id", None) != unit.pk:
        raise DomainError(f"单位“{unit.name}”已停用", field="unit")
    clash = Agency.objects.filter(unit=unit).exclude(pk=getattr(instance, "pk", None)).first()
    if clash:
        raise DomainError(f"单位“{unit.name}”已登记为执法主体", field="unit")
    if legal_status == "entrusted":
        if entrusting_agency is None:
            raise DomainError(f"受委托组织须填写委托机关（{ENTRUSTMENT_CITATION}）", field="entrusting_agency")
        if instance is not None and entrusting_agency.pk == instance.pk:
            raise DomainError("委托机关不能是本主体", field="entrusting_agency")
        if entrusting_agency.legal_status == "entrusted":
            raise DomainError(f"“{entrusting_agency}”本身是受委托组织，不能再委托", field="entrusting_agency")
    else:
        entrusting_agency = None
    names = []
    for d in domains or []:
        d = clean_text(d)
        if d and d not in names:
            names.append(d)
    agency = instance or Agency()
    agency.unit, agency.legal_status, agency.entrusting_agency = unit, legal_status, entrusting_agency
    agency.jurisdiction, agency.domains, agency.is_active = clean_text(jurisdiction)[:200], names, is_active
    agency.save()
    log_operation(
        user=by,
        action="修改执法主体" if instance else "新增执法主体",
        obj=agency,
        summary=f"{unit.name}（{agency.get_legal_status_display()}）",
        ip=ip,
    )
    return agency


def _clean_bases(bases) -> list[dict]:
    out = []
    for i, b in enumerate(bases or []):
        law, article = clean_text(b.get("law")), clean_text(b.get("article"))
        if not law:
            raise DomainError(f"第 {i + 1} 条执法依据的法律法规名称不能为空", field=f"legal_bases.{i}.law")
        if not article:
            raise DomainError(f"第 {i + 1} 条执法依据（{law}）的条款不能为空", field=f"legal_bases.{i}.article")
        if not law.startswith("《"):
            law = f"《{law}》"
        out.append(
            {
                "law": law[:200],
                "article": article[:30],
                "clause": clean_text(b.get("clause"))[:30],
                "text": str(b.get("text") or "").strip(),
            }
        )
    if not out:
        raise DomainError("至少填写一条执法依据（法律法规名称和条款）", field="legal_bases")
    return out


def _clean_tiers(tiers) -> list[dict]:
    out = []
    for i, t in enumerate(tiers or []):
        pre = f"tiers.{i}"
        n = f"第 {i + 1} 个裁量阶次"
        level = _choice(t.get("level") or "", DiscretionTier.LEVELS, field=f"{pre}.level", label=f"{n}的阶次")
        circumstances = str(t.get("circumstances") or "").strip()
        if not circumstances:
            raise DomainError(f"{n}的适用情形不能为空", field=f"{pre}.circumstances")
        kinds = t.get("penalty_kinds") or []
        if isinstance(kinds, str):
            kinds = [k for k in clean_text(kinds).replace("，", "、").replace(",", "、").split("、") if k]
        kinds = [clean_text(k) for k in kinds]
        bad = [k for k in kinds if k not in PENALTY_KINDS]
        if bad:
            raise DomainError(
                f"{n}的处罚种类“{'、'.join(bad)}”无效，应为{PENALTY_KINDS_CITATION}所列：{'、'.join(PENALTY_KINDS)}",
                field=f"{pre}.penalty_kinds",
            )
        values = {}
        for key, label in (
            ("fine_min", "罚款下限"),
            ("fine_max", "罚款上限"),
            ("multiple_min", "违法所得倍数下限"),
            ("multiple_max", "违法所得倍数上限"),
        ):
            values[key] = _amount(t.get(key), field=f"{pre}.{key}", label=f"{n}的{label}")
        for low, high, label in (("fine_min", "fine_max", "罚款"), ("multiple_min", "multiple_max", "倍数")):
            if values[low] is not None and values[high] is not None and values[low] > values[high]:
                raise DomainError(f"{n}的{label}下限（{values[low]}）大于上限（{values[high]}）", field=f"{pre}.{high}")
        if (values["fine_min"] is not None or values["fine_max"] is not None) and "罚款" not in kinds:
            kinds.append("罚款")
        out.append(
            {
                "level": level,
                "name": clean_text(t.get("name"))[:50],
                "circumstances": circumstances,
                "penalty_kinds": list(dict.fromkeys(kinds)),
                **values,
            }
        )
    return out


@transaction.atomic
def power_item_save(
    *,
    by,
    agency: Agency | None,
    code: str,
    name: str,
    kind: str,
    major: bool = False,
    legal_bases: list[dict] | None = None,
    tiers: list[dict] | None = None,
    effective_from=None,
    is_active: bool = True,
    instance: PowerItem | None = None,
    ip=None,
    today: dt.date | None = None,
) -> PowerItem:
    """Create a power item (version 1), or edit a current one: that makes a new version and retires the old.

    A case keeps its foreign key to the version it was decided under. `legal_bases` / `tiers` of None on an
    edit copy those of the old version; a list replaces them.
    """
    if instance is not None:
        instance = PowerItem.objects.select_for_update().get(pk=instance.pk)
        if not instance.is_current:
            raise DomainError(
                f"“{instance.code}”第 {instance.version} 版已被新版本取代，只能修改现行版本", field="code"
            )
        agency = agency or instance.agency
    if agency is None:
        raise DomainError("实施主体不能为空", field="agency")
    _require_manage(by, agency)
    code, name = clean_text(code), clean_text(name)
    if not code:
        raise DomainError("事项编码不能为空", field="code")
    if len(code) > 50:
        raise DomainError("事项编码不能超过 50 个字符", field="code")
    if not name:
        raise DomainError("事项名称不能为空", field="name")
    kind = _choice(kind, PowerItem.KINDS, field="kind", label="事项类型")
    if not agency.is_active:
        raise DomainError(f"执法主体“{agency}”已停用", field="agency")
    if instance is not None:
        if instance.agency_id != agency.pk:
            raise DomainError("实施主体不能修改：请在新主体下新增事项", field="agency")
        if instance.code != code:
            raise DomainError("事项编码不能修改（版本按编码归集）", field="code")
    elif PowerItem.objects.filter(agency=agency, code=code).exists():
        raise DomainError(f"事项编码“{code}”已存在，请修改原事项（将生成新版本）", field="code")
    if legal_bases is None and instance is not None:
        bases = list(instance.legal_bases.values("law", "article", "clause", "text"))
    else:
        bases = _clean_bases(legal_bases)
    if tiers is None and instance is not None:
        tier_rows = list(
            instance.tiers.values(
                "level",
                "name",
                "circumstances",
                "penalty_kinds",
                "fine_min",
                "fine_max",
                "multiple_min",
                "multiple_max",
            )
        )
    else:
        tier_rows = _clean_tiers(tiers)
    effective = _day(effective_from, field="effective_from", label="生效日期") or today or timezone.localdate()
    version = 1
    if instance is not None:
        version = max(PowerItem.objects.filter(agency=agency, code=code).values_list("version", flat=True)) + 1
        PowerItem.objects.filter(agency=agency, code=code, is_current=True).update(is_current=False)
    item = PowerItem.objects.create(
        agency=agency,
        code=code,
        version=version,
        is_current=True,
        name=name[:200],
        kind=kind,
        major=bool(major),
        effective_from=effective,
        is_active=is_active,
    )
    LegalBasis.objects.bulk_create(LegalBasis(power_item=item, **b) for b in bases)
    DiscretionTier.objects.bulk_create(
        DiscretionTier(power_item=item, sort_order=i, **t) for i, t in enumerate(tier_rows)
    )
    log_operation(
        user=by,
        action="修改权责清单事项" if instance else "新增权责清单事项",
        obj=item,
        summary=f"{code} {name} 第 {version} 版",
        ip=ip,
    )
    return item


@transaction.atomic
def power_item_extend(
    *, by, item: PowerItem, legal_bases: list[dict] = (), tiers: list[dict] = (), ip=None
) -> PowerItem:
    """Add legal bases and tiers to a version that no case uses yet (the continuation rows of an import).
    Once a case is decided under a version it only changes by a new version (`power_item_save`)."""
    item = PowerItem.objects.select_for_update().get(pk=item.pk)
    _require_manage(by, item.agency)
    if not item.is_current:
        raise DomainError(f"“{item.code}”第 {item.version} 版已被新版本取代", field="code")
    if item.cases.exists():
        raise DomainError(f"已有案件适用“{item.code}”第 {item.version} 版，请修改事项生成新版本", field="code")
    bases = _clean_bases(legal_bases) if legal_bases else []
    tier_rows = _clean_tiers(tiers) if tiers else []
    LegalBasis.objects.bulk_create(LegalBasis(power_item=item, **b) for b in bases)
    start = item.tiers.count()
    DiscretionTier.objects.bulk_create(
        DiscretionTier(power_item=item, sort_order=start + i, **t) for i, t in enumerate(tier_rows)
    )
    log_operation(
        user=by,
        action="补充权责清单事项",
        obj=item,
        summary=f"{item.code} 第 {item.version} 版：依据 {len(bases)} 条，阶次 {len(tier_rows)} 个",
        ip=ip,
    )
    return item


@transaction.atomic
def list_entry_save(
    *,
    by,
    agency: Agency,
    kind: str,
    circumstances: str,
    legal_basis: str,
    power_item: PowerItem | None = None,
    is_active: bool = True,
    instance: ListEntry | None = None,
    ip=None,
) -> ListEntry:
    """不予处罚清单 (《行政处罚法》第三十三条) and 从轻减轻处罚清单 (第三十二条) entries of an agency."""
    if agency is None:
        raise DomainError("执法主体不能为空", field="agency")
    _require_manage(by, agency)
    kind = _choice(kind, ListEntry.KINDS, field="kind", label="清单类型")
    circumstances, legal_basis = str(circumstances or "").strip(), clean_text(legal_basis)
    if not circumstances:
        raise DomainError("适用情形不能为空", field="circumstances")
    if not legal_basis:
        raise DomainError("依据不能为空", field="legal_basis")
    if power_item is not None and power_item.agency_id != agency.pk:
        raise DomainError(f"事项“{power_item}”不属于“{agency}”", field="power_item")
    entry = instance or ListEntry()
    entry.agency, entry.kind, entry.power_item = agency, kind, power_item
    entry.circumstances, entry.legal_basis, entry.is_active = circumstances, legal_basis[:300], is_active
    entry.save()
    log_operation(
        user=by,
        action="修改裁量清单" if instance else "新增裁量清单",
        obj=entry,
        summary=f"{agency} {entry.get_kind_display()}",
        ip=ip,
    )
    return entry


@transaction.atomic
def officer_save(
    *,
    by,
    agency: Agency | None,
    name: str,
    id_number: str,
    post: str = "",
    user: User | None = None,
    is_active: bool = True,
    instance: Officer | None = None,
    ip=None,
) -> Officer:
    if agency is None:
        raise DomainError("所属执法主体不能为空", field="agency")
    _require_manage(by, agency)
    if instance is not None and instance.agency_id != agency.pk:
        _require_manage(by, instance.agency)
    name = clean_text(name)
    if not name:
        raise DomainError("姓名不能为空", field="name")
    if len(name) > 50:
        raise DomainError("姓名不能超过 50 个字符", field="name")
    if not clean_text(id_number):
        raise DomainError("身份证号不能为空", field="id_number")
    number = clean_id_number(id_number, field="id_number")
    if Officer.objects.filter(id_number=number).exclude(pk=getattr(instance, "pk", None)).exists():
        raise DomainError(
            f"身份证号“{mask_id_number(number)}”已登记为执法人员，不能重复登记（人员调动请修改原记录的所属执法主体）",
            field="id_number",
        )
    if user is not None and Officer.objects.filter(user=user).exclude(pk=getattr(instance, "pk", None)).exists():
        raise DomainError(f"用户“{user.username}”已关联其他执法人员", field="user")
    if not agency.is_active and getattr(instance, "agency_id", None) != agency.pk:
        raise DomainError(f"执法主体“{agency}”已停用", field="agency")
    officer = instance or Officer()
    officer.agency, officer.name, officer.id_number = agency, name, number
    officer.post, officer.user, officer.is_active = clean_text(post)[:50], user, is_active
    officer.save()
    # The ID number itself never goes into the log.
    log_operation(
        user=by,
        action="修改执法人员" if instance else "新增执法人员",
        obj=officer,
        summary=f"{name}（{agency}）",
        ip=ip,
    )
    return officer


@transaction.atomic
def certificate_save(
    *,
    by,
    officer: Officer,
    number: str,
    valid_from,
    valid_to,
    issuer: str = "",
    status: str = "active",
    instance: Certificate | None = None,
    ip=None,
) -> Certificate:
    """行政执法证: unique number, validity in order. Saving a newer certificate closes the expiry reminder."""
    if officer is None:
        raise DomainError("执法人员不能为空", field="officer")
    _require_manage(by, officer.agency)
    number = clean_text(number).upper().replace(" ", "")
    if not number:
        raise DomainError("证件编号不能为空", field="number")
    if len(number) > 40:
        raise DomainError("证件编号不能超过 40 个字符", field="number")
    start = _day(valid_from, field="valid_from", label="有效期起")
    end = _day(valid_to, field="valid_to", label="有效期止")
    if start is None:
        raise DomainError("有效期起不能为空", field="valid_from")
    if end is None:
        raise DomainError("有效期止不能为空", field="valid_to")
    if end < start:
        raise DomainError(f"有效期止（{end}）不能早于有效期起（{start}）", field="valid_to")
    status = _choice(status or "active", Certificate.STATUSES, field="status", label="证件状态")
    if Certificate.objects.filter(number=number).exclude(pk=getattr(instance, "pk", None)).exists():
        raise DomainError(f"证件编号“{number}”已存在", field="number")
    cert = instance or Certificate(officer=officer)
    cert.number, cert.issuer, cert.valid_from, cert.valid_to = number, clean_text(issuer)[:100], start, end
    cert.status = status
    cert.save()
    log_operation(
        user=by,
        action="修改执法证" if instance else "新增执法证",
        obj=cert,
        summary=f"{officer.name} {number} {start}—{end}",
        ip=ip,
    )
    certificates_expiry_close(officer=officer, by=by)
    return cert


@transaction.atomic
def certificate_set_status(*, by, certificate: Certificate, status: str, reason: str = "", ip=None) -> Certificate:
    _require_manage(by, certificate.officer.agency)
    status = _choice(status, Certificate.STATUSES, field="status", label="证件状态")
    reason = clean_text(reason)
    if status != "active" and not reason:
        raise DomainError("暂扣或吊销执法证须说明理由", field="reason")
    old = certificate.get_status_display()
    certificate.status = status
    certificate.save(update_fields=["status"])
    log_operation(
        user=by,
        action="变更执法证状态",
        obj=certificate,
        summary=f"{certificate.number}：{old} → {certificate.get_status_display()} {reason}",
        ip=ip,
    )
    certificates_expiry_close(officer=certificate.officer, by=by)
    return certificate


@transaction.atomic
def training_record_save(
    *,
    by,
    officer: Officer,
    year,
    hours,
    exam_score=None,
    exam_passed: bool | None = None,
    ip=None,
    today: dt.date | None = None,
) -> TrainingRecord:
    """One record per officer and year: saving a year that exists updates it."""
    if officer is None:
        raise DomainError("执法人员不能为空", field="officer")
    _require_manage(by, officer.agency)
    try:
        year = int(clean_text(year))
    except ValueError:
        raise DomainError(f"年度“{clean_text(year)}”不是有效年份", field="year") from None
    if not 1990 <= year <= (today or timezone.localdate()).year + 1:
        raise DomainError(f"年度“{year}”超出范围", field="year")
    hours_value = _amount(hours, field="hours", label="培训学时", places="0.1")
    if hours_value is None:
        raise DomainError("培训学时不能为空", field="hours")
    if hours_value > 2000:
        raise DomainError("培训学时超出合理范围（一年不超过 2000 学时）", field="hours")
    score = _amount(exam_score, field="exam_score", label="考试成绩", places="0.1")
    if score is not None and score > 100:
        raise DomainError("考试成绩应在 0–100 之间", field="exam_score")
    record, created = TrainingRecord.objects.update_or_create(
        officer=officer,
        year=year,
        defaults={
            "hours": hours_value,
            "exam_score": score,
            "exam_passed": exam_passed if exam_passed is not None or score is None else score >= 60,
        },
    )
    log_operation(
        user=by,
        action="登记培训考试" if created else "修改培训考试",
        obj=record,
        summary=f"{officer.name} {year} 年 {hours_value} 学时",
        ip=ip,
    )
    return record


def _newer_certificate_q() -> Exists:
    return Exists(
        Certificate.objects.filter(
            officer=OuterRef("officer"), status="active", valid_to__gt=OuterRef("valid_to")
        ).exclude(pk=OuterRef("pk"))
    )


def certificates_expiry_close(*, officer: Officer | None = None, by=None) -> int:
    """Close the open expiry items of certificates that were renewed (a newer active certificate), revoked,
    suspended or whose officer left. Returns how many were closed."""
    from fazhi.tracking.services import item_close

    qs = (
        Certificate.objects.filter(expiry_item__isnull=False)
        .exclude(expiry_item__status="closed")
        .annotate(renewed=_newer_certificate_q())
        .filter(Q(renewed=True) | ~Q(status="active") | Q(officer__is_active=False))
        .select_related("expiry_item", "officer")
    )
    if officer is not None:
        qs = qs.filter(officer=officer)
    closed = 0
    for cert in qs:
        if cert.renewed:
            newer = (
                Certificate.objects.filter(officer=cert.officer_id, status="active", valid_to__gt=cert.valid_to)
                .order_by("-valid_to")
                .first()
            )
            comment = f"已换发新证 {newer.number}（有效期至 {newer.valid_to:%Y-%m-%d}）"
        elif cert.status != "active":
            comment = f"证件已{cert.get_status_display()}，不再提醒换证"
        else:
            comment = "执法人员已不在岗，不再提醒换证"
        item_close(item=cert.expiry_item, by=by, comment=comment)
        closed += 1
    return closed


@transaction.atomic
def certificates_expiry_scan(today: dt.date | None = None) -> dict:
    """Open a 督办 item for every active certificate that expires within 30 days and has not been renewed,
    in its agency's inbox, with the expiry day as the deadline; close those renewed. Idempotent."""
    from fazhi.tracking.services import item_open

    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=CERTIFICATE_EXPIRY_DAYS)
    due = (
        Certificate.objects.filter(
            status="active",
            officer__is_active=True,
            expiry_item__isnull=True,
            valid_to__gte=today,
            valid_to__lte=horizon,
        )
        .annotate(renewed=_newer_certificate_q())
        .filter(renewed=False)
        .select_related("officer__agency__unit")
        .order_by("valid_to", "id")
    )
    opened = 0
    for cert in due:
        officer = cert.officer
        item = item_open(
            kind="certificate_expiry",
            by=None,
            start=today,
            limit_kind="fixed",
            deadline=cert.valid_to,
            title=f"执法证即将到期：{officer.name}（证号 {cert.number}，{cert.valid_to:%Y-%m-%d} 到期）",
            unit=officer.agency.unit,
            deadline_source=CERTIFICATE_EXPIRY_SOURCE,
            url=reverse("enforcement:officer_detail", args=[officer.pk]),
            comment=f"请在有效期届满前办理换证，到期未换证的人员不得从事行政执法活动（{CERTIFICATE_CITATION}）。",
        )
        Certificate.objects.filter(pk=cert.pk).update(expiry_item=item)
        opened += 1
    return {"opened": opened, "closed": certificates_expiry_close()}


# ---------------------------------------------------------------- cases

# Extra date pairs of the case record beyond checks.ORDER: the notice (告知) falls between filing and decision.
CASE_DATE_LABELS = {**DATE_FIELDS, "notified_on": "告知日期", "executed_on": "执行完毕日期", "closed_on": "结案日期"}
CASE_ORDER = [
    ("filed_on", "notified_on"),
    ("notified_on", "hearing_notice_on"),
    ("notified_on", "decided_on"),
    ("hearing_on", "decided_on"),
    ("served_on", "executed_on"),
    ("decided_on", "executed_on"),
    ("filed_on", "closed_on"),
    ("decided_on", "closed_on"),
    ("served_on", "closed_on"),
    ("executed_on", "closed_on"),
]


def _case_today() -> dt.date:
    return timezone.localdate()


def _case_require(by, case: Case | None = None, *, perm: str = "case.handle") -> None:
    """The function permission, and the case inside the actor's scope (404 outside). `by=None` is the system."""
    if by is None:
        return
    if not has_permission(by, perm):
        raise Forbidden()
    if case is not None and case.pk and not Case.objects.filter(case_scope_q(by), pk=case.pk).exists():
        raise NotFound()


def _case_day(data: dict, key: str, *, required: bool = False) -> dt.date | None:
    label = CASE_DATE_LABELS.get(key, key)
    value = data.get(key)
    if value is None or (not isinstance(value, dt.date) and clean_text(value) == ""):
        if required:
            raise DomainError(f"{label}不能为空", field=key)
        return None
    day = parse_date(value, field=key, label=label)
    if day > _case_today():
        raise DomainError(f"{label}（{day}）不能晚于今天", field=key)
    return day


def _case_check_dates(case: Case) -> None:
    dates = {key: getattr(case, key) for key in CASE_DATE_LABELS}
    check_date_order(dates)
    for earlier, later in CASE_ORDER:
        a, b = dates.get(earlier), dates.get(later)
        if a and b and b < a:
            raise DomainError(
                f"{CASE_DATE_LABELS[later]}（{b}）不能早于{CASE_DATE_LABELS[earlier]}（{a}）", field=later
            )


def _case_party(case: Case, data: dict) -> None:
    kind = clean_text(data.get("party_kind"))
    kinds = dict(Case.PARTY_KINDS)
    for code, label in Case.PARTY_KINDS:
        if kind == label:
            kind = code
    if kind not in kinds:
        raise DomainError("当事人类型应为“自然人”或“法人或其他组织”", field="party_kind")
    name = clean_text(data.get("party_name"))
    if not name:
        raise DomainError("当事人名称不能为空", field="party_name")
    if len(name) > 100:
        raise DomainError("当事人名称不能超过 100 字", field="party_name")
    case.party_kind, case.party_name = kind, name
    if kind == "person":
        if not clean_text(data.get("party_id_number")):
            raise DomainError("当事人为自然人的，身份证号不能为空", field="party_id_number")
        case.party_id_number, case.party_uscc = clean_id_number(data["party_id_number"], field="party_id_number"), ""
    else:
        if not clean_text(data.get("party_uscc")):
            raise DomainError("当事人为法人或其他组织的，统一社会信用代码不能为空", field="party_uscc")
        case.party_uscc, case.party_id_number = clean_uscc(data["party_uscc"], field="party_uscc"), ""


def _case_handlers(*, agency: Agency, by, handlers) -> list[Officer]:
    """Officers of the handling agency, at least one, each once (the two-officer rule is a check, not a block)."""
    officers = []
    for value in handlers or []:
        pk = getattr(value, "pk", value)
        officer = Officer.objects.filter(pk=pk).select_related("agency__unit").first() if str(pk).isdigit() else None
        if officer is None:
            raise DomainError(f"执法人员“{value}”不存在", field="handlers")
        if officer.agency_id != agency.pk:
            raise DomainError(f"执法人员“{officer.name}”不属于办案机关“{agency}”，不能承办本案", field="handlers")
        if not officer.is_active:
            raise DomainError(f"执法人员“{officer.name}”已不在岗", field="handlers")
        if officer not in officers:
            officers.append(officer)
    if not officers:
        raise DomainError("请选择承办本案的执法人员", field="handlers")
    if by is not None and user_data_scope(by) == "self" and not any(o.user_id == by.pk for o in officers):
        raise DomainError("承办人员须包含本人", field="handlers")
    return officers


def _case_number(agency: Agency, day: dt.date) -> str:
    prefix = f"{agency.unit.short_name or agency.unit.name}立〔{day.year}〕"
    n = Case.objects.filter(agency=agency, filed_on__year=day.year).count() + 1
    while Case.objects.filter(number=f"{prefix}{n}号").exists():
        n += 1
    return f"{prefix}{n}号"


def _case_attachments(*, by, attachments) -> list:
    """Stored files (SM3 and size) for a stage event: uploads are stored here, stored rows are kept."""
    from fazhi.core.attachments import attachments_store
    from fazhi.core.models import Attachment

    attachments = list(attachments or [])
    # Every upload is checked before any is stored: a refused file leaves none of the others behind.
    uploads = iter(attachments_store(files=[a for a in attachments if not isinstance(a, Attachment)], by=by))
    return [a if isinstance(a, Attachment) else next(uploads) for a in attachments]


def _case_event(
    case: Case, *, by, action: str, label: str, comment: str = "", data: dict | None = None, attachments=()
) -> None:
    """One step on the case's timeline. The case's item closes at the decision (its 第六十条 clock is done);
    the later steps are still appended to its chain, so the whole-process record stays in one place."""
    from fazhi.tracking.services import item_annotate, item_record

    if case.item_id is None:
        return
    write = item_annotate if case.item.status == "closed" else item_record
    write(
        item=case.item,
        by=by,
        action=action,
        label=label,
        comment=clean_text(comment)[:2000],
        data=data or {},
        attachments=_case_attachments(by=by, attachments=attachments),
    )


@transaction.atomic
def case_file(
    *,
    by,
    agency: Agency | None = None,
    power_item,
    title: str,
    party_kind: str,
    party_name: str,
    filed_on,
    handlers,
    procedure: str = "general",
    number: str = "",
    party_id_number: str = "",
    party_uscc: str = "",
    violation_ended_on=None,
    limitation_extended: bool = False,
    major: bool = False,
    comment: str = "",
    attachments=(),
    ip=None,
) -> Case:
    """立案: the case, its handlers and its tracked item with the 90-day decision limit (第六十条)."""
    from fazhi.tracking.services import item_open

    _case_require(by)
    if agency is None:
        agency = Agency.objects.filter(unit_id=getattr(by, "unit_id", None)).select_related("unit").first()
        if agency is None:
            raise DomainError("当前用户所在单位不是执法主体，不能立案", field="agency")
    if by is not None and not Agency.objects.filter(scope_q(by, unit_field="unit"), pk=agency.pk).exists():
        raise DomainError(f"不能为“{agency}”立案：不在本人管辖范围内", field="agency")
    case = Case(agency=agency, created_by=by if getattr(by, "pk", None) else None)
    item = power_item_for_case(agency=agency, pk=getattr(power_item, "pk", power_item))
    if item.kind != "penalty":
        raise DomainError(f"执法事项“{item}”不是行政处罚事项", field="power_item")
    case.power_item = item
    case.title = clean_text(title)
    if not case.title:
        raise DomainError("案由不能为空", field="title")
    if procedure not in dict(Case.PROCEDURES):
        raise DomainError("程序应为普通程序或简易程序", field="procedure")
    case.procedure = procedure
    _case_party(
        case,
        {
            "party_kind": party_kind,
            "party_name": party_name,
            "party_id_number": party_id_number,
            "party_uscc": party_uscc,
        },
    )
    case.filed_on = _case_day({"filed_on": filed_on}, "filed_on", required=True)
    case.violation_ended_on = _case_day({"violation_ended_on": violation_ended_on}, "violation_ended_on")
    case.limitation_extended, case.major = bool(limitation_extended), bool(major)
    officers = _case_handlers(agency=agency, by=by, handlers=handlers)
    _case_check_dates(case)
    number = clean_text(number)
    if number and Case.objects.filter(number=number).exists():
        raise DomainError(f"案号“{number}”已存在", field="number")
    case.number = number or _case_number(agency, case.filed_on)
    case.save()
    CaseHandler.objects.bulk_create([CaseHandler(case=case, officer=o) for o in officers])
    case.item = item_open(
        kind=CASE_KIND.code,
        title=f"{case.number} {case.title}"[:200],
        unit=agency.unit,
        by=by,
        start=case.filed_on,
        limit_kind="calendar",
        limit_days=DECISION_DAYS,
        deadline_source=DECISION_SOURCE,
        url=reverse("enforcement:case_detail", args=[case.pk]),
        comment=clean_text(comment),
    )
    case.save(update_fields=["item"])
    _case_event(
        case,
        by=by,
        action="filed",
        label="立案",
        comment=comment,
        attachments=attachments,
        data={
            "stage": "filed",
            "date": case.filed_on.isoformat(),
            "handlers": [o.name for o in officers],
            "power_item": str(item),
        },
    )
    log_operation(user=by, action="行政处罚立案", obj=case, summary=f"{case.number} {case.title}", ip=ip)
    case_run_checks(case=case, by=by)
    return case


CASE_EDITABLE = (
    "title",
    "party_kind",
    "party_name",
    "party_id_number",
    "party_uscc",
    "violation_ended_on",
    "limitation_extended",
    "major",
    "handlers",
    "power_item",
    "procedure",
)


@transaction.atomic
def case_update(*, by, case: Case, data: dict, ip=None) -> Case:
    """Correct the case record (案由, 当事人, 执法人员, …). Executed decisions are not edited here."""
    _case_require(by, case)
    case = _case_lock(case)
    if case.stage == "closed":
        raise DomainError("案件已结案，不能修改", field="stage")
    unknown = set(data) - set(CASE_EDITABLE)
    if unknown:
        raise DomainError(f"不能修改字段：{'、'.join(sorted(unknown))}", field=sorted(unknown)[0])
    changed = []
    if "title" in data:
        title = clean_text(data["title"])
        if not title:
            raise DomainError("案由不能为空", field="title")
        if title != case.title:
            case.title = title
            changed.append("案由")
    if any(k in data for k in ("party_kind", "party_name", "party_id_number", "party_uscc")):
        before = (case.party_kind, case.party_name, case.party_id_number, case.party_uscc)
        _case_party(
            case,
            {
                "party_kind": data.get("party_kind", case.party_kind),
                "party_name": data.get("party_name", case.party_name),
                "party_id_number": data.get("party_id_number", case.party_id_number),
                "party_uscc": data.get("party_uscc", case.party_uscc),
            },
        )
        if before != (case.party_kind, case.party_name, case.party_id_number, case.party_uscc):
            changed.append("当事人")
    if "violation_ended_on" in data:
        day = _case_day(data, "violation_ended_on")
        if day != case.violation_ended_on:
            case.violation_ended_on = day
            changed.append("违法行为终了日期")
    for key, label in (("limitation_extended", "追责时效情形"), ("major", "重大执法决定")):
        if key in data and bool(data[key]) != getattr(case, key):
            setattr(case, key, bool(data[key]))
            changed.append(label)
    if "procedure" in data and data["procedure"] != case.procedure:
        if data["procedure"] not in dict(Case.PROCEDURES):
            raise DomainError("程序应为普通程序或简易程序", field="procedure")
        if case.stage != "filed":
            raise DomainError("已进入后续阶段的案件不能变更程序", field="procedure")
        case.procedure = data["procedure"]
        changed.append("程序")
    if "power_item" in data and str(getattr(data["power_item"], "pk", data["power_item"])) != str(case.power_item_id):
        if case.decided_on:
            raise DomainError("已作出决定的案件不能变更执法事项", field="power_item")
        item = power_item_for_case(agency=case.agency, pk=getattr(data["power_item"], "pk", data["power_item"]))
        if item.kind != "penalty":
            raise DomainError(f"执法事项“{item}”不是行政处罚事项", field="power_item")
        case.power_item = item
        changed.append("执法事项")
    officers = None
    if "handlers" in data:
        officers = _case_handlers(agency=case.agency, by=by, handlers=data["handlers"])
        if {o.pk for o in officers} != set(case.casehandler_set.values_list("officer_id", flat=True)):
            changed.append("执法人员")
        else:
            officers = None
    _case_check_dates(case)
    if not changed:
        return case
    case.save()
    if officers is not None:
        case.casehandler_set.all().delete()
        CaseHandler.objects.bulk_create([CaseHandler(case=case, officer=o) for o in officers])
    _case_event(
        case,
        by=by,
        action="updated",
        label="修改案件信息",
        comment="修改：" + "、".join(changed),
        data={"changed": changed},
    )
    log_operation(user=by, action="修改行政处罚案件", obj=case, summary=f"{case.number}：{'、'.join(changed)}", ip=ip)
    case_run_checks(case=case, by=by)
    return case


def _case_lock(case: Case) -> Case:
    return (
        Case.objects.select_for_update(of=("self",))
        .select_related("agency__unit", "power_item", "item", "service_item", "disclosure_item")
        .get(pk=case.pk)
    )


def _case_enter(case: Case, stage: str) -> None:
    allowed = stage_rules.next_stages(case)
    if stage not in allowed:
        now = stage_rules.STAGE_LABELS.get(case.stage, case.stage)
        target = stage_rules.STAGE_LABELS.get(stage, stage)
        hint = "、".join(stage_rules.STAGE_LABELS[s] for s in allowed) or "无"
        reason = stage_rules.blocked_reason(case, stage)
        raise DomainError(f"案件当前处于“{now}”阶段，不能进入“{target}”{reason}（可进入：{hint}）", field="stage")


@transaction.atomic
def case_advance(*, case: Case, by, stage: str, data: dict | None = None, attachments=(), ip=None) -> Case:
    """Move a case to its next stage, in the statutory order (stages.next_stages), with the stage's record."""
    data = dict(data or {})
    handlers = {
        "decision": case_decide,
        "service": case_serve,
        "disclosure": case_disclose,
        "closed": case_close,
    }
    if stage in handlers:
        result = handlers[stage](case=case, by=by, data=data, attachments=attachments, ip=ip)
        return result.case if isinstance(result, Disclosure) else result
    if stage not in stage_rules.STAGE_LABELS:
        raise DomainError(f"阶段“{stage}”无效", field="stage")
    _case_require(by, case)
    case = _case_lock(case)
    _case_enter(case, stage)
    record: dict = {"stage": stage}
    if stage == "investigation":
        day = _case_day(data, "date") or _case_today()
        if day < case.filed_on:
            raise DomainError(f"调查取证日期（{day}）不能早于立案日期（{case.filed_on}）", field="date")
        record["date"] = day.isoformat()
    elif stage == "notice":
        case.notified_on = _case_day(data, "notified_on", required=True)
        case.hearing_requested = bool(data.get("hearing_requested"))
        record.update(date=case.notified_on.isoformat(), hearing_requested=case.hearing_requested)
    elif stage == "hearing":
        case.hearing_notice_on = _case_day(data, "hearing_notice_on", required=True)
        value = data.get("hearing_on")
        if value in (None, ""):
            raise DomainError("听证日期不能为空", field="hearing_on")
        case.hearing_on = parse_date(value, field="hearing_on", label="听证日期")
        if case.hearing_on > _case_today():
            raise DomainError(f"听证日期（{case.hearing_on}）不能晚于今天：听证举行后再登记", field="hearing_on")
        record.update(hearing_notice_on=case.hearing_notice_on.isoformat(), date=case.hearing_on.isoformat())
    elif stage == "legal_review":
        case.legal_review_on = _case_day(data, "legal_review_on", required=True)
        if not clean_text(data.get("comment")):
            raise DomainError("请填写法制审核意见", field="comment")
        record["date"] = case.legal_review_on.isoformat()
    elif stage == "execution":
        case.executed_on = _case_day(data, "executed_on", required=True)
        record["date"] = case.executed_on.isoformat()
    _case_check_dates(case)
    case.stage = stage
    case.save()
    _case_event(
        case,
        by=by,
        action=f"stage_{stage}",
        label=stage_rules.STAGE_LABELS[stage],
        comment=data.get("comment") or "",
        data=record,
        attachments=attachments,
    )
    if stage == "execution":  # 公示 skipped (第四十八条: only decisions with some social impact): its clock ends
        _case_clock_close(case.disclosure_item, by=by, done_on=case.executed_on, label="未公示，进入执行")
    log_operation(user=by, action=f"案件{stage_rules.STAGE_LABELS[stage]}", obj=case, summary=case.number, ip=ip)
    case_run_checks(case=case, by=by)
    return case


@transaction.atomic
def case_attach(*, case: Case, by, attachments, comment: str = "", ip=None) -> list:
    """补充材料: files added to an open case's timeline outside a stage change (each checked by type and size,
    stored with its SM3 digest by `core.attachments`)."""
    _case_require(by, case)
    case = _case_lock(case)
    files = list(attachments or [])
    if not files:
        raise DomainError("请选择要上传的附件", field="attachments")
    if case.item_id is None or case.stage == "closed":
        raise DomainError("案件已结案，不能再补充材料", field="attachments")
    stored = _case_attachments(by=by, attachments=files)
    _case_event(
        case,
        by=by,
        action="case_attachments",
        label="补充材料",
        comment=comment,
        data={"count": len(stored)},
        attachments=stored,
    )
    log_operation(user=by, action="案件补充材料", obj=case, summary=f"{case.number}：{len(stored)} 个附件", ip=ip)
    return stored


def _case_tier(case: Case, value) -> DiscretionTier | None:
    if value in (None, ""):
        return None
    pk = getattr(value, "pk", value)
    tier = (
        DiscretionTier.objects.filter(
            pk=pk, power_item__code=case.power_item.code, power_item__agency_id=case.agency_id
        ).first()
        if str(pk).isdigit()
        else None
    )
    if tier is None:
        raise DomainError("裁量阶次不存在或不属于本案执法事项", field="tier")
    return tier


@transaction.atomic
def case_decide(*, case: Case, by, data: dict, attachments=(), ip=None) -> Case:
    """决定: number, date and outcome — penalty kinds, fine and discretion tier, or 不予处罚 citing the
    exemption list entry (《行政处罚法》第三十三条)."""
    _case_require(by, case)
    case = _case_lock(case)
    _case_enter(case, "decision")
    outcome = data.get("outcome") or "penalty"
    if outcome not in dict(Case.OUTCOMES):
        raise DomainError("处理结果应为给予处罚或不予处罚", field="outcome")
    number = clean_text(data.get("decision_number"))
    if not number:
        raise DomainError("决定书文号不能为空", field="decision_number")
    if len(number) > 80:
        raise DomainError("决定书文号不能超过 80 字", field="decision_number")
    case.decided_on = _case_day(data, "decided_on", required=True)
    case.outcome, case.decision_number = outcome, number
    if outcome == "penalty":
        kinds = data.get("penalty_kinds") or []
        if isinstance(kinds, str):
            kinds = [k for k in re.split(r"[、,，;；\s]+", clean_text(kinds)) if k]
        bad = [k for k in kinds if k not in PENALTY_KINDS]
        if bad:
            raise DomainError(f"处罚种类“{bad[0]}”无效，应为：{'、'.join(PENALTY_KINDS)}", field="penalty_kinds")
        if not kinds:
            raise DomainError("请选择处罚种类", field="penalty_kinds")
        fine = money(data.get("fine"), field="fine", label="罚款金额")
        if "罚款" in kinds and fine is None:
            raise DomainError("处罚种类含罚款的，罚款金额不能为空", field="fine")
        if "罚款" not in kinds and fine is not None:
            raise DomainError("处罚种类不含罚款，不应填写罚款金额", field="fine")
        case.penalty_kinds, case.fine = list(dict.fromkeys(kinds)), fine
        case.tier, case.list_entry = _case_tier(case, data.get("tier")), None
    else:
        pk = getattr(data.get("list_entry"), "pk", data.get("list_entry"))
        entry = (
            ListEntry.objects.filter(pk=pk, agency_id=case.agency_id, kind="exempt", is_active=True).first()
            if str(pk or "").isdigit()
            else None
        )
        if entry is None:
            raise DomainError("不予处罚须引用本机关不予处罚清单中的适用情形", field="list_entry")
        case.list_entry, case.penalty_kinds, case.fine, case.tier = entry, [], None, None
    _case_check_dates(case)
    case.stage = "decision"
    case.save()
    summary = (
        f"不予处罚（{case.list_entry.legal_basis}）"
        if outcome == "no_penalty"
        else "、".join(case.penalty_kinds) + (f"，罚款 {case.fine} 元" if case.fine is not None else "")
    )
    _case_event(
        case,
        by=by,
        action="stage_decision",
        label="作出决定",
        comment=data.get("comment") or summary,
        attachments=attachments,
        data={
            "stage": "decision",
            "date": case.decided_on.isoformat(),
            "decision_number": number,
            "outcome": outcome,
            "penalty_kinds": case.penalty_kinds,
            "fine": str(case.fine) if case.fine is not None else None,
        },
    )
    from fazhi.tracking.services import item_close

    if case.item_id and case.item.status != "closed":
        # 第六十条's clock stops on the decision's date, whenever the decision is entered.
        case.item = item_close(
            item=case.item, by=by, closed_on=case.decided_on, label="作出决定", comment=f"决定书 {number}"
        )
    case.service_item = _case_service_clock_open(case, by=by)
    case.save(update_fields=["service_item"])
    log_operation(user=by, action="作出行政处罚决定", obj=case, summary=f"{case.number} {number} {summary}", ip=ip)
    case_run_checks(case=case, by=by)
    return case


def _case_service_clock_open(case: Case, *, by):
    """送达 within 7 working days of the decision (《行政处罚法》第六十一条)."""
    return _case_clock_open(
        case, by=by, kind=CASE_SERVICE.code, label="送达", days=SERVICE_WORKING_DAYS, source=SERVICE_SOURCE
    )


def _case_disclosure_clock_open(case: Case, *, by):
    """公示 within 7 working days of the decision (国办发〔2018〕118号)."""
    return _case_clock_open(
        case,
        by=by,
        kind=CASE_DISCLOSURE.code,
        label="公示",
        days=DISCLOSURE_WORKING_DAYS["penalty"],
        source=DISCLOSURE_SOURCE,
    )


def _case_clock_open(case: Case, *, by, kind: str, label: str, days: int, source: str):
    """Open the tracked item of a statutory clock that runs from the decision (送达, 公示), and note its
    deadline and legal basis on the case's timeline."""
    from fazhi.tracking.services import item_open

    item = item_open(
        kind=kind,
        title=f"{case.number} {case.decision_number} {label}"[:200],
        unit=case.agency.unit,
        by=by,
        start=case.decided_on,
        limit_kind="working",
        limit_days=days,
        deadline_source=source,
        url=reverse("enforcement:case_detail", args=[case.pk]),
    )
    _case_event(
        case,
        by=by,
        action=f"clock_{kind}",
        label=f"{label}期限起算",
        comment=f"应于 {item.deadline:%Y-%m-%d} 前{label}（{source}）",
        data={"item": item.pk, "deadline": item.deadline.isoformat(), "source": source},
    )
    return item


def _case_clock_close(item, *, by, done_on: dt.date, label: str, comment: str = "") -> None:
    from fazhi.tracking.services import item_close

    if item is not None and item.status != "closed":
        item_close(item=item, by=by, closed_on=done_on, label=label, comment=comment)


def cases_stage_clocks_sync() -> int:
    """Cases decided before the clocks after the decision existed still have their 第六十条 item open (and
    show red once the 90 days pass): close it on the decision's date and open the clock of the stage the case
    waits for, as case_decide / case_serve do now. Idempotent; run with the daily case checks. Returns how
    many cases it repaired."""
    from fazhi.tracking.services import item_close

    stale = Case.objects.filter(decided_on__isnull=False, item__isnull=False).exclude(item__status="closed")
    repaired = 0
    for pk in stale.values_list("pk", flat=True).iterator(chunk_size=2000):
        with transaction.atomic():
            case = _case_lock(Case(pk=pk))
            if case.item.status == "closed":
                continue
            case.item = item_close(
                item=case.item, by=None, closed_on=case.decided_on, label="作出决定", comment=case.decision_number
            )
            if case.stage == "decision" and case.service_item_id is None:
                case.service_item = _case_service_clock_open(case, by=None)
            elif (
                case.stage == "service"
                and case.disclosure_item_id is None
                and "disclosure" in stage_rules.next_stages(case)
            ):
                case.disclosure_item = _case_disclosure_clock_open(case, by=None)
            case.save(update_fields=["service_item", "disclosure_item"])
        repaired += 1
    return repaired


@transaction.atomic
def case_serve(*, case: Case, by, data: dict, attachments=(), ip=None) -> Case:
    """送达: the decision handed to the party (第六十一条: on the spot, or within 7 working days)."""
    _case_require(by, case)
    case = _case_lock(case)
    _case_enter(case, "service")
    case.served_on = _case_day(data, "served_on", required=True)
    _case_check_dates(case)
    case.stage = "service"
    case.save()
    _case_event(
        case,
        by=by,
        action="stage_service",
        label="送达",
        comment=data.get("comment") or "",
        attachments=attachments,
        data={"stage": "service", "date": case.served_on.isoformat(), "method": clean_text(data.get("method"))},
    )
    _case_clock_close(case.service_item, by=by, done_on=case.served_on, label="已送达")
    if "disclosure" in stage_rules.next_stages(case):
        case.disclosure_item = _case_disclosure_clock_open(case, by=by)
        case.save(update_fields=["disclosure_item"])
    log_operation(user=by, action="送达行政处罚决定书", obj=case, summary=case.number, ip=ip)
    case_run_checks(case=case, by=by)
    return case


@transaction.atomic
def case_disclose(*, case: Case, by, data: dict | None = None, attachments=(), ip=None) -> Disclosure:
    """公示: publish the decision on the portal, party name and number masked by rule (masking.py)."""
    data = data or {}
    _case_require(by, case)
    case = _case_lock(case)
    _case_enter(case, "disclosure")
    case.disclosed_on = _case_day(data, "disclosed_on") or _case_today()
    _case_check_dates(case)
    case.stage = "disclosure"
    case.save()
    disclosure = Disclosure.objects.create(**disclosure_fields(case, summary=clean_text(data.get("summary"))))
    _case_event(
        case,
        by=by,
        action="stage_disclosure",
        label="公示",
        comment=data.get("comment") or "",
        attachments=attachments,
        data={"stage": "disclosure", "date": case.disclosed_on.isoformat(), "party_display": disclosure.party_display},
    )
    _case_clock_close(case.disclosure_item, by=by, done_on=case.disclosed_on, label="已公示")
    log_operation(user=by, action="公示行政处罚决定", obj=case, summary=f"{case.number} {case.decision_number}", ip=ip)
    case_run_checks(case=case, by=by)
    return disclosure


@transaction.atomic
def disclosure_withdraw(*, disclosure: Disclosure, by, reason: str, ip=None) -> Disclosure:
    """Take a disclosed decision down (annulled, retention period over, …): the reason is required and logged."""
    _case_require(by, disclosure.case, perm="disclosure.manage")
    disclosure = Disclosure.objects.select_for_update(of=("self",)).select_related("case__item").get(pk=disclosure.pk)
    if disclosure.withdrawn_at is not None:
        raise DomainError("该公示已撤回", field="reason")
    reason = clean_text(reason)
    if not reason:
        raise DomainError("撤回公示须说明理由", field="reason")
    if len(reason) > 300:
        raise DomainError("撤回理由不能超过 300 字", field="reason")
    disclosure.withdrawn_at, disclosure.withdraw_reason = timezone.now(), reason
    disclosure.save(update_fields=["withdrawn_at", "withdraw_reason"])
    _case_event(disclosure.case, by=by, action="disclosure_withdrawn", label="撤回公示", comment=reason)
    log_operation(
        user=by,
        action="撤回执法决定公示",
        obj=disclosure.case,
        summary=f"{disclosure.decision_number}：{reason}",
        ip=ip,
    )
    return disclosure


@transaction.atomic
def case_close(*, case: Case, by, data: dict | None = None, attachments=(), ip=None) -> Case:
    """结案: the case and its tracked item are closed."""
    from fazhi.tracking.services import item_close

    data = data or {}
    _case_require(by, case)
    case = _case_lock(case)
    _case_enter(case, "closed")
    case.closed_on = _case_day(data, "closed_on") or _case_today()
    _case_check_dates(case)
    case.stage = "closed"
    case.save()
    _case_event(
        case,
        by=by,
        action="stage_closed",
        label="结案",
        comment=data.get("comment") or "",
        attachments=attachments,
        data={"stage": "closed", "date": case.closed_on.isoformat()},
    )
    if case.item_id and case.item.status != "closed":
        item_close(item=case.item, by=by, comment="案件结案", label="结案")
    _case_clock_close(case.service_item, by=by, done_on=case.closed_on, label="结案")
    _case_clock_close(case.disclosure_item, by=by, done_on=case.closed_on, label="结案（未公示）")
    log_operation(user=by, action="行政处罚案件结案", obj=case, summary=case.number, ip=ip)
    case_run_checks(case=case, by=by)
    return case


@transaction.atomic
def case_extend(*, case: Case, by, days, reason: str, approver: str, approved_on=None, ip=None) -> CaseExtension:
    """Extend the 90-day decision limit (第六十条 “法律、法规、规章另有规定的，从其规定”), with approver and
    reason; the tracked deadline moves with it."""
    from fazhi.tracking.services import item_change_deadline

    _case_require(by, case)
    case = _case_lock(case)
    if case.decided_on is not None or case.stage == "closed":
        raise DomainError("已作出决定的案件无需延长办案期限", field="days")
    try:
        days = int(clean_text(days)) if not isinstance(days, int) else days
    except ValueError:
        raise DomainError("延长天数应为正整数", field="days") from None
    if isinstance(days, bool) or days <= 0 or days > 365:
        raise DomainError("延长天数应为 1 到 365 之间的整数", field="days")
    reason, approver = clean_text(reason), clean_text(approver)
    if not reason:
        raise DomainError("延长办案期限须说明理由", field="reason")
    if not approver:
        raise DomainError("批准人不能为空", field="approver")
    approved = _case_day({"approved_on": approved_on}, "approved_on") or _case_today()
    if approved < case.filed_on:
        raise DomainError(f"批准日期（{approved}）不能早于立案日期（{case.filed_on}）", field="approved_on")
    extension = CaseExtension.objects.create(
        case=case,
        days=days,
        reason=reason[:300],
        approver=approver[:50],
        approved_on=approved,
        recorded_by=by if getattr(by, "pk", None) else None,
    )
    case.extension_days += days
    case.save(update_fields=["extension_days"])
    if case.item_id and case.item.status != "closed":
        deadline = decision_limit(filed_on=case.filed_on, extension_days=case.extension_days)
        item_change_deadline(
            item=case.item, by=by, deadline=deadline, reason=f"延长办案期限 {days} 日（批准人：{approver}）：{reason}"
        )
    log_operation(user=by, action="延长办案期限", obj=case, summary=f"{case.number} 延长 {days} 日：{reason}", ip=ip)
    case_run_checks(case=case, by=by)
    return extension


def case_rules_of(findings) -> list[str]:
    """The rule codes with an error, once each, in the catalogue's order (what is stored on the case)."""
    codes = {f.rule for f in findings if f.severity == "error"}
    return [code for code in RULES if code in codes]


@transaction.atomic
def case_run_checks(*, case: Case, by=None, as_of: dt.date | None = None) -> list:
    """Run the statutory checks on a stored case, store their result and open or close its 风险预警 item."""
    given = case
    case = Case.objects.select_related("power_item", "tier", "agency__unit", "warning_item", "item").get(pk=case.pk)
    as_of = as_of or _case_today()
    findings = check_case(case_facts(case, as_of=as_of))
    codes = case_rules_of(findings)
    previous = CaseCheck.objects.filter(pk=case.pk).values_list("rules", flat=True).first()
    result, _ = CaseCheck.objects.update_or_create(
        case=case, defaults={"errors": len(codes), "rules": codes, "checked_at": timezone.now()}
    )
    case_warning_sync(case=case, rules=codes, by=by, previous=previous, today=as_of)
    # The caller's instance shows the stored result too.
    given.check_result = result
    given.warning_item_id = case.warning_item_id
    return findings


def case_warning_sync(
    *, case: Case, rules: list[str], by=None, previous: list | None = None, today: dt.date | None = None
) -> None:
    """One open 风险预警 item per case while it has errors: opened when an error appears, closed when none is left.
    `rules` are the case's broken rules as stored; `previous` those stored before, if known."""
    from fazhi.tracking.services import item_close, item_open, item_record

    warning = case.warning_item
    is_open = warning is not None and warning.status != "closed"
    if rules and not is_open:
        first = RULES[rules[0]]
        titles = "、".join(RULES[c].title for c in rules)
        item = item_open(
            kind=CASE_WARNING.code,
            title=f"风险预警：{case.number} {titles}"[:200],
            unit=case.agency.unit,
            by=None,
            start=today or _case_today(),
            limit_kind="working",
            limit_days=WARNING_WORKING_DAYS,
            deadline_source=first.citation,
            url=reverse("enforcement:case_detail", args=[case.pk]),
            comment="法定规则校验发现问题：" + titles,
        )
        Case.objects.filter(pk=case.pk).update(warning_item=item)
        case.warning_item = item
    elif not rules and is_open:
        item_close(item=warning, by=by, comment="复核校验未发现问题，预警解除", label="预警解除")
    elif is_open and previous is not None and list(previous) != list(rules):
        item_record(
            item=warning,
            by=by,
            action="rules_changed",
            label="预警内容变化",
            comment="现存问题：" + "、".join(RULES[c].title for c in rules),
            data={"rules": list(rules)},
        )


def cases_sync_warnings(*, limit: int | None = None, today: dt.date | None = None) -> dict:
    """After a bulk check: open or close 风险预警 items of the cases whose state changed (per row, few rows)."""
    open_statuses = ("open", "review", "returned")
    to_open = Case.objects.filter(check_result__errors__gt=0).filter(
        Q(warning_item__isnull=True) | Q(warning_item__status="closed")
    )
    to_close = Case.objects.filter(check_result__errors=0, warning_item__status__in=open_statuses)
    opened = closed = 0
    for qs, counter in ((to_open, "opened"), (to_close, "closed")):
        ids = list(qs.values_list("pk", flat=True)[:limit] if limit else qs.values_list("pk", flat=True))
        for pk in ids:
            with transaction.atomic():
                case = Case.objects.select_related("agency__unit", "warning_item", "check_result").get(pk=pk)
                case_warning_sync(case=case, rules=list(case.check_result.rules), today=today)
            if counter == "opened":
                opened += 1
            else:
                closed += 1
    return {"opened": opened, "closed": closed}


def case_import_row(*, by, data: dict, ip=None) -> Case:
    """A case from another system: filed, then every later stage whose date is given, in the statutory order,
    through the same services as a case handled here (so the same validation and the same timeline)."""
    case = case_file(
        by=by,
        agency=data.get("agency"),
        power_item=data["power_item"],
        title=data["title"],
        party_kind=data["party_kind"],
        party_name=data["party_name"],
        party_id_number=data.get("party_id_number") or "",
        party_uscc=data.get("party_uscc") or "",
        filed_on=data["filed_on"],
        handlers=data["handlers"],
        procedure=data.get("procedure") or "general",
        number=data.get("number") or "",
        violation_ended_on=data.get("violation_ended_on"),
        major=bool(data.get("major")),
        comment="从其他系统导入",
        ip=ip,
    )
    general = case.procedure == "general"
    if general and data.get("decided_on"):
        case = case_advance(case=case, by=by, stage="investigation", data={"date": case.filed_on})
        case = case_advance(
            case=case, by=by, stage="notice", data={"notified_on": data.get("notified_on") or data["decided_on"]}
        )
        if data.get("legal_review_on"):
            case = case_advance(
                case=case,
                by=by,
                stage="legal_review",
                data={"legal_review_on": data["legal_review_on"], "comment": "导入：已经法制审核"},
            )
    if data.get("decided_on"):
        case = case_decide(
            case=case,
            by=by,
            data={
                "outcome": data.get("outcome") or "penalty",
                "decision_number": data.get("decision_number"),
                "decided_on": data["decided_on"],
                "penalty_kinds": data.get("penalty_kinds") or [],
                "fine": data.get("fine"),
                "list_entry": data.get("list_entry"),
            },
        )
    for stage, key in (
        ("service", "served_on"),
        ("disclosure", "disclosed_on"),
        ("execution", "executed_on"),
        ("closed", "closed_on"),
    ):
        if data.get(key) and not (case.procedure == "simple" and stage in ("disclosure", "execution")):
            case = case_advance(case=case, by=by, stage=stage, data={key: data[key]})
    return case


def disclosure_fields(case: Case, *, summary: str = "") -> dict:
    """The row published for a decided case: party masked by rule, a summary of facts and penalty."""
    shown_name, shown_code = party_display(
        kind=case.party_kind, name=case.party_name, id_number=case.party_id_number, uscc=case.party_uscc
    )
    if not summary:
        if case.outcome == "no_penalty":
            basis = case.list_entry.legal_basis if case.list_entry_id else "不予处罚清单"
            summary = f"{case.title}。依据{basis}，决定不予行政处罚。"
        else:
            fine = f"，罚款人民币 {case.fine} 元" if case.fine is not None else ""
            summary = f"{case.title}。处罚决定：{'、'.join(case.penalty_kinds)}{fine}。"
    search = " ".join([shown_name, shown_code, case.decision_number, case.agency.unit.name, summary])
    return {
        "case": case,
        "agency": case.agency,
        "published_on": case.disclosed_on,
        "decision_number": case.decision_number,
        "party_kind": case.party_kind,
        "party_display": shown_name,
        "party_code_display": shown_code,
        "summary": summary,
        "fine": case.fine,
        "search": search,
    }
