"""Every write of 特邀行政执法监督员. One transaction each; each step is an event on the SM3 timeline of the item it
belongs to (fazhi.tracking.services), in the same transaction. Every service checks the entity's predicate
(permissions.py) again; `by=None` is the system (the demo, the periodic job)."""

import datetime as dt
import hmac
import secrets
import string

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from fazhi.core import clock
from fazhi.core.attachments import attachments_store
from fazhi.core.audit import log_operation
from fazhi.core.errors import DomainError, Forbidden, NotFound
from fazhi.core.identifiers import clean_id_number
from fazhi.core.models import Role, Unit, User
from fazhi.core.normalize import clean_text
from fazhi.core.passwords import password_problem
from fazhi.core.query_codes import query_password, random_code
from fazhi.core.scope import has_permission
from fazhi.supervision.supervisors import letters, rules
from fazhi.supervision.supervisors.models import (
    AnnualReview,
    Application,
    Duty,
    InvitedSupervisor,
    Objection,
    RecruitmentCampaign,
    Submission,
    Training,
    TrainingAttendance,
)
from fazhi.supervision.supervisors.permissions import (
    campaign_actions,
    my_actions,
    training_actions,
)
from fazhi.supervision.supervisors.tracking_kinds import APPLICATION, CAMPAIGN, DUTY, OPINION, TERM
from fazhi.tracking.services import item_annotate, item_change_deadline, item_close, item_open, item_record
from fazhi.workdays.calendar import add_working_days

ROUTE_LABELS = dict(rules.ROUTES)


def _today(today: dt.date | None) -> dt.date:
    return today or timezone.localdate()


def _require(by, actions: set[str], action: str) -> None:
    """`by=None` is the system (demo, periodic jobs); everyone else needs the predicate to offer the step."""
    if by is not None and action not in actions:
        raise Forbidden()


def _manage(by, unit: Unit) -> None:
    """The caller manages this unit's invited supervisors (else 403). The step's state is checked after this,
    with a message (the predicates offer the step in exactly those states: tests/test_permissions.py)."""
    from fazhi.supervision.supervisors.permissions import _manager

    if by is not None and not _manager(by, unit):
        raise Forbidden()


def _url(name: str, pk: int) -> str:
    return reverse(f"supervision:supervisors:{name}", args=[pk])


def _refusal(problems: list[DomainError]) -> DomainError:
    """One error carrying every problem (`errors`): a form shows them all after one submit."""
    if len(problems) == 1:
        return problems[0]
    first = problems[0]
    return DomainError(
        first.message, field=first.field, errors=[{"field": p.field, "message": p.message} for p in problems]
    )


