"""Forms of the 法律顾问 pages: they parse input; the services decide what is allowed."""

from django import forms

from fazhi.core.forms import BootstrapForm
from fazhi.legalservices.advisers import rules
from fazhi.tracking.forms import DateField


class AdviserForm(BootstrapForm):
    kind = forms.ChoiceField(label="类别", choices=rules.ADVISER_KINDS)
    name = forms.CharField(label="姓名", max_length=rules.NAME_MAX)
    firm = forms.CharField(label="律师事务所或工作单位", max_length=100, required=False)
    license_no = forms.CharField(label="执业证号", max_length=30, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    unit = forms.ModelChoiceField(label="聘用（所在）单位", queryset=None, empty_label="请选择")

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class ContractForm(BootstrapForm):
    village = forms.ModelChoiceField(label="村（社区）（村居法律顾问）", queryset=None, required=False, empty_label="—")
    start = DateField(label="合同起始日")
    end = DateField(label="合同终止日")
    fee = forms.DecimalField(label="聘用费用（元）", required=False, min_value=0, max_digits=12, decimal_places=2)
    note = forms.CharField(label="备注", max_length=300, required=False)

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages


class ServiceForm(BootstrapForm):
    kind = forms.ChoiceField(label="服务类型", choices=rules.SERVICE_KINDS)
    on = DateField(label="服务日期")
    count = forms.IntegerField(label="件（人）次", min_value=1, max_value=100000, initial=1)
    note = forms.CharField(label="服务内容", max_length=500, required=False)


class VillageForm(BootstrapForm):
    name = forms.CharField(label="村（社区）名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=rules.VILLAGE_KINDS)
    unit = forms.ModelChoiceField(label="所属乡镇（街道）", queryset=None, empty_label="请选择")
    division = forms.ModelChoiceField(label="所在区划", queryset=None, empty_label="请选择")

    def __init__(self, *args, units=None, divisions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["division"].queryset = divisions


class OpinionForm(BootstrapForm):
    unit = forms.ModelChoiceField(label="请求单位", queryset=None, empty_label="请选择")
    kind = forms.ChoiceField(label="事项类型", choices=rules.OPINION_KINDS)
    subject = forms.CharField(label="事项名称", max_length=200)
    question = forms.CharField(
        label="需要论证的问题", widget=forms.Textarea(attrs={"rows": 4}), max_length=rules.TEXT_MAX
    )
    deadline = DateField(label="答复期限", required=False, help_text="不填为 5 个工作日")
    related_kind = forms.ChoiceField(label="关联记录类型", required=False, choices=[("", "无"), *rules.RELATED_KINDS])
    related_id = forms.IntegerField(label="关联记录编号", required=False, min_value=1)

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class RouteForm(BootstrapForm):
    adviser = forms.ModelChoiceField(label="法律顾问", queryset=None, empty_label="请选择")

    def __init__(self, *args, advisers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["adviser"].queryset = advisers


class AnswerForm(BootstrapForm):
    text = forms.CharField(label="法律意见", widget=forms.Textarea(attrs={"rows": 5}), max_length=rules.TEXT_MAX)
    suggestions = forms.IntegerField(label="提出意见建议（条）", min_value=0, max_value=1000, initial=0)
    answered_on = DateField(label="出具日期", required=False)


class TerminateForm(BootstrapForm):
    on = DateField(label="终止日期", help_text="自该日起不再计入村（社区）法律顾问覆盖")
    reason = forms.CharField(label="终止原因", max_length=300)


class AdviserEditForm(BootstrapForm):
    name = forms.CharField(label="姓名", max_length=rules.NAME_MAX)
    firm = forms.CharField(label="律师事务所或工作单位", max_length=100, required=False)
    license_no = forms.CharField(label="执业证号", max_length=30, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
