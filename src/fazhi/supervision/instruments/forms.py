"""Forms of the 监督文书 pages: they parse input; the services decide what is allowed."""

from django import forms

from fazhi.core.forms import BootstrapForm
from fazhi.supervision.instruments import rules
from fazhi.supervision.instruments.models import RiskProposal
from fazhi.supervision.links import link_choices
from fazhi.tracking.forms import DateField

LIGHT_CHOICES = [("", "全部亮牌"), ("red", "红牌"), ("yellow", "黄牌"), ("green", "绿牌")]
ORIGIN_CHOICES = [("", "全部来源"), ("manual", "人工拟制"), ("proposed", "系统建议（决定书）"), ("risk", "风险预警")]


def _datetime_widget():
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class FilterForm(BootstrapForm):
    q = forms.CharField(label="关键词", required=False)
    kind = forms.ChoiceField(label="种类", required=False, choices=[("", "全部种类"), *rules.KINDS])
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *rules.STATUSES])
    light = forms.ChoiceField(label="亮牌", required=False, choices=LIGHT_CHOICES)
    origin = forms.ChoiceField(label="来源", required=False, choices=ORIGIN_CHOICES)
    date_from = DateField(label="签发日期起", required=False)
    date_to = DateField(label="签发日期止", required=False)

    def value(self, name, default=None):
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or default


class InstrumentForm(BootstrapForm):
    kind = forms.ChoiceField(label="文书种类", choices=rules.KINDS)
    recipient = forms.ModelChoiceField(label="主送单位", queryset=None, required=False, empty_label="请选择主送单位")
    title = forms.CharField(label="标题（事由）", max_length=rules.TITLE_MAX)
    decision_kind = forms.ChoiceField(
        label="决定种类（仅决定书）", required=False, choices=[("", "签发时选择"), *rules.DECISION_KINDS]
    )
    facts = forms.CharField(label="基本事实", widget=forms.Textarea(attrs={"rows": 5}), max_length=rules.TEXT_MAX)
    requirements = forms.CharField(
        label="监督意见与要求", required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=rules.TEXT_MAX
    )
    interview_at = forms.DateTimeField(label="约谈时间（仅约谈）", required=False, widget=_datetime_widget())
    interview_place = forms.CharField(label="约谈地点（仅约谈）", required=False, max_length=200)
    reply_required = forms.BooleanField(label="约谈后要求书面报告整改情况（仅约谈）", required=False, initial=True)
    basis_kind = forms.ChoiceField(label="依据类型", required=False)
    basis_id = forms.CharField(
        label="依据编号", required=False, max_length=20, help_text="案件、投诉、评查案卷等的编号"
    )

    def __init__(self, *args, recipients, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = recipients
        self.fields["recipient"].label_from_instance = lambda unit: unit.name
        self.fields["basis_kind"].choices = [("", "（不关联）"), *link_choices()]
        if editing:
            for name in ("kind", "basis_kind", "basis_id"):
                del self.fields[name]


class IssueForm(BootstrapForm):
    decision_kind = forms.ChoiceField(label="决定种类", required=False, choices=[("", "请选择"), *rules.DECISION_KINDS])


class ReplyForm(BootstrapForm):
    findings = forms.CharField(label="核查情况", widget=forms.Textarea(attrs={"rows": 4}))
    measures = forms.CharField(label="整改措施", widget=forms.Textarea(attrs={"rows": 3}))


class ReviewForm(BootstrapForm):
    comment = forms.CharField(label="审核意见", required=False, max_length=rules.REASON_MAX)


class ReasonForm(BootstrapForm):
    reason = forms.CharField(label="理由", max_length=rules.REASON_MAX)


class InterviewForm(BootstrapForm):
    held_at = forms.DateTimeField(label="约谈时间", widget=_datetime_widget())
    place = forms.CharField(label="约谈地点", max_length=200)
    participants = forms.CharField(label="参加人员", widget=forms.Textarea(attrs={"rows": 2}))
    content = forms.CharField(label="约谈内容", widget=forms.Textarea(attrs={"rows": 5}))


class BasisForm(BootstrapForm):
    basis_kind = forms.ChoiceField(label="依据类型")
    basis_id = forms.CharField(label="依据编号", max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["basis_kind"].choices = link_choices()


class RiskFilterForm(BootstrapForm):
    q = forms.CharField(label="关键词", required=False)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *RiskProposal.STATUSES])

    def value(self, name, default=None):
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or default


class StatsForm(BootstrapForm):
    date_from = DateField(label="签发日期起", required=False)
    date_to = DateField(label="签发日期止", required=False)

    def value(self, name, default=None):
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or default
