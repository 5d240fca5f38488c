"""Forms of the 学法用法 pages: they parse input; the services decide what is allowed."""

from django import forms

from fazhi.core.forms import BootstrapForm
from fazhi.core.models import Unit
from fazhi.legalservices.study import rules
from fazhi.tracking.forms import DateField


def _dt_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class FilterForm(BootstrapForm):
    q = forms.CharField(label="关键词", required=False)
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)

    def value(self, name, default=None):
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or default


class ReportFilterForm(FilterForm):
    file = forms.ChoiceField(
        label="述法报告文件", required=False, choices=[("", "全部"), ("1", "已上传"), ("0", "未上传")]
    )


class QuestionFilterForm(FilterForm):
    subject = forms.CharField(label="科目", required=False)
    kind = forms.ChoiceField(label="题型", required=False, choices=[("", "全部题型"), *rules.QUESTION_KINDS])
    active = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), ("1", "启用"), ("0", "停用")])
    year = None


class ExamForm(BootstrapForm):
    title = forms.CharField(label="考试名称", max_length=100)
    kind = forms.ChoiceField(label="考试类型", choices=rules.EXAM_KINDS)
    year = forms.IntegerField(label="年度")
    subjects = forms.MultipleChoiceField(label="科目", choices=[], widget=forms.CheckboxSelectMultiple)
    single_count = forms.IntegerField(label="单选题数", min_value=0, initial=0)
    multiple_count = forms.IntegerField(label="多选题数", min_value=0, initial=0)
    judge_count = forms.IntegerField(label="判断题数", min_value=0, initial=0)
    duration_minutes = forms.IntegerField(label="考试时长（分钟）", initial=rules.DEFAULT_DURATION_MINUTES)
    pass_mark = forms.IntegerField(label="合格分数", required=False)
    opens_at = forms.DateTimeField(label="开考时间", widget=_dt_widget())
    closes_at = forms.DateTimeField(label="截止时间", widget=_dt_widget())

    def __init__(self, *args, subjects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subjects"].choices = [(s, f"{s}（{n} 题）") for s, n in subjects]
        self.fields["pass_mark"].initial = rules.pass_mark()


class EnrolForm(BootstrapForm):
    units = forms.ModelMultipleChoiceField(label="按单位报名（该单位全部在岗账号）", queryset=None, required=False)
    usernames = forms.CharField(
        label="或填写用户名（每行一个）", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units if units is not None else Unit.objects.none()


class SessionForm(BootstrapForm):
    meeting = forms.CharField(label="会议", max_length=100)
    held_on = DateField(label="日期")
    topic = forms.CharField(label="学习主题", max_length=200)
    law_title = forms.CharField(label="所学法律法规", max_length=200)
    presenting_unit = forms.ModelChoiceField(label="讲法单位", queryset=None)
    presenter = forms.CharField(label="讲法人", max_length=50)
    attendees = forms.IntegerField(label="参会人数", min_value=0, initial=0, required=False)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenting_unit"].queryset = units if units is not None else Unit.objects.none()


class ReportForm(BootstrapForm):
    year = forms.IntegerField(label="年度")
    leader_name = forms.CharField(label="述法人", max_length=50)
    leader_post = forms.CharField(label="职务", max_length=50)
    content = forms.CharField(label="述法内容", widget=forms.Textarea(attrs={"rows": 8}))


class QuestionForm(BootstrapForm):
    subject = forms.CharField(label="科目", max_length=50)
    kind = forms.ChoiceField(label="题型", choices=rules.QUESTION_KINDS)
    stem = forms.CharField(label="题干", widget=forms.Textarea(attrs={"rows": 3}))
    options = forms.CharField(
        label="选项",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="每行一个选项，依次为 A、B、C…；判断题不填（固定为 正确、错误）",
    )
    answer = forms.CharField(label="正确答案", max_length=20, help_text="字母，多选如 ABD；判断题填 正确 或 错误")
    explanation = forms.CharField(label="解析", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    @staticmethod
    def initial_for(q) -> dict:
        answer = q.answer
        if q.kind == rules.JUDGE:
            answer = dict(zip(rules.OPTION_LETTERS, rules.JUDGE_OPTIONS, strict=False)).get(q.answer, q.answer)
        return {
            "subject": q.subject,
            "kind": q.kind,
            "stem": q.stem,
            "options": "\n".join(q.options) if q.kind != rules.JUDGE else "",
            "answer": answer,
            "explanation": q.explanation,
        }

    def data_for_service(self) -> dict:
        d = dict(self.cleaned_data)
        d["options"] = [line for line in (d.get("options") or "").splitlines() if line.strip()]
        return d
