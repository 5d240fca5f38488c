"""特邀行政执法监督员: recruitment campaigns, applications and objections, the appointed supervisors with their
annual reviews, and what they do (duties, opinions and problem reports, training).

Scope: everything belongs to the unit that organises the campaign (the Justice Bureau, or whichever unit recruits
its own supervisors): `RecruitmentCampaign.organiser`, copied to `InvitedSupervisor.unit` and `Training.unit`.
Timelines: an application's TrackedItem is the person's timeline from the application on (资格初审 closes it; later
steps — 公示, 聘任 and 聘书, reviews, leaving — are annotated on it); a campaign, a duty and an opinion each have
their own item; the term-expiry reminder is an item of its own, opened by the periodic job.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from fazhi.core.models import Attachment, Unit
from fazhi.supervision.supervisors import rules


class RecruitmentCampaign(models.Model):
    """A recruitment campaign (招募公告): the announcement with its conditions and quota, published on the portal."""

    title = models.CharField("公告标题", max_length=200)
    organiser = models.ForeignKey(Unit, verbose_name="组织单位", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    announcement = models.TextField("公告正文", blank=True)
    quota = models.PositiveIntegerField("拟聘名额")
    min_age = models.PositiveSmallIntegerField("最低年龄（周岁）")
    max_age = models.PositiveSmallIntegerField("最高年龄（周岁）", help_text="0 表示不限")
    min_residency_years = models.PositiveSmallIntegerField("本地居住年限（年）")
    exclude_functionaries = models.BooleanField("在职国家公职人员不得报名", default=True)
    require_no_sanctions = models.BooleanField("须未受刑事处罚、处分", default=True)
    apply_from = models.DateField("报名开始日期")
    apply_until = models.DateField("报名截止日期")
    publicity_days = models.PositiveSmallIntegerField("公示期（工作日）")
    term_years = models.PositiveSmallIntegerField("聘期（年）")
    status = models.CharField("状态", max_length=10, choices=rules.CAMPAIGN_STATUSES, default="draft", db_index=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    publicity_start = models.DateField("公示开始", null=True, blank=True)
    publicity_end = models.DateField("公示截止", null=True, blank=True)
    closed_on = models.DateField("结束日期", null=True, blank=True)
    item = models.ForeignKey("tracking.TrackedItem", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = verbose_name_plural = "特邀监督员招募"

    def __str__(self) -> str:
        return self.title

    @property
    def conditions(self) -> rules.Conditions:
        return rules.Conditions(
            min_age=self.min_age,
            max_age=self.max_age,
            min_residency_years=self.min_residency_years,
            exclude_functionaries=self.exclude_functionaries,
            require_no_sanctions=self.require_no_sanctions,
        )


class Application(models.Model):
    """An application by one of the three routes, with the applicant's personal data (masked wherever shown)."""

    campaign = models.ForeignKey(RecruitmentCampaign, on_delete=models.PROTECT, related_name="applications")
    route = models.CharField("报名方式", max_length=10, choices=rules.ROUTES)
    status = models.CharField("状态", max_length=20, choices=rules.APPLICATION_STATUSES, db_index=True)
    name = models.CharField("姓名", max_length=50)
    id_number = models.CharField("身份证号", max_length=18)
    birth_date = models.DateField("出生日期")
    gender = models.CharField("性别", max_length=2)
    phone = models.CharField("联系电话", max_length=20)
    address = models.CharField("住址", max_length=200)
    residency_years = models.PositiveSmallIntegerField("本地居住年限")
    occupation = models.CharField("职业", max_length=100, blank=True)
    employer = models.CharField("工作单位及职务", max_length=100, blank=True)
    is_functionary = models.BooleanField("在职国家公职人员", default=False)
    has_sanctions = models.BooleanField("受过刑事处罚或处分", default=False)
    statement = models.TextField("个人简历及履职意愿", blank=True)
    recommender = models.CharField("推荐单位", max_length=100, blank=True)
    invitation_number = models.CharField("函询函编号", max_length=60, blank=True)
    eligible = models.BooleanField("符合招募条件", default=False)
    eligibility = models.JSONField("不符合的条件", default=list, blank=True)
    review_reason = models.TextField("初审意见", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField("初审时间", null=True, blank=True)
    tracking_code = models.CharField("查询码", max_length=20, unique=True)
    password_salt = models.CharField(max_length=32, blank=True)
    password_hash = models.CharField(max_length=64, blank=True)
    submit_token = models.CharField(max_length=64, null=True, blank=True, unique=True)
    ip = models.GenericIPAddressField("提交 IP", null=True, blank=True)
    consent_at = models.DateTimeField("同意处理个人信息时间", null=True, blank=True)
    attachments = models.ManyToManyField(Attachment, blank=True, related_name="+")
    item = models.ForeignKey("tracking.TrackedItem", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField("报名时间", default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = verbose_name_plural = "特邀监督员报名"
        constraints = [
            # One live application per person and campaign (a declined invitation leaves the way open).
            models.UniqueConstraint(
                fields=["campaign", "id_number"], condition=~Q(status="declined"), name="invited_application_once"
            )
        ]
        indexes = [models.Index(fields=["ip", "received_at"], name="invited_application_ip")]

    def __str__(self) -> str:
        return f"{self.tracking_code} {self.name}"


class Objection(models.Model):
    """An objection raised during the 公示, about one candidate; every one is answered before appointment."""

    CHANNELS = [("portal", "公开平台"), ("staff", "工作人员登记")]

    campaign = models.ForeignKey(RecruitmentCampaign, on_delete=models.PROTECT, related_name="objections")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="objections")
    content = models.TextField("异议内容")
    objector_name = models.CharField("反映人", max_length=50, blank=True)
    objector_phone = models.CharField("联系电话", max_length=20, blank=True)
    channel = models.CharField("来源", max_length=10, choices=CHANNELS)
    ip = models.GenericIPAddressField(null=True, blank=True)
    submit_token = models.CharField(max_length=64, null=True, blank=True, unique=True)
    received_at = models.DateTimeField("收到时间", default=timezone.now, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField("状态", max_length=10, choices=rules.OBJECTION_STATUSES, default="pending")
    upheld = models.BooleanField("异议成立", null=True, blank=True)
    answer = models.TextField("核查答复", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = verbose_name_plural = "公示异议"
        indexes = [models.Index(fields=["ip", "received_at"], name="invited_objection_ip")]

    def __str__(self) -> str:
        return f"对{self.application.name}的异议"


class InvitedSupervisor(models.Model):
    """特邀行政执法监督员: appointed from an application, with a 聘书 and an account of the invited_supervisor role."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="appointment")
    campaign = models.ForeignKey(RecruitmentCampaign, on_delete=models.PROTECT, related_name="supervisors")
    unit = models.ForeignKey(Unit, verbose_name="聘任单位", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invited_records")
    name = models.CharField("姓名", max_length=50)
    number = models.CharField("聘书编号", max_length=60)
    appointed_on = models.DateField("聘任日期")
    term_end = models.DateField("聘期届满", db_index=True)
    status = models.CharField("状态", max_length=10, choices=rules.SUPERVISOR_STATUSES, default="serving")
    ended_on = models.DateField("离任日期", null=True, blank=True)
    end_reason = models.TextField("离任原因", blank=True)
    expiry_item = models.ForeignKey(
        "tracking.TrackedItem", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-appointed_on", "-id"]
        verbose_name = verbose_name_plural = "特邀行政执法监督员"
        constraints = [
            models.UniqueConstraint(fields=["user"], condition=Q(status="serving"), name="invited_serving_once")
        ]

    def __str__(self) -> str:
        return self.name


class AnnualReview(models.Model):
    """年度履职考核: one per supervisor and year."""

    supervisor = models.ForeignKey(InvitedSupervisor, on_delete=models.PROTECT, related_name="reviews")
    year = models.PositiveSmallIntegerField("年度")
    grade = models.CharField("等次", max_length=12, choices=rules.GRADES)
    comment = models.TextField("评语", blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = verbose_name_plural = "特邀监督员年度考核"
        constraints = [models.UniqueConstraint(fields=["supervisor", "year"], name="invited_review_per_year")]

    def __str__(self) -> str:
        return f"{self.supervisor} {self.year} {self.get_grade_display()}"


class Duty(models.Model):
    """现场观摩 or an inspection joined: assigned by a supervisor and recorded by the invited supervisor, or
    recorded by him of his own accord. Linked (supervision.links) to a case or an inspection record."""

    supervisor = models.ForeignKey(InvitedSupervisor, on_delete=models.PROTECT, related_name="duties")
    kind = models.CharField("类型", max_length=12, choices=rules.DUTY_KINDS)
    status = models.CharField("状态", max_length=10, choices=rules.DUTY_STATUSES, default="assigned")
    link_kind = models.CharField("关联对象类型", max_length=30, blank=True)
    link_id = models.PositiveBigIntegerField("关联对象", null=True, blank=True)
    subject = models.CharField("观摩对象", max_length=200)
    agency = models.ForeignKey(
        Unit, verbose_name="执法单位", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    planned_on = models.DateField("安排日期")
    place = models.CharField("地点", max_length=200, blank=True)
    note = models.TextField("工作要求", blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    observed_on = models.DateField("观摩日期", null=True, blank=True, db_index=True)
    findings = models.TextField("观摩情况", blank=True)
    opinion = models.TextField("意见建议", blank=True)
    recorded_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField("取消原因", max_length=300, blank=True)
    attachments = models.ManyToManyField(Attachment, blank=True, related_name="+")
    item = models.ForeignKey("tracking.TrackedItem", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-planned_on", "-id"]
        verbose_name = verbose_name_plural = "特邀监督员观摩与检查"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.subject}"


class Submission(models.Model):
    """An opinion (意见建议, answered by the organiser) or a problem report (问题反映, registered as a 问题线索 in the
    complaint platform; the clue's status and approved reply are its feedback)."""

    supervisor = models.ForeignKey(InvitedSupervisor, on_delete=models.PROTECT, related_name="submissions")
    kind = models.CharField("类型", max_length=10, choices=rules.SUBMISSION_KINDS)
    category = models.CharField("线索类别", max_length=12, blank=True)
    agency = models.ForeignKey(
        Unit, verbose_name="涉及单位", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    content = models.TextField("内容")
    place = models.CharField("地点", max_length=200, blank=True)
    party = models.CharField("涉及人员或单位", max_length=100, blank=True)
    occurred_on = models.DateField("发生时间", null=True, blank=True)
    attachments = models.ManyToManyField(Attachment, blank=True, related_name="+")
    submitted_at = models.DateTimeField("提交时间", default=timezone.now, db_index=True)
    # The clue is the complaint app's record: reached through its selectors by id, never by a foreign key.
    clue_id = models.PositiveBigIntegerField("问题线索", null=True, blank=True)
    clue_code = models.CharField("线索查询码", max_length=20, blank=True)
    answer = models.TextField("答复", blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    item = models.ForeignKey("tracking.TrackedItem", null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = verbose_name_plural = "特邀监督员意见与问题反映"

    def __str__(self) -> str:
        text = self.content.replace("\n", " ")
        return f"{self.get_kind_display()}：{text[:20]}"


class Training(models.Model):
    """A training session the invited supervisors attended (date, topic, hours)."""

    unit = models.ForeignKey(Unit, verbose_name="组织单位", on_delete=models.PROTECT, related_name="+")
    topic = models.CharField("培训主题", max_length=200)
    held_on = models.DateField("培训日期", db_index=True)
    hours = models.DecimalField("学时", max_digits=4, decimal_places=1)
    place = models.CharField("地点", max_length=200, blank=True)
    note = models.TextField("说明", blank=True)
    attendees = models.ManyToManyField(InvitedSupervisor, through="TrainingAttendance", related_name="trainings")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = verbose_name_plural = "特邀监督员培训"

    def __str__(self) -> str:
        return self.topic


class TrainingAttendance(models.Model):
    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="attendance")
    supervisor = models.ForeignKey(InvitedSupervisor, on_delete=models.PROTECT, related_name="attendance")

    class Meta:
        verbose_name = verbose_name_plural = "特邀监督员参训记录"
        constraints = [models.UniqueConstraint(fields=["training", "supervisor"], name="invited_training_once")]

    def __str__(self) -> str:
        return f"{self.supervisor} {self.training}"
