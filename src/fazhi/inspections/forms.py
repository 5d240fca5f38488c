"""Forms of the inspections pages: they parse and normalise input; the services decide what is allowed."""

from django import forms
from django.utils import timezone

from fazhi.core.forms import add_domain_error  # noqa: F401  (the views take it from here)
from fazhi.core.normalize import clean_text
from fazhi.inspections.models import CREDIT_GRADES, RISK_LEVELS, Enterprise, InspectionItem, InspectionRecord
from fazhi.tracking.forms import DateField


def _text(**attrs):
    return forms.TextInput(attrs={"class": "form-control", **attrs})


def _area(rows=3):
    return forms.Textarea(attrs={"class": "form-control", "rows": rows})


def _select():
    return forms.Select(attrs={"class": "form-select"})


class EnterpriseForm(forms.Form):
    uscc = forms.CharField(label="统一社会信用代码", max_length=30, widget=_text(placeholder="18 位"))
    name = forms.CharField(label="名称", max_length=200, widget=_text())
    kind = forms.ChoiceField(label="类型", choices=Enterprise.KINDS, widget=_select())
    industry = forms.CharField(label="行业代码", required=False, max_length=10, widget=_text(placeholder="如 C1391"))
    division = forms.ModelChoiceField(label="所在区划", queryset=None, widget=_select())
    address = forms.CharField(label="住所", required=False, max_length=200, widget=_text())
    legal_representative = forms.CharField(label="法定代表人", required=False, max_length=50, widget=_text())
    risk_level = forms.ChoiceField(label="风险等级", choices=RISK_LEVELS, initial="b_general", widget=_select())
    credit_grade = forms.ChoiceField(label="信用等级", choices=CREDIT_GRADES, initial="B", widget=_select())
    group = forms.CharField(label="企业分组", required=False, max_length=50, widget=_text(placeholder="如 高新园区"))

    def __init__(self, *args, divisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = divisions


class PlanForm(forms.Form):
    agency = forms.ModelChoiceField(label="实施主体", queryset=None, widget=_select())
    year = forms.IntegerField(
        label="年度", min_value=2000, max_value=2100, widget=forms.NumberInput(attrs={"class": "form-control"})
    )
    name = forms.CharField(label="计划名称", max_length=200, widget=_text())
    items = forms.ModelMultipleChoiceField(
        label="抽查事项", queryset=None, widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})
    )
    period_start = DateField(label="抽查期起")
    period_end = DateField(label="抽查期止")
    exclusion_days = forms.IntegerField(
        label="排除期（天）",
        initial=365,
        min_value=0,
        max_value=3650,
        help_text="此期间内已就同一事项检查过的企业不再抽取",
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    inspectors_per_enterprise = forms.IntegerField(
        label="每户检查人员数",
        initial=2,
        min_value=2,
        max_value=10,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    joint_agencies = forms.ModelMultipleChoiceField(
        label="跨部门联合抽查参与部门（可选）",
        queryset=None,
        required=False,
        help_text="选择后为联合抽查：每户一次检查，覆盖各部门所选事项，每个部门至少选派 1 名检查人员",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, agencies, items, joint_agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["joint_agencies"].queryset = joint_agencies if joint_agencies is not None else agencies
        self.fields["items"].queryset = items
        self.fields["items"].label_from_instance = lambda i: f"{i.agency.unit.short_name or i.agency} · {i.name}"
        for code, label in RISK_LEVELS:
            self.fields[f"p_{code}"] = forms.CharField(
                label=f"{label}抽取比例（%）",
                initial="0",
                max_length=10,
                widget=_text(inputmode="decimal", **{"data-level": code}),
            )
        if not self.is_bound:
            self.initial.setdefault("year", timezone.localdate().year)

    def proportions(self) -> dict:
        return {code: clean_text(self.data.get(f"p_{code}", "")) or "0" for code, _ in RISK_LEVELS}


class CommitForm(forms.Form):
    item = forms.ModelChoiceField(label="抽查事项", queryset=None, empty_label=None, widget=_select())

    def __init__(self, *args, items, joint: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = items
        if joint:  # a joint draw covers every item of the plan
            del self.fields["item"]


class RedrawForm(forms.Form):
    reason = forms.CharField(label="重新抽取理由（向社会公开）", max_length=500, widget=_area(2))


class ItemForm(forms.Form):
    power_item = forms.ModelChoiceField(label="权责清单事项（行政检查）", queryset=None, widget=_select())
    name = forms.CharField(
        label="抽查事项名称", required=False, max_length=200, widget=_text(placeholder="默认取事项名称")
    )
    targets = forms.CharField(label="抽查对象", max_length=200, widget=_text(placeholder="如 辖区内食品生产企业"))
    scope_industries = forms.CharField(
        label="对象行业范围（GB/T 4754）",
        required=False,
        max_length=200,
        widget=_text(placeholder="如 C13、C14、F521、H62"),
        help_text="抽取时只从这些行业（代码或其前缀）的市场主体中抽取；留空为不限行业",
    )
    scope_risk_levels = forms.MultipleChoiceField(
        label="对象风险等级范围",
        required=False,
        choices=RISK_LEVELS,
        widget=forms.CheckboxSelectMultiple,
        help_text="不勾选为不限风险等级",
    )
    method = forms.ChoiceField(label="检查方式", choices=InspectionItem.METHODS, widget=_select())
    basis = forms.CharField(label="检查依据", required=False, widget=_area(2))

    def __init__(self, *args, power_items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["power_item"].queryset = power_items
        self.fields["power_item"].label_from_instance = lambda p: f"{p.agency.unit.short_name or p.agency} · {p.name}"


class PoolAddForm(forms.Form):
    officer = forms.ModelChoiceField(label="执法人员", queryset=None, widget=_select())
    note = forms.CharField(label="说明", required=False, max_length=200, widget=_text())

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers
        self.fields["officer"].label_from_instance = lambda o: f"{o.name}（{o.agency.unit.short_name or o.agency}）"


class ConflictForm(forms.Form):
    officer = forms.ModelChoiceField(label="执法人员", queryset=None, widget=_select())
    uscc = forms.CharField(label="企业统一社会信用代码", max_length=30, widget=_text())
    reason = forms.CharField(label="利害关系", max_length=200, widget=_text(placeholder="如 配偶任该企业股东"))

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = officers


class RecordForm(forms.Form):
    enterprise_uscc = forms.CharField(label="被检查企业统一社会信用代码", required=False, max_length=30, widget=_text())
    agency = forms.ModelChoiceField(label="执法主体", queryset=None, required=False, widget=_select())
    source = forms.ChoiceField(
        label="检查来源",
        choices=[c for c in InspectionRecord.SOURCES if c[0] != "random"],
        required=False,
        widget=_select(),
    )
    reason = forms.CharField(label="检查事由", required=False, max_length=500, widget=_area(2))
    inspected_on = DateField(label="检查日期")
    result = forms.ChoiceField(label="检查结果", choices=InspectionRecord.RESULTS, widget=_select())
    problems = forms.CharField(label="发现问题", required=False, widget=_area(3))
    measures = forms.CharField(label="处理措施", required=False, widget=_area(2))
    inspectors = forms.ModelMultipleChoiceField(
        label="检查人员",
        queryset=None,
        required=False,
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 6}),
    )
    attachments = forms.FileField(
        label="附件（检查记录表、照片等）",
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )

    def __init__(self, *args, agencies, officers, from_draw: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["inspectors"].queryset = officers
        if from_draw:
            for name in ("enterprise_uscc", "agency", "source", "reason"):
                del self.fields[name]
            self.fields["inspectors"].help_text = "不选则为抽取结果中的检查人员"


class QuietDayForm(forms.Form):
    division = forms.ModelChoiceField(label="区划（含下级）", queryset=None, required=False, widget=_select())
    group = forms.CharField(label="或企业分组", required=False, max_length=50, widget=_text(placeholder="如 高新园区"))
    start_date = DateField(label="起始日期")
    end_date = DateField(label="截止日期")
    note = forms.CharField(label="说明", required=False, max_length=200, widget=_text())

    def __init__(self, *args, divisions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = divisions


class FeedbackForm(forms.Form):
    rating = forms.ChoiceField(
        label="对本次检查的评价",
        choices=[("satisfied", "满意"), ("basic", "基本满意"), ("dissatisfied", "不满意")],
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )
    comment = forms.CharField(label="意见建议", required=False, max_length=1000, widget=_area(3))
    description = forms.CharField(
        label="反映检查人员不当行为（选填，将作为投诉转交处理）", required=False, max_length=2000, widget=_area(4)
    )
    name = forms.CharField(label="联系人", required=False, max_length=50, widget=_text())
    phone = forms.CharField(label="联系电话", required=False, max_length=20, widget=_text())
    consent = forms.BooleanField(
        label="同意为办理投诉处理所填个人信息（反映不当行为时须勾选）",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )


class BurdenForm(forms.Form):
    year = forms.IntegerField(
        label="年度",
        required=False,
        min_value=2000,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
    )
    date_from = DateField(label="起始日期", required=False)
    date_to = DateField(label="截止日期", required=False)
    threshold = forms.IntegerField(
        label="预警线（次/年）",
        required=False,
        min_value=0,
        max_value=1000,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
    )
