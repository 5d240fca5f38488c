"""Models of 学法用法: 会前学法 sessions, the question bank, examinations with one drawn paper per candidate and
its answers, and 年终述法 reports. Class names carry a prefix: the areas of legalservices share one Django app."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from fazhi.legalservices.study import rules


class StudySession(models.Model):
    """会前学法: before a government meeting, the unit whose law is on the agenda presents it."""

    unit = models.ForeignKey(
        "core.Unit", verbose_name="会议单位", on_delete=models.PROTECT, related_name="study_sessions"
    )
    meeting = models.CharField("会议", max_length=100)
    held_on = models.DateField("日期")
    topic = models.CharField("学习主题", max_length=200)
    law_title = models.CharField("所学法律法规", max_length=200)
    presenting_unit = models.ForeignKey(
        "core.Unit", verbose_name="讲法单位", on_delete=models.PROTECT, related_name="+"
    )
    presenter = models.CharField("讲法人", max_length=50)
    attendees = models.PositiveIntegerField("参会人数", default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-id"]
        verbose_name = verbose_name_plural = "会前学法"
        indexes = [models.Index(fields=["held_on"])]

    def __str__(self) -> str:
        return f"{self.meeting}：{self.law_title}"


class StudyQuestion(models.Model):
    subject = models.CharField("科目", max_length=50)
    kind = models.CharField("题型", max_length=10, choices=rules.QUESTION_KINDS)
    stem = models.TextField("题干")
    options = models.JSONField("选项", default=list)
    answer = models.CharField("正确答案", max_length=8)
    explanation = models.TextField("解析", blank=True)
    is_active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["subject", "kind", "id"]
        verbose_name = verbose_name_plural = "题库试题"
        indexes = [models.Index(fields=["subject", "kind", "is_active"])]

    def __str__(self) -> str:
        return self.stem[:40]

    @property
    def kind_label(self) -> str:
        return rules.QUESTION_KIND_LABELS.get(self.kind, self.kind)

    @property
    def lettered(self) -> list[tuple[str, str]]:
        return list(zip(rules.OPTION_LETTERS, self.options, strict=False))


class StudyExam(models.Model):
    """One examination (任前考法, the annual closed-book examination, the qualification examination)."""

    title = models.CharField("考试名称", max_length=100)
    kind = models.CharField("考试类型", max_length=20, choices=rules.EXAM_KINDS)
    year = models.PositiveIntegerField("年度")
    unit = models.ForeignKey("core.Unit", verbose_name="组织单位", on_delete=models.PROTECT, related_name="+")
    subjects = models.JSONField("科目", default=list)
    single_count = models.PositiveIntegerField("单选题数", default=0)
    multiple_count = models.PositiveIntegerField("多选题数", default=0)
    judge_count = models.PositiveIntegerField("判断题数", default=0)
    duration_minutes = models.PositiveIntegerField("考试时长（分钟）", default=rules.DEFAULT_DURATION_MINUTES)
    pass_mark = models.PositiveIntegerField("合格分数", default=rules.DEFAULT_PASS_MARK)
    opens_at = models.DateTimeField("开考时间")
    closes_at = models.DateTimeField("截止时间")
    status = models.CharField("状态", max_length=10, choices=rules.EXAM_STATUSES, default=rules.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opens_at", "-id"]
        verbose_name = verbose_name_plural = "考试"

    def __str__(self) -> str:
        return self.title

    @property
    def kind_label(self) -> str:
        return rules.EXAM_KIND_LABELS.get(self.kind, self.kind)

    @property
    def blueprint(self) -> rules.Blueprint:
        return rules.Blueprint(self.single_count, self.multiple_count, self.judge_count)


class ExamPaper(models.Model):
    """One candidate's paper: drawn at enrolment from a recorded seed, so that a reload shows the same questions
    and anyone can draw it again; the deadline is fixed when the candidate starts."""

    exam = models.ForeignKey(StudyExam, on_delete=models.CASCADE, related_name="papers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="考生", on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey(
        "registry.Officer", null=True, blank=True, on_delete=models.SET_NULL, related_name="exam_papers"
    )
    unit = models.ForeignKey("core.Unit", verbose_name="考生单位", on_delete=models.PROTECT, related_name="+")
    seed = models.BigIntegerField("抽题种子")
    question_ids = models.JSONField(default=list)
    status = models.CharField("状态", max_length=10, choices=rules.PAPER_STATUSES, default=rules.ASSIGNED)
    started_at = models.DateTimeField("开考时间", null=True, blank=True)
    deadline = models.DateTimeField("交卷期限", null=True, blank=True)
    submitted_at = models.DateTimeField("交卷时间", null=True, blank=True)
    score = models.DecimalField("成绩", max_digits=5, decimal_places=1, null=True, blank=True)
    passed = models.BooleanField("合格", null=True, blank=True)

    class Meta:
        ordering = ["exam_id", "unit_id", "id"]
        verbose_name = verbose_name_plural = "考生试卷"
        constraints = [models.UniqueConstraint(fields=["exam", "user"], name="study_paper_exam_user_unique")]
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return f"{self.exam} · {self.user}"


class ExamAnswer(models.Model):
    """An answer as it was given (one row per question, saved on every change, so nothing is lost on a reload
    or a dropped connection)."""

    paper = models.ForeignKey(ExamPaper, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(StudyQuestion, on_delete=models.PROTECT, related_name="+")
    answer = models.CharField(max_length=8, blank=True)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["paper", "question"], name="study_answer_unique")]
        verbose_name = verbose_name_plural = "答题记录"

    def __str__(self) -> str:
        return f"{self.paper_id}/{self.question_id}: {self.answer}"


class StudyLawReport(models.Model):
    """年终述法: a leader's year-end account of his legal duties, collected per unit and year."""

    year = models.PositiveIntegerField("年度")
    unit = models.ForeignKey("core.Unit", verbose_name="单位", on_delete=models.PROTECT, related_name="+")
    leader_name = models.CharField("述法人", max_length=50)
    leader_post = models.CharField("职务", max_length=50)
    content = models.TextField("述法内容")
    attachment = models.ForeignKey(
        "core.Attachment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "unit_id", "id"]
        verbose_name = verbose_name_plural = "年终述法"
        constraints = [models.UniqueConstraint(fields=["year", "unit", "leader_name"], name="study_report_unique")]

    def __str__(self) -> str:
        return f"{self.year} {self.leader_name}"
