"""Forms of the 法治督察 pages: they parse input; the services decide what is allowed."""

from django import forms

from fazhi.assessment.oversight import rules
from fazhi.core.forms import BootstrapForm
from fazhi.supervision.links import link_choices
from fazhi.tracking.forms import DateField

LIGHT_CHOICES = [("", "全部亮牌"), ("red", "红牌"), ("yellow", "黄牌"), ("green", "绿牌"), ("closed", "已销号")]


class _Filter(BootstrapForm):
    def value(self, name, default=None):
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or default


class CampaignFilterForm(_Filter):
    q = forms.CharField(label="关键词", required=False)
    kind = forms.ChoiceField(label="督察方式", required=False, choices=[("", "全部方式"), *rules.CAMPAIGN_KINDS])
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)


class LedgerFilterForm(_Filter):
    q = forms.CharField(label="关键词", required=False)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *rules.RECTIFICATION_STATUSES])
    light = forms.ChoiceField(label="亮牌", required=False, choices=LIGHT_CHOICES)
    campaign = forms.IntegerField(label="督察编号", required=False, widget=forms.HiddenInput)


class CampaignForm(BootstrapForm):
    kind = forms.ChoiceField(label="督察方式", choices=rules.CAMPAIGN_KINDS)
    title = forms.CharField(label="督察名称", max_length=rules.TITLE_MAX)
    period_start = DateField(label="督察开始")
    period_end = DateField(label="督察结束")
    units = forms.ModelMultipleChoiceField(
        label="被督察单位", queryset=None, widget=forms.SelectMultiple(attrs={"size": 8})
    )
    scope = forms.CharField(label="督察范围与内容", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    team = forms.CharField(label="督察组成员", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units
        self.fields["units"].label_from_instance = lambda u: u.name


class ProblemForm(BootstrapForm):
    aspect = forms.CharField(label="问题方面", max_length=rules.TITLE_MAX)
    description = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 3}))
    requirement = forms.CharField(label="整改要求", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    units = forms.ModelMultipleChoiceField(
        label="责任单位", queryset=None, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    deadline = DateField(label="整改期限")

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].queryset = units
        self.fields["units"].label_from_instance = lambda u: u.name


class ImportForm(BootstrapForm):
    file = forms.FileField(label="问题清单（.xlsx）", required=False)
    token = forms.CharField(required=False, widget=forms.HiddenInput)


class PlanForm(BootstrapForm):
    plan = forms.CharField(label="整改方案", widget=forms.Textarea(attrs={"rows": 4}))


class ReportForm(BootstrapForm):
    text = forms.CharField(label="整改进展", widget=forms.Textarea(attrs={"rows": 3}))
    hand_in = forms.BooleanField(label="整改完成，申请对账销号", required=False)


class SignoffForm(BootstrapForm):
    comment = forms.CharField(label="销号意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(BootstrapForm):
    reason = forms.CharField(label="退回理由", widget=forms.Textarea(attrs={"rows": 2}))


class LinkForm(BootstrapForm):
    basis_kind = forms.ChoiceField(label="关联类型")
    basis_id = forms.CharField(label="关联编号", max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["basis_kind"].choices = link_choices()


class ClueForm(BootstrapForm):
    recipient = forms.CharField(label="移送机关", max_length=200, initial="示例市纪委监委")
    summary = forms.CharField(label="线索摘要", widget=forms.Textarea(attrs={"rows": 3}))
    referred_on = DateField(label="移送日期", required=False)


class ClueFeedbackForm(BootstrapForm):
    feedback = forms.CharField(label="办理反馈", widget=forms.Textarea(attrs={"rows": 2}))
    feedback_on = DateField(label="反馈日期", required=False)
    close = forms.BooleanField(label="线索已办结", required=False)