class _Problems:
    """Collects a field's problem and goes on, so that every field is checked before refusing."""

    def __init__(self):
        self.list: list[DomainError] = []

    def check(self, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except DomainError as exc:
            self.list.append(exc)
            return None

    def add(self, message: str, field: str) -> None:
        self.list.append(DomainError(message, field=field))

    def fields(self) -> set[str]:
        return {p.field for p in self.list}

    def raise_any(self) -> None:
        if self.list:
            raise _refusal(self.list)


def _text(value, *, field: str, label: str, limit: int, required: bool = False, minimum: int = 0) -> str:
    text = (value or "").replace("\r\n", "\n").strip() if isinstance(value, str) or value is None else str(value)
    if required and not clean_text(text):
        raise DomainError(f"请填写{label}", field=field)
    if minimum and text and len(clean_text(text)) < minimum:
        raise DomainError(f"{label}至少 {minimum} 个字", field=field)
    if len(text) > limit:
        raise DomainError(f"{label}不能超过 {limit} 字（当前 {len(text)} 字）", field=field)
    return text


def _line(value, *, field: str, label: str, limit: int, required: bool = False) -> str:
    return clean_text(_text(value, field=field, label=label, limit=limit, required=required))


def _phone(value, *, field: str = "phone", required: bool = True) -> str:
    from fazhi.complaints.rules import phone_ok

    phone = clean_text(value).replace(" ", "").replace("+86", "")
    if not phone:
        if required:
            raise DomainError("请填写联系电话", field=field)
        return ""
    if not phone_ok(phone):
        raise DomainError(f"联系电话“{phone}”格式不正确（手机号 11 位，座机如 0731-12345678）", field=field)
    return phone


def _int(value, *, field: str, label: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise DomainError(f"{label}应为整数", field=field)
    if not low <= value <= high:
        raise DomainError(f"{label}应在 {low} 至 {high} 之间", field=field)
    return value


def _yes(value, *, field: str, label: str) -> bool:
    if not isinstance(value, bool):
        raise DomainError(f"请选择{label}（是或否）", field=field)
    return value


def _date(value, *, field: str, label: str) -> dt.date:
    if not isinstance(value, dt.date):
        raise DomainError(f"请填写{label}", field=field)
    return value


def _unit_of(by) -> Unit:
    if by is None or by.unit_id is None:
        raise DomainError("当前用户未归属任何单位", field="unit")
    return by.unit


# ---------------------------------------------------------------- campaigns


def _campaign_values(
    *, title, year, quota, announcement, conditions, apply_from, apply_until, publicity_days, term_years
):
    p = _Problems()
    title = p.check(_line, title, field="title", label="公告标题", limit=200, required=True)
    p.check(_int, year, field="year", label="年度", low=2000, high=2100)
    p.check(_int, quota, field="quota", label="拟聘名额", low=1, high=1000)
    announcement = p.check(_text, announcement, field="announcement", label="公告正文", limit=10000)
    for name, label, high in (("min_age", "最低年龄", 120), ("max_age", "最高年龄", 120)):
        p.check(_int, getattr(conditions, name), field=name, label=label, low=0, high=high)
    p.check(_int, conditions.min_residency_years, field="min_residency_years", label="居住年限", low=0, high=80)
    if not p.fields() & {"min_age", "max_age", "min_residency_years"}:
        problem = rules.conditions_problem(conditions)
        if problem:
            p.add(problem[1], problem[0])
    a = p.check(_date, apply_from, field="apply_from", label="报名开始日期")
    b = p.check(_date, apply_until, field="apply_until", label="报名截止日期")
    if a and b and b < a:
        p.add("报名截止日期不能早于报名开始日期", "apply_until")
    p.check(_int, publicity_days, field="publicity_days", label="公示期（工作日）", low=1, high=30)
    p.check(_int, term_years, field="term_years", label="聘期（年）", low=1, high=10)
    p.raise_any()
    return title, announcement or ""


@transaction.atomic
def campaign_create(
    *,
    by,
    title: str,
    year: int,
    quota: int,
    apply_from: dt.date,
    apply_until: dt.date,
    announcement: str = "",
    organiser: Unit | None = None,
    conditions: rules.Conditions | None = None,
    publicity_days: int | None = None,
    term_years: int | None = None,
    ip=None,
) -> RecruitmentCampaign:
    """A draft campaign. The conditions, 公示 period and term default to the configured values (rules.conf)."""
    _require(by, campaign_actions(user=by, obj=None) if by else set(), "create")
    organiser = organiser or _unit_of(by)
    from fazhi.supervision.supervisors.permissions import _in_scope

    if by is not None and not _in_scope(by, organiser):
        raise DomainError(f"单位“{organiser}”不在本人管辖范围内", field="organiser")
    conditions = conditions or rules.default_conditions()
    publicity_days = publicity_days if publicity_days is not None else rules.conf()["PUBLICITY_WORKING_DAYS"]
    term_years = term_years if term_years is not None else rules.conf()["TERM_YEARS"]
    title, announcement = _campaign_values(
        title=title,
        year=year,
        quota=quota,
        announcement=announcement,
        conditions=conditions,
        apply_from=apply_from,
        apply_until=apply_until,
        publicity_days=publicity_days,
        term_years=term_years,
    )
    campaign = RecruitmentCampaign.objects.create(
        title=title,
        organiser=organiser,
        year=year,
        quota=quota,
        announcement=announcement,
        min_age=conditions.min_age,
        max_age=conditions.max_age,
        min_residency_years=conditions.min_residency_years,
        exclude_functionaries=conditions.exclude_functionaries,
        require_no_sanctions=conditions.require_no_sanctions,
        apply_from=apply_from,
        apply_until=apply_until,
        publicity_days=publicity_days,
        term_years=term_years,
        created_by=by,
    )
    log_operation(user=by, action="新建特邀监督员招募", obj=campaign, summary=title, ip=ip)
    return campaign


@transaction.atomic
def campaign_update(
    *,
    by,
    campaign: RecruitmentCampaign,
    title: str,
    year: int,
    quota: int,
    apply_from: dt.date,
    apply_until: dt.date,
    announcement: str,
    conditions: rules.Conditions,
    publicity_days: int,
    term_years: int,
    ip=None,
) -> RecruitmentCampaign:
    """Only a draft changes: once published, the announcement is what applicants relied on."""
    campaign = _lock_campaign(campaign)
    _manage(by, campaign.organiser)
    if campaign.status != "draft":
        raise DomainError("招募公告已发布，不能修改", field="status")
    title, announcement = _campaign_values(
        title=title,
        year=year,
        quota=quota,
        announcement=announcement,
        conditions=conditions,
        apply_from=apply_from,
        apply_until=apply_until,
        publicity_days=publicity_days,
        term_years=term_years,
    )
    for name, value in {
        "title": title,
        "year": year,
        "quota": quota,
        "announcement": announcement,
        "apply_from": apply_from,
        "apply_until": apply_until,
        "publicity_days": publicity_days,
        "term_years": term_years,
        "min_age": conditions.min_age,
        "max_age": conditions.max_age,
        "min_residency_years": conditions.min_residency_years,
        "exclude_functionaries": conditions.exclude_functionaries,
        "require_no_sanctions": conditions.require_no_sanctions,
    }.items():
        setattr(campaign, name, value)
    campaign.save()
    log_operation(user=by, action="修改特邀监督员招募", obj=campaign, summary=title, ip=ip)
    return campaign


@transaction.atomic
def campaign_publish(
    *, by, campaign: RecruitmentCampaign, today: dt.date | None = None, ip=None
) -> RecruitmentCampaign:
    """Publish the announcement on the portal; the campaign's item tracks it to its end (first: 报名截止)."""
    today = _today(today)
    campaign = _lock_campaign(campaign)
    _manage(by, campaign.organiser)
    if campaign.status != "draft":
        raise DomainError("招募公告已发布", field="status")
    if campaign.apply_until < today:
        raise DomainError(f"报名截止日期（{campaign.apply_until:%Y-%m-%d}）已过，请修改后再发布", field="apply_until")
    campaign.status, campaign.published_on = "open", today
    campaign.item = item_open(
        kind=CAMPAIGN.code,
        title=campaign.title,
        unit=campaign.organiser,
        by=by,
        start=today,
        deadline=campaign.apply_until,
        deadline_source=f"招募公告：报名截止（{rules.ROUTES_SOURCE}）",
        url=_url("campaign_detail", campaign.pk),
        comment="发布招募公告：" + "；".join(rules.conditions_text(campaign.conditions)) + f"；拟聘{campaign.quota}名",
    )
    campaign.save(update_fields=["status", "published_on", "item"])
    log_operation(user=by, action="发布特邀监督员招募公告", obj=campaign, summary=campaign.title, ip=ip)
    return campaign


def _lock_campaign(campaign: RecruitmentCampaign) -> RecruitmentCampaign:
    return RecruitmentCampaign.objects.select_for_update().select_related("organiser").get(pk=campaign.pk)


@transaction.atomic
def campaign_publicity_start(
    *, by, campaign: RecruitmentCampaign, today: dt.date | None = None, ip=None
) -> RecruitmentCampaign:
    """公示: every application decided first; the candidates who passed are published for N working days (the
    period does not count its first day); the notice is generated and kept on the campaign's timeline."""
    from fazhi.documents.services import document_store

    today = _today(today)
    campaign = _lock_campaign(campaign)
    _manage(by, campaign.organiser)
    if campaign.status != "open":
        raise DomainError("只有报名中的招募可以开始公示", field="status")
    pending = campaign.applications.filter(status__in=rules.PENDING_APPLICATION).count()
    if pending:
        raise DomainError(f"还有 {pending} 份报名未完成资格初审或函询回复，不能开始公示", field="status")
    candidates = list(campaign.applications.filter(status="passed").order_by("name", "id"))
    if not candidates:
        raise DomainError("没有资格初审通过的人员，不能公示", field="status")
    end = add_working_days(today, campaign.publicity_days)
    campaign.status, campaign.publicity_start, campaign.publicity_end = "publicity", today, end
    campaign.save(update_fields=["status", "publicity_start", "publicity_end"])
    campaign.applications.filter(pk__in=[a.pk for a in candidates]).update(status="publicized")
    campaign.item = item_change_deadline(
        item=campaign.item,
        by=by,
        deadline=end,
        reason=f"进入公示：{today:%Y-%m-%d} 至 {end:%Y-%m-%d}（{rules.publicity_source(campaign.publicity_days)}）",
    )
    item_record(
        item=campaign.item,
        by=by,
        action="publicity",
        label="公示拟聘任人员",
        comment=f"公示 {len(candidates)} 人，{today:%Y-%m-%d} 至 {end:%Y-%m-%d}",
        data={"start": today.isoformat(), "end": end.isoformat(), "candidates": len(candidates)},
    )
    document_store(
        by=by,
        item=campaign.item,
        title="关于拟聘任特邀行政执法监督员的公示",
        content=letters.publicity_notice(campaign=campaign, candidates=candidates, start=today, end=end),
        filename=f"特邀行政执法监督员公示_{today:%Y%m%d}.docx",
        object_kind="invited_campaign",
        object_id=campaign.pk,
    )
    for a in candidates:
        item_annotate(
            item=a.item, by=by, action="publicity", label="公示", comment=f"{today:%Y-%m-%d} 至 {end:%Y-%m-%d}"
        )
    log_operation(user=by, action="特邀监督员公示", obj=campaign, summary=f"{len(candidates)} 人", ip=ip)
    return campaign


@transaction.atomic
def campaign_close(*, by, campaign: RecruitmentCampaign, today: dt.date | None = None, ip=None) -> RecruitmentCampaign:
    """End the recruitment after the 公示: candidates not appointed are recorded as such; the item closes."""
    today = _today(today)
    campaign = _lock_campaign(campaign)
    _manage(by, campaign.organiser)
    if not rules.publicity_over(status=campaign.status, end=campaign.publicity_end, today=today):
        raise DomainError("公示期结束后才能结束招募", field="status")
    if campaign.objections.filter(status="pending").exists():
        raise DomainError("还有未答复的公示异议，请先答复", field="status")
    left = list(campaign.applications.filter(status="publicized"))
    for a in left:
        a.status = "not_appointed"
        a.save(update_fields=["status"])
        item_annotate(item=a.item, by=by, action="not_appointed", label="未聘任", comment="招募结束时未聘任")
    campaign.status, campaign.closed_on = "closed", today
    campaign.save(update_fields=["status", "closed_on"])
    appointed = campaign.supervisors.count()
    campaign.item = item_close(
        item=campaign.item, by=by, label="招募结束", comment=f"聘任 {appointed} 人", closed_on=today
    )
    log_operation(user=by, action="结束特邀监督员招募", obj=campaign, summary=f"聘任 {appointed} 人", ip=ip)
    return campaign


# ---------------------------------------------------------------- applications


def _new_tracking_code() -> str:
    while True:
        code = f"TY{timezone.localdate():%y%m%d}{random_code(8)}"
        if not Application.objects.filter(tracking_code=code).exists():
            return code


def _password_for(submit_token: str | None) -> str:
    """The query password; with a submit token derived from it (HMAC), so a repeated submission answers with
    the same code and password."""
    return query_password(submit_token, purpose="invited-password")


def _set_password(application: Application, password: str) -> None:
    from fazhi.complaints.services import password_hash

    application.password_salt = secrets.token_hex(8)
    application.password_hash = password_hash(application.password_salt, password)


def _applicant_values(p: _Problems, data: dict, *, route: str) -> dict:
    """Every field of the applicant checked (problems collected in `p`); the birth date and gender derive from the
    ID number."""
    out = {
        "name": p.check(_line, data.get("name"), field="name", label="姓名", limit=50, required=True),
        "id_number": p.check(clean_id_number, data.get("id_number") or ""),
        "phone": p.check(_phone, data.get("phone") or ""),
        "address": p.check(_line, data.get("address"), field="address", label="住址", limit=200, required=True),
        "residency_years": p.check(
            _int, data.get("residency_years"), field="residency_years", label="本地居住年限", low=0, high=100
        ),
        "occupation": p.check(_line, data.get("occupation"), field="occupation", label="职业", limit=100),
        "employer": p.check(_line, data.get("employer"), field="employer", label="工作单位及职务", limit=100),
        "statement": p.check(_text, data.get("statement"), field="statement", label="个人简历及履职意愿", limit=2000),
        "is_functionary": p.check(
            _yes, data.get("is_functionary"), field="is_functionary", label="是否为在职的国家公职人员"
        ),
        "has_sanctions": p.check(
            _yes, data.get("has_sanctions"), field="has_sanctions", label="是否受过刑事处罚或处分"
        ),
        "recommender": "",
    }
    if route == "unit":
        out["recommender"] = p.check(
            _line, data.get("recommender"), field="recommender", label="推荐单位", limit=100, required=True
        )
    if out["id_number"]:
        out["birth_date"] = rules.birth_date_from_id(out["id_number"])
        out["gender"] = rules.gender_from_id(out["id_number"])
    return out


def _facts(values: dict) -> rules.Facts:
    return rules.Facts(
        birth_date=values["birth_date"],
        residency_years=values["residency_years"],
        is_functionary=values["is_functionary"],
        has_sanctions=values["has_sanctions"],
    )


def _duplicate(campaign: RecruitmentCampaign, id_number: str) -> bool:
    return campaign.applications.filter(id_number=id_number).exclude(status="declined").exists()


def _files_check(files) -> None:
    from fazhi.complaints.services import files_check

    files_check(files)


def _application_create(
    *, campaign: RecruitmentCampaign, route: str, status: str, values: dict, failures, by, today, **extra
):
    application = Application(
        campaign=campaign,
        route=route,
        status=status,
        eligible=not failures,
        eligibility=[{"code": f.code, "field": f.field, "message": f.message} for f in failures],
        tracking_code=_new_tracking_code(),
        received_at=clock.now(),
        created_by=by if getattr(by, "pk", None) else None,
        **{k: v for k, v in values.items()},
        **extra,
    )
    application.save()
    verdict = "符合招募条件" if not failures else "不符合招募条件：" + "；".join(f.message for f in failures)
    application.item = item_open(
        kind=APPLICATION.code,
        title=f"{campaign.title}：{ROUTE_LABELS[route]} {application.tracking_code}",
        unit=campaign.organiser,
        by=by if getattr(by, "pk", None) else None,
        start=today,
        limit_kind="working",
        limit_days=rules.conf()["INITIAL_REVIEW_WORKING_DAYS"],
        deadline_source=rules.review_source(),
        url=_url("application_detail", application.pk),
        comment=f"{ROUTE_LABELS[route]}报名（{application.tracking_code}）；自动核对：{verdict}",
    )
    application.save(update_fields=["item"])
    return application


def application_submit_public(
    *,
    campaign: RecruitmentCampaign,
    data: dict,
    consent: bool,
    files=(),
    ip: str | None = None,
    submit_token: str | None = None,
    today: dt.date | None = None,
) -> tuple[Application, str]:
    """个人自荐 from the portal or the public API. Returns the application and its query password.

    Every field and every recruitment condition is checked before anything is written: an ineligible applicant
    is refused with each failed condition named on its field, and nothing is stored. With `submit_token` a
    repeated submission (double click, retry) answers with the first application and the same password."""
    today = _today(today)
    if submit_token:
        existing = Application.objects.filter(submit_token=submit_token).first()
        if existing is not None:
            return existing, _password_for(submit_token)
    if not rules.campaign_takes_applications(
        status=campaign.status, apply_from=campaign.apply_from, apply_until=campaign.apply_until, today=today
    ):
        raise DomainError("本次招募当前不接受报名（未开始或已截止）", field="campaign")
    p = _Problems()
    values = _applicant_values(p, data, route="self")
    if not consent:
        p.add("请阅读并同意个人信息处理说明后再提交", "consent")
    files = list(files or [])
    p.check(_files_check, files)
    if "birth_date" in values:
        facts = _facts(values)
        if values["residency_years"] is None:  # already refused on its own field; not counted twice
            facts = rules.Facts(
                facts.birth_date, campaign.min_residency_years, facts.is_functionary, facts.has_sanctions
            )
        for failure in rules.eligibility(facts, campaign.conditions, on=today):
            p.add(failure.message, failure.field)
    if values["id_number"] and _duplicate(campaign, values["id_number"]):
        p.add("该身份证号已报名本次招募，请凭查询码查询进展", "id_number")
    p.raise_any()
    password = _password_for(submit_token)
    try:
        with transaction.atomic():
            campaign = _lock_campaign(campaign)  # serialises the count below and the insert per campaign
            if not rules.campaign_takes_applications(
                status=campaign.status, apply_from=campaign.apply_from, apply_until=campaign.apply_until, today=today
            ):
                raise DomainError("本次招募当前不接受报名（未开始或已截止）", field="campaign")
            limit = rules.conf()["APPLY_IP_HOUR"]
            if ip and (
                Application.objects.filter(ip=ip, received_at__gte=timezone.now() - dt.timedelta(hours=1)).count()
                >= limit
            ):
                raise DomainError(f"提交过于频繁：同一网络 1 小时内最多提交 {limit} 份报名，请稍后再试", field="rate")
            if _duplicate(campaign, values["id_number"]):
                raise DomainError("该身份证号已报名本次招募，请凭查询码查询进展", field="id_number")
            application = _application_create(
                campaign=campaign,
                route="self",
                status="submitted",
                values=values,
                failures=[],
                by=None,
                today=today,
                ip=ip,
                submit_token=submit_token or None,
                consent_at=clock.now(),
            )
            _set_password(application, password)
            application.save(update_fields=["password_salt", "password_hash"])
            if files:
                application.attachments.set(attachments_store(files=files, by=None))
    except IntegrityError:
        existing = Application.objects.filter(submit_token=submit_token).first() if submit_token else None
        if existing is None:
            raise
        return existing, password
    return application, password


@transaction.atomic
def application_enter(
    *, by, campaign: RecruitmentCampaign, route: str, data: dict, files=(), today: dt.date | None = None, ip=None
) -> Application:
    """单位推荐 or 定向邀请（函询）, entered by staff. Recorded even if ineligible: the failed conditions are kept
    with it and shown at 资格初审. A 函询 generates the invitation letter, numbered from the documents register."""
    from fazhi.documents.services import document_store, number_take

    today = _today(today)
    campaign = _lock_campaign(campaign)
    _manage(by, campaign.organiser)
    if campaign.status != "open":
        raise DomainError("只有报名中的招募可以登记报名", field="campaign")
    if route not in rules.STAFF_ROUTES:
        raise DomainError("报名方式应为单位推荐或定向邀请（函询）", field="route")
    p = _Problems()
    values = _applicant_values(p, data, route=route)
    files = list(files or [])
    p.check(_files_check, files)
    if values["id_number"] and _duplicate(campaign, values["id_number"]):
        p.add("该身份证号已报名本次招募", "id_number")
    p.raise_any()
    failures = rules.eligibility(_facts(values), campaign.conditions, on=today)
    application = _application_create(
        campaign=campaign,
        route=route,
        status="invited" if route == "invite" else "submitted",
        values=values,
        failures=failures,
        by=by,
        today=today,
    )
    application.password_hash = "-"  # staff entries are not queried on the portal with a password
    application.save(update_fields=["password_hash"])
    if files:
        application.attachments.set(attachments_store(files=files, by=by))
    if route == "invite":
        number = number_take(
            unit=campaign.organiser,
            doc_type="函询函",
            year=today.year,
            by=by,
            prefix=rules.conf()["INVITATION_PREFIX"],
            today=today,
        )
        application.invitation_number = number.text
        application.save(update_fields=["invitation_number"])
        document_store(
            by=by,
            item=application.item,
            title="关于邀请担任特邀行政执法监督员的函",
            number=number.text,
            content=letters.invitation_letter(
                campaign=campaign, application=application, number=number.text, today=today
            ),
            filename=f"函询函_{application.name}.docx",
            object_kind="invited_application",
            object_id=application.pk,
        )
    log_operation(
        user=by,
        action=f"登记特邀监督员{ROUTE_LABELS[route]}",
        obj=application,
        summary=application.tracking_code,
        ip=ip,
    )
    return application


def _lock_application(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("campaign", "campaign__organiser", "item")
        .get(pk=application.pk)
    )


@transaction.atomic
def application_invite_reply(
    *, by, application: Application, accepted: bool, note: str = "", today: dt.date | None = None, ip=None
) -> Application:
    """The invitee's answer to the 函询: accepting sends the application to 资格初审; declining ends it."""
    today = _today(today)
    application = _lock_application(application)
    _manage(by, application.campaign.organiser)
    if application.status not in rules.INVITE_ANSWERABLE:
        raise DomainError("只有已发函询、待回复的报名可以登记回复", field="status")
    note = _line(note, field="note", label="说明", limit=300)
    if accepted:
        application.status = "submitted"
        application.save(update_fields=["status"])
        item_record(item=application.item, by=by, action="invite_accepted", label="同意应聘", comment=note)
    else:
        application.status = "declined"
        application.save(update_fields=["status"])
        application.item = item_close(item=application.item, by=by, label="谢绝邀请", comment=note, closed_on=today)
    log_operation(user=by, action="登记函询回复", obj=application, summary="同意" if accepted else "谢绝", ip=ip)
    return application


@transaction.atomic
def application_review(
    *, by, application: Application, passed: bool, reason: str = "", today: dt.date | None = None, ip=None
) -> Application:
    """资格初审: pass, or fail with a reason. An applicant who fails a condition cannot pass."""
    today = _today(today)
    application = _lock_application(application)
    _manage(by, application.campaign.organiser)
    if application.status not in rules.REVIEWABLE:
        raise DomainError("只有待资格初审的报名可以初审", field="status")
    reason = _text(reason, field="reason", label="初审意见", limit=1000)
    if passed and not application.eligible:
        raise DomainError(
            "不符合招募条件，不能通过初审：" + "；".join(f["message"] for f in application.eligibility),
            field="decision",
        )
    if not passed and len(clean_text(reason)) < 2:
        raise DomainError("初审不通过须说明理由", field="reason")
    application.status = "passed" if passed else "failed"
    application.review_reason = reason
    application.reviewed_by, application.reviewed_at = by, clock.now()
    application.save(update_fields=["status", "review_reason", "reviewed_by", "reviewed_at"])
    application.item = item_close(
        item=application.item,
        by=by,
        label="资格初审通过" if passed else "资格初审未通过",
        comment=reason,
        closed_on=today,
    )
    log_operation(
        user=by, action="特邀监督员资格初审", obj=application, summary="通过" if passed else f"不通过：{reason}", ip=ip
    )
    return application


def application_public_query(*, code: str, password: str, ip: str | None) -> Application:
    """The application behind a tracking code and password. A wrong code and a wrong password get the same
    answer; failures per network address are limited (core.throttle)."""
    from fazhi.complaints.services import password_hash
    from fazhi.core.throttle import throttle_count, throttle_hit

    limit, window = rules.conf()["QUERY_FAIL_HOUR"], 3600
    if ip and throttle_count(scope="invited-query", ident=ip, window_seconds=window) >= limit:
        raise DomainError("查询失败次数过多，请 1 小时后再试", field="rate")
    code = clean_text(code).upper().replace(" ", "")
    password = clean_text(password).upper().replace(" ", "")
    application = Application.objects.filter(tracking_code=code).select_related("campaign").first() if code else None
    ok = (
        application is not None
        and application.password_hash not in ("", "-")
        and bool(password)
        and hmac.compare_digest(password_hash(application.password_salt, password), application.password_hash)
    )
    if not ok:
        if ip:
            throttle_hit(scope="invited-query", ident=ip, window_seconds=window)
        raise NotFound("查询码或查询密码不正确")
    return application


# ---------------------------------------------------------------- objections


def _objection_values(p: _Problems, *, content: str, name: str, phone: str) -> tuple[str, str, str]:
    content = p.check(_text, content, field="content", label="异议内容", limit=2000, required=True, minimum=10)
    name = p.check(_line, name, field="name", label="反映人姓名", limit=50)
    phone = p.check(_phone, phone, field="phone", required=False)
    return content or "", name or "", phone or ""


def _objection_create(*, campaign, application, content, name, phone, channel, by, ip=None, token=None):
    objection = Objection.objects.create(
        campaign=campaign,
        application=application,
        content=content,
        objector_name=name,
        objector_phone=phone,
        channel=channel,
        ip=ip,
        submit_token=token,
        received_at=clock.now(),
        created_by=by if getattr(by, "pk", None) else None,
    )
    summary = f"{'公开平台' if channel == 'portal' else '工作人员登记'}：对{application.name}的异议"
    item_record(item=campaign.item, by=by, action="objection", label="收到公示异议", comment=summary)
    item_annotate(item=application.item, by=by, action="objection", label="收到公示异议", comment=content)
    return objection


def objection_submit_public(
    *,
    campaign: RecruitmentCampaign,
    application_id,
    content: str,
    name: str = "",
    phone: str = "",
    ip: str | None = None,
    submit_token: str | None = None,
    today: dt.date | None = None,
) -> Objection:
    """An objection from the portal during the 公示 (rate-limited per network address, idempotent on its token)."""
    from fazhi.supervision.supervisors.selectors import public_candidate

    today = _today(today)
    if submit_token:
        existing = Objection.objects.filter(submit_token=submit_token).first()
        if existing is not None:
            return existing
    if not rules.publicity_running(
        status=campaign.status, start=campaign.publicity_start, end=campaign.publicity_end, today=today
    ):
        raise DomainError("不在公示期内，不能提交异议", field="campaign")
    p = _Problems()
    application = p.check(public_candidate, campaign=campaign, pk=application_id)
    content, name, phone = _objection_values(p, content=content, name=name, phone=phone)
    p.raise_any()
    try:
        with transaction.atomic():
            campaign = _lock_campaign(campaign)
            limit = rules.conf()["OBJECTION_IP_HOUR"]
            if ip and (
                Objection.objects.filter(ip=ip, received_at__gte=timezone.now() - dt.timedelta(hours=1)).count()
                >= limit
            ):
                raise DomainError(f"提交过于频繁：同一网络 1 小时内最多提交 {limit} 条异议，请稍后再试", field="rate")
            return _objection_create(
                campaign=campaign,
                application=application,
                content=content,
                name=name,
                phone=phone,
                channel="portal",
                by=None,
                ip=ip,
                token=submit_token or None,
            )
    except IntegrityError:
        existing = Objection.objects.filter(submit_token=submit_token).first() if submit_token else None
        if existing is None:
            raise
        return existing


@transaction.atomic
def objection_enter(
    *,
    by,
    application: Application,
    content: str,
    name: str = "",
    phone: str = "",
    today: dt.date | None = None,
    ip=None,
) -> Objection:
    """An objection received by letter or phone, entered by staff."""
    today = _today(today)
    application = _lock_application(application)
    _manage(by, application.campaign.organiser)
    campaign = application.campaign
    if application.status != "publicized" or not rules.publicity_running(
        status=campaign.status, start=campaign.publicity_start, end=campaign.publicity_end, today=today
    ):
        raise DomainError("只能对公示期内的拟聘任人员登记异议", field="status")
    p = _Problems()
    content, name, phone = _objection_values(p, content=content, name=name, phone=phone)
    p.raise_any()
    objection = _objection_create(
        campaign=campaign,
        application=application,
        content=content,
        name=name,
        phone=phone,
        channel="staff",
        by=by,
    )
    log_operation(user=by, action="登记公示异议", obj=application, summary=content[:200], ip=ip)
    return objection


@transaction.atomic
def objection_answer(
    *, by, objection: Objection, answer: str, upheld: bool, today: dt.date | None = None, ip=None
) -> Objection:
    """核查并答复: each objection is answered; a well-founded one (异议成立) takes the candidate off the list."""
    objection = (
        Objection.objects.select_for_update(of=("self",)).select_related("campaign", "application").get(pk=objection.pk)
    )
    _manage(by, objection.campaign.organiser)
    if objection.status != "pending":
        raise DomainError("该异议已答复", field="status")
    answer = _text(answer, field="answer", label="核查答复", limit=2000, required=True, minimum=5)
    objection.status, objection.upheld, objection.answer = "answered", bool(upheld), answer
    objection.answered_by, objection.answered_at = by, clock.now()
    objection.save()
    application = _lock_application(objection.application)
    label = "异议成立" if upheld else "异议不成立"
    item_record(
        item=objection.campaign.item, by=by, action="objection_answered", label=f"答复异议：{label}", comment=answer
    )
    item_annotate(item=application.item, by=by, action="objection_answered", label=f"答复异议：{label}", comment=answer)
    if upheld and application.status == "publicized":
        application.status = "objection_upheld"
        application.save(update_fields=["status"])
    log_operation(user=by, action="答复公示异议", obj=application, summary=f"{label}：{answer[:200]}", ip=ip)
    return objection


# ---------------------------------------------------------------- appointment


def initial_password() -> str:
    """A random initial password that meets the password policy (the owner changes it at first login)."""
    alphabet = string.ascii_letters + string.digits + "@#%*+="
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(12))
        if password_problem(candidate) is None and all(
            any(ch in group for ch in candidate)
            for group in (string.ascii_lowercase, string.ascii_uppercase, string.digits, "@#%*+=")
        ):
            return candidate


def _username(number_seq: int, year: int) -> str:
    base = f"tyjdy{year}{number_seq:03d}"
    name, n = base, 1
    while User.objects.filter(username__iexact=name).exists():
        n += 1
        name = f"{base}_{n}"
    return name


def _account(*, application: Application, unit: Unit, number_seq: int, year: int, account: User | None):
    """The user of the new supervisor (role invited_supervisor, must change the password): his account from an
    earlier appointment, reactivated with a new initial password, or a new one made by core's user services.
    `account` (the system only: the demo) is an existing user to use as is. Returns (user, initial password)."""
    from fazhi.core.services import user_reset_password, user_save, user_set_active
    from fazhi.supervision.supervisors.selectors import supervisor_by_id_number

    role = Role.objects.get(code="invited_supervisor")
    if account is not None:
        account.roles.add(role)
        return account, None
    earlier = supervisor_by_id_number(id_number=application.id_number)
    password = initial_password()
    if earlier is not None:
        user = earlier.user
        if not user.is_active:
            user_set_active(by=None, user=user, active=True)
        user.roles.add(role)
        user_reset_password(by=None, user=user, password=password)
        return user, password
    user = user_save(
        by=None,
        username=_username(number_seq, year),
        name=application.name,
        unit=unit,
        roles=[role],
        phone=application.phone if len(application.phone) == 11 else "",
        password=password,
    )
    return user, password


@transaction.atomic
def supervisor_appoint(
    *, by, application: Application, today: dt.date | None = None, account: User | None = None, ip=None
) -> tuple[InvitedSupervisor, str | None]:
    """聘任: after the 公示 and with every objection answered, within the quota. The 聘书 is numbered from the
    documents register in this transaction and stored on the person's timeline; the account (role
    invited_supervisor, unit = the organiser, password to change at first login) is made through core's user
    services. Returns the supervisor and the initial password, shown once (None when an account was given)."""
    from fazhi.documents.services import document_store, number_take

    today = _today(today)
    if account is not None and by is not None:
        raise Forbidden()
    application = _lock_application(application)
    campaign = _lock_campaign(application.campaign)
    application.campaign = campaign
    _manage(by, campaign.organiser)
    if application.status not in rules.APPOINTABLE:
        raise DomainError(f"报名状态为“{application.get_status_display()}”，不能聘任", field="status")
    if not rules.publicity_over(status=campaign.status, end=campaign.publicity_end, today=today):
        end = f"（{campaign.publicity_end:%Y-%m-%d} 截止）" if campaign.publicity_end else ""
        raise DomainError(f"公示期结束后才能聘任{end}", field="status")
    pending = campaign.objections.filter(status="pending").count()
    if pending:
        raise DomainError(f"还有 {pending} 条公示异议未答复，答复后才能聘任", field="objections")
    if rules.quota_left(quota=campaign.quota, appointed=campaign.supervisors.count()) <= 0:
        raise DomainError(f"已聘满拟聘名额（{campaign.quota} 名）", field="quota")
    number = number_take(
        unit=campaign.organiser,
        doc_type="聘书",
        year=today.year,
        by=by,
        prefix=rules.conf()["CERTIFICATE_PREFIX"],
        today=today,
    )
    user, password = _account(
        application=application, unit=campaign.organiser, number_seq=number.number, year=today.year, account=account
    )
    supervisor = InvitedSupervisor.objects.create(
        application=application,
        campaign=campaign,
        unit=campaign.organiser,
        user=user,
        name=application.name,
        number=number.text,
        appointed_on=today,
        term_end=rules.term_end(today, campaign.term_years),
    )
    application.status = "appointed"
    application.save(update_fields=["status"])
    item_annotate(
        item=application.item,
        by=by,
        action="appointed",
        label="聘任",
        comment=f"聘书 {number.text}；聘期 {supervisor.appointed_on:%Y-%m-%d} 至 {supervisor.term_end:%Y-%m-%d}；账号 {user.username}",
        data={"supervisor": supervisor.pk, "number": number.text, "term_end": supervisor.term_end.isoformat()},
    )
    document_store(
        by=by,
        item=application.item,
        title="特邀行政执法监督员聘书",
        number=number.text,
        content=letters.certificate(supervisor=supervisor, campaign=campaign),
        filename=f"聘书_{supervisor.name}.docx",
        object_kind="invited_supervisor",
        object_id=supervisor.pk,
    )
    item_record(
        item=campaign.item, by=by, action="appointed", label="聘任", comment=f"{supervisor.name}（{number.text}）"
    )
    expiry_open_if_due(supervisor=supervisor, today=today)
    log_operation(user=by, action="聘任特邀监督员", obj=supervisor, summary=f"{supervisor.name} {number.text}", ip=ip)
    return supervisor, password


# ---------------------------------------------------------------- the term


def expiry_open_if_due(*, supervisor: InvitedSupervisor, today: dt.date | None = None) -> bool:
    """Open the term-expiry item once the reminder window has begun (idempotent: at most one per supervisor)."""
    today = _today(today)
    days = rules.conf()["EXPIRY_REMINDER_DAYS"]
    if supervisor.status != "serving" or supervisor.expiry_item_id:
        return False
    if today < rules.reminder_opens_on(term_end=supervisor.term_end, reminder_days=days):
        return False
    with transaction.atomic():
        locked = InvitedSupervisor.objects.select_for_update().get(pk=supervisor.pk)
        if locked.expiry_item_id or locked.status != "serving":
            return False
        locked.expiry_item = item_open(
            kind=TERM.code,
            title=f"特邀监督员{locked.name}聘期将于 {locked.term_end:%Y-%m-%d} 届满",
            unit=locked.unit,
            by=None,
            start=min(today, locked.term_end),
            deadline=locked.term_end,
            deadline_source=rules.term_source(supervisor.campaign.term_years),
            url=_url("supervisor_detail", locked.pk),
            comment=f"聘期届满前 {days} 日提醒：请办理期满离任或通过新一轮招募续聘",
        )
        locked.save(update_fields=["expiry_item"])
        supervisor.expiry_item = locked.expiry_item
    return True


def term_expiry_scan(*, today: dt.date | None = None) -> int:
    """The periodic job: open the term-expiry item of every serving supervisor inside the reminder window.
    Idempotent: a second run opens nothing."""
    today = _today(today)
    horizon = today + dt.timedelta(days=rules.conf()["EXPIRY_REMINDER_DAYS"])
    due = InvitedSupervisor.objects.filter(status="serving", expiry_item__isnull=True, term_end__lte=horizon)
    return sum(expiry_open_if_due(supervisor=s, today=today) for s in due.select_related("campaign", "unit"))


@transaction.atomic
def supervisor_end(
    *, by, supervisor: InvitedSupervisor, ending: str, reason: str, today: dt.date | None = None, ip=None
) -> InvitedSupervisor:
    """解聘 (dismissal) or 辞任 (resignation) with a reason, or 期满 once the term is over. The account loses the
    role (and is deactivated if it had no other); open duties are cancelled; the expiry item closes."""
    from fazhi.core.services import user_set_active

    today = _today(today)
    supervisor = (
        InvitedSupervisor.objects.select_for_update(of=("self",))
        .select_related("unit", "application__item", "user")
        .get(pk=supervisor.pk)
    )
    _manage(by, supervisor.unit)
    if ending not in rules.ENDINGS:
        raise DomainError("离任方式应为解聘、辞任或期满", field="ending")
    if supervisor.status != "serving":
        raise DomainError("该特邀监督员已离任", field="status")
    if ending == "expired" and today < supervisor.term_end:
        raise DomainError(f"聘期至 {supervisor.term_end:%Y-%m-%d} 届满，届满后才能办理期满离任", field="ending")
    reason = _text(reason, field="reason", label="离任原因", limit=1000, required=ending != "expired", minimum=2)
    label = dict(rules.SUPERVISOR_STATUSES)[ending]
    supervisor.status, supervisor.ended_on, supervisor.end_reason = ending, today, reason or "聘期届满"
    supervisor.save(update_fields=["status", "ended_on", "end_reason"])
    for duty in supervisor.duties.filter(status="assigned").select_related("item"):
        duty.status, duty.cancel_reason = "cancelled", f"特邀监督员{label}"
        duty.save(update_fields=["status", "cancel_reason"])
        item_close(item=duty.item, by=by, label="取消（离任）", comment=duty.cancel_reason, closed_on=today)
    if supervisor.expiry_item_id and supervisor.expiry_item.status != "closed":
        supervisor.expiry_item = item_close(
            item=supervisor.expiry_item, by=by, label=label, comment=supervisor.end_reason, closed_on=today
        )
    item_annotate(item=supervisor.application.item, by=by, action=ending, label=label, comment=supervisor.end_reason)
    user = supervisor.user
    others = user.roles.exclude(code="invited_supervisor")
    user.roles.remove(*Role.objects.filter(code="invited_supervisor"))
    if not others.exists() and user.is_active:
        user_set_active(by=None, user=user, active=False)
    log_operation(user=by, action=f"特邀监督员{label}", obj=supervisor, summary=supervisor.end_reason[:300], ip=ip)
    return supervisor


@transaction.atomic
def annual_review_record(
    *,
    by,
    supervisor: InvitedSupervisor,
    year: int,
    grade: str,
    comment: str = "",
    today: dt.date | None = None,
    ip=None,
) -> AnnualReview:
    """年度履职考核: one per year of the term; 不称职 needs its reasons."""
    today = _today(today)
    supervisor = (
        InvitedSupervisor.objects.select_for_update(of=("self",))
        .select_related("unit", "application__item")
        .get(pk=supervisor.pk)
    )
    _manage(by, supervisor.unit)
    if supervisor.status != "serving":
        raise DomainError("该特邀监督员已离任，不能考核", field="status")
    _int(year, field="year", label="考核年度", low=2000, high=2100)
    problem = rules.review_year_problem(year=year, appointed_on=supervisor.appointed_on, today=today)
    if problem:
        raise DomainError(problem, field="year")
    if grade not in dict(rules.GRADES):
        raise DomainError("请选择考核等次：优秀、称职、基本称职或不称职", field="grade")
    comment = _text(comment, field="comment", label="评语", limit=1000, required=grade == "incompetent", minimum=2)
    if supervisor.reviews.filter(year=year).exists():
        raise DomainError(f"{year}年度已考核，每年只考核一次", field="year")
    review = AnnualReview.objects.create(
        supervisor=supervisor,
        year=year,
        grade=grade,
        comment=comment,
        reviewed_by=by if getattr(by, "pk", None) else None,
    )
    item_annotate(
        item=supervisor.application.item,
        by=by,
        action="annual_review",
        label=f"{year}年度考核：{review.get_grade_display()}",
        comment=comment,
        data={"year": year, "grade": grade},
    )
    log_operation(
        user=by, action="特邀监督员年度考核", obj=supervisor, summary=f"{year} {review.get_grade_display()}", ip=ip
    )
    return review


# ---------------------------------------------------------------- duties


def _my_record(by, *, today: dt.date) -> InvitedSupervisor:
    """The caller's own serving record: an invited supervisor acts for himself only (403 for anyone else)."""
    from fazhi.supervision.supervisors.selectors import supervisor_of_user

    record = supervisor_of_user(user=by) if by is not None else None
    if record is None or not my_actions(user=by, record=record, today=today):
        raise Forbidden()
    if not {"record", "submit"} <= my_actions(user=by, record=record, today=today):
        raise DomainError("您不在聘期内，不能提交", field="status")
    return record


def _notify(user: User, *, title: str, url: str, key: str) -> None:
    from fazhi.core.services import notify

    notify(recipients=[user], title=title, url=url, dedup_key=key)


@transaction.atomic
def duty_assign(
    *,
    by,
    supervisor: InvitedSupervisor,
    kind: str,
    link_kind: str,
    link_id,
    planned_on: dt.date,
    place: str = "",
    note: str = "",
    today: dt.date | None = None,
    ip=None,
) -> Duty:
    """A supervisor gives an invited supervisor a 现场观摩 (or an inspection to join), linked to a case or an
    inspection record the assigning supervisor can see; the invited supervisor is told and writes it up."""
    from fazhi.supervision.links import link_resolve

    today = _today(today)
    supervisor = (
        InvitedSupervisor.objects.select_for_update(of=("self",)).select_related("unit", "user").get(pk=supervisor.pk)
    )
    _manage(by, supervisor.unit)
    if not rules.serving_on(
        status=supervisor.status, appointed_on=supervisor.appointed_on, term_end=supervisor.term_end, day=today
    ):
        raise DomainError("该特邀监督员不在聘期内，不能安排", field="supervisor")
    p = _Problems()
    if kind not in dict(rules.DUTY_KINDS):
        p.add("请选择类型：现场观摩或参加执法检查", "kind")
    linked = p.check(link_resolve, user=by, kind=link_kind, pk=link_id, field="link")
    planned_on = p.check(_date, planned_on, field="planned_on", label="安排日期")
    if planned_on and planned_on < today:
        p.add("安排日期不能早于今天", "planned_on")
    place = p.check(_line, place, field="place", label="地点", limit=200)
    note = p.check(_text, note, field="note", label="工作要求", limit=1000)
    p.raise_any()
    kind_label = dict(rules.DUTY_KINDS)[kind]
    duty = Duty.objects.create(
        supervisor=supervisor,
        kind=kind,
        link_kind=linked.kind,
        link_id=linked.id,
        subject=linked.label[:200],
        agency=Unit.objects.filter(pk=linked.unit_id).first() if linked.unit_id else None,
        planned_on=planned_on,
        place=place or "",
        note=note or "",
        assigned_by=by if getattr(by, "pk", None) else None,
        assigned_at=clock.now(),
    )
    duty.item = item_open(
        kind=DUTY.code,
        title=f"{kind_label}：{duty.subject}（{supervisor.name}）",
        unit=supervisor.unit,
        person=supervisor.user,
        by=by,
        start=planned_on,
        limit_kind="working",
        limit_days=rules.conf()["RECORD_WORKING_DAYS"],
        deadline_source=rules.record_source(),
        url=_url("duty_detail", duty.pk),
        comment=f"安排{supervisor.name}{kind_label}，{planned_on:%Y-%m-%d}，{place or '地点另行通知'}。{note or ''}".strip(),
    )
    duty.save(update_fields=["item"])
    _notify(
        supervisor.user,
        title=f"【{kind_label}】{planned_on:%Y-%m-%d} {duty.subject}"[:200],
        url=_url("duty_detail", duty.pk),
        key=f"invited-duty:{duty.pk}",
    )
    log_operation(user=by, action=f"安排特邀监督员{kind_label}", obj=supervisor, summary=duty.subject, ip=ip)
    return duty


def _record_values(p: _Problems, *, observed_on, findings, opinion, today) -> tuple:
    observed_on = p.check(_date, observed_on, field="observed_on", label="观摩日期")
    if observed_on and observed_on > today:
        p.add("观摩日期不能晚于今天", "observed_on")
    findings = p.check(_text, findings, field="findings", label="观摩情况", limit=5000, required=True, minimum=10)
    opinion = p.check(_text, opinion, field="opinion", label="意见建议", limit=5000)
    return observed_on, findings, opinion or ""


@transaction.atomic
def duty_record(
    *,
    by,
    duty: Duty,
    observed_on: dt.date,
    findings: str,
    opinion: str = "",
    files=(),
    today: dt.date | None = None,
    ip=None,
) -> Duty:
    """The invited supervisor writes up what he observed: the item closes (on time or not)."""
    today = _today(today)
    duty = (
        Duty.objects.select_for_update(of=("self",))
        .select_related("supervisor", "supervisor__unit", "item")
        .get(pk=duty.pk)
    )
    sup = duty.supervisor
    if by is None or sup.user_id != by.pk or not has_permission(by, "invited.duty"):
        raise Forbidden()
    if duty.status != "assigned":
        raise DomainError("该项工作已记录或已取消", field="status")
    if not rules.serving_on(status=sup.status, appointed_on=sup.appointed_on, term_end=sup.term_end, day=today):
        raise DomainError("您不在聘期内，不能记录", field="status")
    p = _Problems()
    observed_on, findings, opinion = _record_values(
        p, observed_on=observed_on, findings=findings, opinion=opinion, today=today
    )
    files = list(files or [])
    p.raise_any()
    attachments = attachments_store(files=files, by=by)
    duty.status, duty.observed_on, duty.findings, duty.opinion = "recorded", observed_on, findings, opinion
    duty.recorded_at = clock.now()
    duty.save()
    if attachments:
        duty.attachments.set(attachments)
    item_record(
        item=duty.item,
        by=by,
        action="recorded",
        label="记录观摩情况",
        comment=f"观摩情况：{findings}" + (f"\n意见建议：{opinion}" if opinion else ""),
        attachments=attachments,
    )
    duty.item = item_close(item=duty.item, by=by, label="已记录", closed_on=today)
    log_operation(user=by, action="记录观摩情况", obj=duty, summary=duty.subject, ip=ip)
    return duty


@transaction.atomic
def duty_self_record(
    *,
    by,
    kind: str,
    subject: str,
    observed_on: dt.date,
    findings: str,
    opinion: str = "",
    agency: Unit | None = None,
    place: str = "",
    files=(),
    today: dt.date | None = None,
    ip=None,
) -> Duty:
    """A 现场观摩 or an inspection he joined on his own account (not assigned): recorded at once."""
    today = _today(today)
    record = _my_record(by, today=today)
    p = _Problems()
    if kind not in dict(rules.DUTY_KINDS):
        p.add("请选择类型：现场观摩或参加执法检查", "kind")
    subject = p.check(_line, subject, field="subject", label="观摩对象（执法活动）", limit=200, required=True)
    place = p.check(_line, place, field="place", label="地点", limit=200)
    observed_on, findings, opinion = _record_values(
        p, observed_on=observed_on, findings=findings, opinion=opinion, today=today
    )
    p.raise_any()
    attachments = attachments_store(files=list(files or []), by=by)
    kind_label = dict(rules.DUTY_KINDS)[kind]
    duty = Duty.objects.create(
        supervisor=record,
        kind=kind,
        subject=subject,
        agency=agency,
        planned_on=observed_on,
        place=place or "",
        status="recorded",
        observed_on=observed_on,
        findings=findings,
        opinion=opinion,
        recorded_at=clock.now(),
    )
    if attachments:
        duty.attachments.set(attachments)
    duty.item = item_open(
        kind=DUTY.code,
        title=f"{kind_label}：{subject}（{record.name}）",
        unit=record.unit,
        person=record.user,
        by=by,
        start=observed_on,
        limit_kind="working",
        limit_days=rules.conf()["RECORD_WORKING_DAYS"],
        deadline_source=rules.record_source(),
        url=_url("duty_detail", duty.pk),
        comment=f"特邀监督员自行{kind_label}：{subject}",
    )
    duty.save(update_fields=["item"])
    item_record(
        item=duty.item,
        by=by,
        action="recorded",
        label="记录观摩情况",
        comment=f"观摩情况：{findings}" + (f"\n意见建议：{opinion}" if opinion else ""),
        attachments=attachments,
    )
    duty.item = item_close(item=duty.item, by=by, label="已记录", closed_on=today)
    log_operation(user=by, action="记录观摩情况", obj=duty, summary=subject, ip=ip)
    return duty


@transaction.atomic
def duty_cancel(*, by, duty: Duty, reason: str, today: dt.date | None = None, ip=None) -> Duty:
    today = _today(today)
    duty = (
        Duty.objects.select_for_update(of=("self",))
        .select_related("supervisor", "supervisor__unit", "item")
        .get(pk=duty.pk)
    )
    _manage(by, duty.supervisor.unit)
    if duty.status != "assigned":
        raise DomainError("只有待记录的工作可以取消", field="status")
    reason = _line(reason, field="reason", label="取消原因", limit=300, required=True)
    duty.status, duty.cancel_reason = "cancelled", reason
    duty.save(update_fields=["status", "cancel_reason"])
    duty.item = item_close(item=duty.item, by=by, label="取消", comment=reason, closed_on=today)
    log_operation(user=by, action="取消特邀监督员观摩安排", obj=duty, summary=reason, ip=ip)
    return duty


# ---------------------------------------------------------------- opinions and problem reports


@transaction.atomic
def submission_create(
    *,
    by,
    kind: str,
    content: str,
    category: str = "",
    agency: Unit | None = None,
    place: str = "",
    party: str = "",
    occurred_on: dt.date | None = None,
    files=(),
    today: dt.date | None = None,
    ip=None,
) -> Submission:
    """An opinion (answered by the organiser on a tracked working-day limit) or a problem report, which becomes a
    问题线索 in the complaint platform (complaints.services.clue_register) in this same transaction."""
    from fazhi.complaints.services import clue_register

    today = _today(today)
    record = _my_record(by, today=today)
    if kind not in dict(rules.SUBMISSION_KINDS):
        raise DomainError("请选择类型：意见建议或问题反映", field="kind")
    files = list(files or [])
    if kind == "problem":
        # clue_register checks every field of a clue (category, description, place, party, files) itself.
        clue = clue_register(
            by=by,
            category=category,
            description=content,
            place=place,
            party=party,
            occurred_on=occurred_on,
            agency_named=agency,
            files=files,
            ip=ip,
        )
        submission = Submission.objects.create(
            supervisor=record,
            kind=kind,
            category=clue.category,
            agency=agency,
            content=clue.description,
            place=clue.place,
            party=clue.party,
            occurred_on=occurred_on,
            clue_id=clue.pk,
            clue_code=clue.tracking_code,
            submitted_at=clock.now(),
        )
        submission.attachments.set(clue.attachments.all())
        item_annotate(
            item=record.application.item,
            by=by,
            action="problem_reported",
            label="反映问题（问题线索）",
            comment=f"{clue.tracking_code} {submission}",
        )
    else:
        content = _text(content, field="content", label="意见建议", limit=5000, required=True, minimum=10)
        attachments = attachments_store(files=files, by=by)
        submission = Submission.objects.create(
            supervisor=record,
            kind=kind,
            agency=agency,
            content=content,
            place=clean_text(place)[:200],
            submitted_at=clock.now(),
        )
        if attachments:
            submission.attachments.set(attachments)
        submission.item = item_open(
            kind=OPINION.code,
            title=f"特邀监督员{record.name}的意见建议：{content[:30]}",
            unit=record.unit,
            person=record.user,
            by=by,
            start=today,
            limit_kind="working",
            limit_days=rules.conf()["OPINION_REPLY_WORKING_DAYS"],
            deadline_source=rules.opinion_source(),
            url=_url("submission_detail", submission.pk),
            comment=content,
        )
        submission.save(update_fields=["item"])
        if attachments:
            item_annotate(item=submission.item, by=by, action="attachments", label="附件", attachments=attachments)
    log_operation(
        user=by, action=f"特邀监督员{submission.get_kind_display()}", obj=submission, summary=str(submission), ip=ip
    )
    return submission


@transaction.atomic
def submission_answer(*, by, submission: Submission, answer: str, today: dt.date | None = None, ip=None) -> Submission:
    """The organiser answers an opinion; the invited supervisor sees the answer (and is told)."""
    today = _today(today)
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("supervisor", "supervisor__unit", "supervisor__user", "item")
        .get(pk=submission.pk)
    )
    _manage(by, submission.supervisor.unit)
    if submission.kind != "opinion" or submission.answered_at is not None:
        raise DomainError("只有待答复的意见建议可以答复", field="status")
    answer = _text(answer, field="answer", label="答复", limit=5000, required=True, minimum=5)
    submission.answer, submission.answered_by, submission.answered_at = answer, by, clock.now()
    submission.save(update_fields=["answer", "answered_by", "answered_at"])
    submission.item = item_close(item=submission.item, by=by, label="答复意见建议", comment=answer, closed_on=today)
    _notify(
        submission.supervisor.user,
        title=f"您的意见建议已答复：{submission.content[:30]}",
        url=_url("submission_detail", submission.pk),
        key=f"invited-answer:{submission.pk}",
    )
    log_operation(user=by, action="答复特邀监督员意见建议", obj=submission, summary=answer[:200], ip=ip)
    return submission


