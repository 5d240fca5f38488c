"""Every write of the enforcement registry (agencies, power items, officers). One transaction each."""

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from fazhi.core.audit import log_operation
from fazhi.core.errors import DomainError, Forbidden, NotFound
from fazhi.core.identifiers import clean_id_number
from fazhi.core.masking import mask_id_number
from fazhi.core.models import Unit, User
from fazhi.core.normalize import clean_text, parse_date
from fazhi.core.scope import scope_q
from fazhi.registry.models import (
    Agency,
    Certificate,
    DiscretionTier,
    LegalBasis,
    ListEntry,
    Officer,
    PowerItem,
    TrainingRecord,
)
from fazhi.registry.rules import (
    CERTIFICATE_CITATION,
    CERTIFICATE_EXPIRY_DAYS,
    CERTIFICATE_EXPIRY_SOURCE,
    ENTRUSTMENT_CITATION,
    PENALTY_KINDS,
    PENALTY_KINDS_CITATION,
)

# ---------------------------------------------------------------- registry: agencies, power items, officers


def _require_manage(by, agency: Agency | None = None, *, unit: Unit | None = None) -> None:
    """The function permission, and the agency (or unit) inside the actor's data scope. `by=None` is the system."""
    if by is None:
        return
    from fazhi.registry.permissions import registry_actions

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
    if instance is None:
        from fazhi.registry.gates import certificate_gates_check

        certificate_gates_check(officer=officer, today=timezone.localdate())
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


@transaction.atomic
def training_exam_record(*, officer: Officer, year: int, score, passed: bool) -> TrainingRecord:
    """An examination result from another module (the online examinations of legalservices) joins the officer's
    training record of that year, keeping its hours. The year's best result stands: a pass is not undone by a
    later, weaker attempt. Called by the system (no user): the examination module has checked its own rights."""
    score = Decimal(str(score)).quantize(Decimal("0.1"))
    record, created = TrainingRecord.objects.select_for_update().get_or_create(
        officer=officer, year=year, defaults={"hours": Decimal("0"), "exam_score": score, "exam_passed": passed}
    )
    better = (
        record.exam_score is None
        or (passed and not record.exam_passed)
        or (bool(passed) == bool(record.exam_passed) and score > record.exam_score)
    )
    if not created and better:
        record.exam_score, record.exam_passed = score, bool(passed)
        record.save(update_fields=["exam_score", "exam_passed"])
    log_operation(user=None, action="登记考试成绩", obj=record, summary=f"{officer.name} {year} 年 {score} 分")
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
            url=reverse("registry:officer_detail", args=[officer.pk]),
            comment=f"请在有效期届满前办理换证，到期未换证的人员不得从事行政执法活动（{CERTIFICATE_CITATION}）。",
        )
        Certificate.objects.filter(pk=cert.pk).update(expiry_item=item)
        opened += 1
    return {"opened": opened, "closed": certificates_expiry_close()}
