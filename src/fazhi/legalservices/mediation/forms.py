"""Forms of the 调解 pages: they parse input; the services decide what is allowed."""

from django import forms

from fazhi.core.forms import BootstrapForm
from fazhi.legalservices.mediation import rules
from fazhi.legalservices.mediation.selectors import DIMENSIONS
from fazhi.tracking.forms import DateField


class _Values:
    def value(self, name, default=None):
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or default


class CaseFilterForm(_Values, BootstrapForm):
    q = forms.CharField(label="关键词", required=False)
    kind = forms.ChoiceField(label="纠纷类型", required=False, choices=[("", "全部类型"), *rules.KINDS])
    source = forms.ChoiceField(label="来源", required=False, choices=[("", "全部来源"), *rules.SOURCES])
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *rules.STATUSES])
    date_from = DateField(label="受理日期起", required=False)
    date_to = DateField(label="受理日期止", required=False)


class CaseForm(BootstrapForm):
    org = forms.ModelChoiceField(label="调解组织", queryset=None, empty_label="请选择调解组织")
    kind = forms.ChoiceField(label="纠纷类型", choices=rules.KINDS)
    source = forms.ChoiceField(label="来源", choices=rules.SOURCES)
    applicant = forms.CharField(label="申请人", max_length=rules.NAME_MAX)
    applicant_phone = forms.CharField(label="申请人电话", max_length=20, required=False)
    respondent = forms.CharField(label="被申请人", max_length=rules.NAME_MAX)
    facts = forms.CharField(label="纠纷简要情况", widget=forms.Textarea(attrs={"rows": 4}), max_length=rules.TEXT_MAX)
    amount = forms.DecimalField(label="涉及金额（元）", required=False, min_value=0, max_digits=14, decimal_places=2)
    received_on = DateField(label="受理日期", required=False, help_text="不填为今天")
    complaint_id = forms.IntegerField(label="投诉编号（投诉举报转来时）", required=False, min_value=1)
    court_name = forms.CharField(label="委派法院（诉前调解）", max_length=100, required=False)
    court_case_no = forms.CharField(label="法院编号（诉前调解）", max_length=60, required=False)
    court_referred_on = DateField(label="委派日期（诉前调解）", required=False)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class SessionForm(BootstrapForm):
    held_on = DateField(label="调解日期")
    place = forms.CharField(label="地点", max_length=200, required=False)
    notes = forms.CharField(label="调解记录", widget=forms.Textarea(attrs={"rows": 3}), max_length=rules.TEXT_MAX)


class CloseForm(BootstrapForm):
    outcome = forms.ChoiceField(label="调解结果", required=False, choices=[("", "请选择"), *rules.OUTCOMES])
    closed_on = DateField(label="调结日期", required=False, help_text="不填为今天")
    agreement = forms.CharField(
        label="协议内容（调解成功）",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=rules.TEXT_MAX,
    )
    performance_terms = forms.CharField(label="履行方式与期限（调解成功）", required=False, max_length=500)
    next_channel = forms.ChoiceField(
        label="告知的后续途径（不成功）", required=False, choices=[("", "请选择"), *rules.CHANNELS]
    )
    failure_reason = forms.CharField(label="未成功原因", required=False, max_length=500)


class FollowUpForm(BootstrapForm):
    performance = forms.ChoiceField(label="履行情况", choices=[c for c in rules.PERFORMANCE if c[0] != "pending"])
    checked_on = DateField(label="回访日期", required=False)
    note = forms.CharField(label="回访情况", required=False, max_length=500)


class CourtReturnForm(BootstrapForm):
    returned_on = DateField(label="反馈法院日期", required=False)


class OrgForm(BootstrapForm):
    name = forms.CharField(label="组织名称", max_length=100)
    kind = forms.ChoiceField(label="组织类型", choices=rules.ORG_KINDS)
    unit = forms.ModelChoiceField(label="指导单位", queryset=None, empty_label="请选择")
    division = forms.ModelChoiceField(label="所在区划", queryset=None, empty_label="请选择")

    def __init__(self, *args, units=None, divisions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["division"].queryset = divisions


class OrgEditForm(BootstrapForm):
    name = forms.CharField(label="组织名称", max_length=100)
    kind = forms.ChoiceField(label="组织类型", choices=rules.ORG_KINDS)
    division = forms.ModelChoiceField(label="所在区划", queryset=None, empty_label="请选择")

    def __init__(self, *args, divisions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = divisions


class MediatorForm(BootstrapForm):
    name = forms.CharField(label="姓名", max_length=rules.NAME_MAX)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    is_full_time = forms.BooleanField(label="专职调解员", required=False)


class StatsForm(_Values, BootstrapForm):
    dimension = forms.ChoiceField(label="统计维度", choices=list(DIMENSIONS.items()), required=False)
    start = DateField(label="受理日期起", required=False)
    end = DateField(label="受理日期止", required=False)


class CourtExtendForm(BootstrapForm):
    days = forms.IntegerField(label="延长天数", help_text=f"最长 {rules.COURT_EXTENSION_MAX_DAYS} 日，只能延长一次")
    ground = forms.ChoiceField(label="延长依据", choices=rules.COURT_EXTENSION_GROUNDS)
    reason = forms.CharField(label="延长理由", max_length=500)
    on = DateField(label="延长日期", required=False)