# ---------------------------------------------------------------- training


def _attendees_check(attendees, *, day: dt.date) -> list[InvitedSupervisor]:
    attendees = list(attendees or [])
    for s in attendees:
        if not rules.serving_on(status=s.status, appointed_on=s.appointed_on, term_end=s.term_end, day=day):
            raise DomainError(f"{s.name}在 {day:%Y-%m-%d} 不在聘期内", field="attendees")
    return attendees


def _attend(training: Training, supervisors: list[InvitedSupervisor], *, by) -> int:
    added = 0
    for s in supervisors:
        _, created = TrainingAttendance.objects.get_or_create(training=training, supervisor=s)
        if created:
            added += 1
            item_annotate(
                item=s.application.item,
                by=by,
                action="training",
                label="参加培训",
                comment=f"{training.held_on:%Y-%m-%d} {training.topic}（{training.hours} 学时）",
            )
    return added


@transaction.atomic
def training_create(
    *,
    by,
    topic: str,
    held_on: dt.date,
    hours,
    place: str = "",
    note: str = "",
    attendees=(),
    unit: Unit | None = None,
    today: dt.date | None = None,
    ip=None,
) -> Training:
    from decimal import Decimal, InvalidOperation

    today = _today(today)
    _require(by, training_actions(user=by, obj=None) if by else set(), "create")
    unit = unit or _unit_of(by)
    p = _Problems()
    topic = p.check(_line, topic, field="topic", label="培训主题", limit=200, required=True)
    held_on = p.check(_date, held_on, field="held_on", label="培训日期")
    if held_on and held_on > today:
        p.add("培训日期不能晚于今天（登记已举办的培训）", "held_on")
    try:
        hours = Decimal(str(hours)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError, TypeError):
        hours = None
    if hours is None or not Decimal("0.5") <= hours <= Decimal("100"):
        p.add("学时应在 0.5 至 100 之间", "hours")
    place = p.check(_line, place, field="place", label="地点", limit=200)
    note = p.check(_text, note, field="note", label="说明", limit=1000)
    if held_on:
        attendees = p.check(_attendees_check, attendees, day=held_on)
    p.raise_any()
    training = Training.objects.create(
        unit=unit, topic=topic, held_on=held_on, hours=hours, place=place or "", note=note or "", created_by=by
    )
    _attend(training, attendees or [], by=by)
    log_operation(user=by, action="登记特邀监督员培训", obj=training, summary=topic, ip=ip)
    return training


@transaction.atomic
def training_attend(*, by, training: Training, attendees, ip=None) -> int:
    _manage(by, training.unit)
    attendees = _attendees_check(attendees, day=training.held_on)
    if not attendees:
        raise DomainError("请选择参训的特邀监督员", field="attendees")
    added = _attend(training, attendees, by=by)
    log_operation(user=by, action="登记特邀监督员参训", obj=training, summary=f"{added} 人", ip=ip)
    return added
