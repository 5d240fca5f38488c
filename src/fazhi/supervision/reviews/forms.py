"""Forms of the case-file review pages: they parse and normalise input; the services decide what is allowed."""

from django import forms
from django.utils import timezone

from fazhi.core.forms import BootstrapForm
from fazhi.registry.models import PowerItem
from fazhi.supervision.reviews import rules
from fazhi.supervision.reviews.models import Campaign, ReviewFile, ReviewOpinion
from fazhi.tracking.forms import DateField


def _text(**attrs):
    return forms.TextInput(attrs={"class": "form-control", **attrs})


def _area(rows=3):
    return forms.Textarea(attrs={"class": "form-control", "rows": rows})


def _number(**attrs):
    return forms.TextInput(attrs={"class": "form-control", "inputmode": "decimal", **attrs})


class RubricHeaderForm(BootstrapForm):
    name = forms.CharField(label="标准名称", max_length=200)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    case_type = forms.ChoiceField(label="案卷类型", choices=PowerItem.KINDS, initial="penalty")
    basis = forms.CharField(label="制定依据", max_length=300, required=False, help_text="如 鲁司〔2023〕33号")
    total = forms.CharField(label="总分", max_length=10, initial="100", widget=_number())
    excellent_min = forms.CharField(label="优秀分数线", max_length=10, initial="90", widget=_number())
    pass_min = forms.CharField(label="合格分数线", max_length=10, initial="60", widget=_number())

    def __init__(self, *args, replacing=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("year", timezone.localdate().year)
        if replacing is not None:  # the year and case type of an existing rubric do not change
            for name in ("year", "case_type"):
                self.fields[name].required = False
                self.fields[name].disabled = True
            self.initial.update(
                name=replacing.name,
                year=replacing.year,
                case_type=replacing.case_type,
                basis=replacing.basis,
                total=f"{rules.pts(replacing.total)}",
                excellent_min=f"{rules.pts(replacing.excellent_min)}",
                pass_min=f"{rules.pts(replacing.pass_min)}",
            )


class CampaignForm(BootstrapForm):
    name = forms.CharField(label="活动名称", max_length=200)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    rubric = forms.ModelChoiceField(label="评查标准", queryset=None)
    agencies = forms.ModelMultipleChoiceField(
        label="被评查单位", queryset=None, widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})
    )
    period_start = DateField(label="决定日期起")
    period_end = DateField(label="决定日期止")
    procedures = forms.MultipleChoiceField(
        label="程序（不选为全部）",
        choices=Campaign.PROCEDURES,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )
    min_per_agency = forms.IntegerField(label="每个单位至少抽取（件）", min_value=0, max_value=10000)
    percent = forms.CharField(
        label="或按比例抽取（%）", max_length=10, widget=_number(), help_text="每个单位取二者中较多者"
    )
    include_flagged = forms.BooleanField(label="法定校验有预警的案卷全部纳入", required=False, initial=True)
    double_review = forms.BooleanField(label="每卷两名评查人员（分差过大时由评查组长裁定）", required=False)
    disagreement_points = forms.CharField(label="分歧分差（分）", max_length=10, widget=_number())
    deadline = DateField(label="评查完成期限")

    def __init__(self, *args, rubrics, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rubric"].queryset = rubrics
        self.fields["agencies"].queryset = agencies
        self.fields["agencies"].label_from_instance = lambda a: a.unit.name
        if not self.is_bound:
            self.initial.update(
                year=timezone.localdate().year,
                min_per_agency=rules.min_per_agency_default(),
                percent=f"{rules.pts(rules.percent_default())}",
                disagreement_points=f"{rules.pts(rules.disagreement_points_default())}",
                include_flagged=True,
            )


class PoolForm(BootstrapForm):
    user = forms.ModelChoiceField(label="评查人员", queryset=None)

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = lambda u: f"{u.display_name}（{u.unit or '未归属单位'}）"


class AssignForm(BootstrapForm):
    reviewer = forms.ModelChoiceField(label="评查人员", queryset=None)
    second_reviewer = forms.ModelChoiceField(label="第二评查人员", queryset=None, required=False)

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("reviewer", "second_reviewer"):
            self.fields[name].queryset = users
            self.fields[name].label_from_instance = lambda u: f"{u.display_name}（{u.unit or ''}）"


class LineForm(BootstrapForm):
    rubric_item = forms.ModelChoiceField(label="评查项目", queryset=None)
    defects = forms.IntegerField(label="处数", min_value=1, max_value=99, initial=1)
    note = forms.CharField(label="问题描述", max_length=500, widget=_area(2))

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rubric_item"].queryset = items

        def label(i):
            if i.kind == "veto":
                return f"否决项 {i.code} {i.title}"
            return f"{i.code} {i.title}（{rules.pts(i.points)} 分，每处扣 {rules.pts(i.deduction)} 分）"

        self.fields["rubric_item"].label_from_instance = label


class SubmitForm(BootstrapForm):
    comment = forms.CharField(label="评查意见", required=False, max_length=2000, widget=_area(3))


class ResolveForm(BootstrapForm):
    choose = forms.ChoiceField(label="采纳", choices=[("first", "评查人员的评分"), ("second", "第二评查人员的评分")])
    reason = forms.CharField(label="裁定理由", max_length=500, widget=_area(2))


class OpinionIssueForm(BootstrapForm):
    prefix = forms.CharField(
        label="发文机关代字", max_length=20, required=False, help_text="首次印发时填写，如“示司评”；以后沿用"
    )


class ReportForm(BootstrapForm):
    text = forms.CharField(label="整改情况", max_length=5000, widget=_area(4))


class CommentForm(BootstrapForm):
    comment = forms.CharField(label="意见", max_length=500, required=False, widget=_area(2))


class ReturnForm(BootstrapForm):
    reason = forms.CharField(label="退回理由", max_length=500, widget=_area(2))


class FileFilterForm(forms.Form):
    q = forms.CharField(label="关键词", required=False, widget=_text(placeholder="案号、案由或活动名称"))
    campaign = forms.ChoiceField(label="评查活动", required=False)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *ReviewFile.STATUSES])
    grade = forms.ChoiceField(label="等次", required=False, choices=[("", "全部等次"), *rules.GRADES])
    mine = forms.BooleanField(label="只看分配给我的", required=False)

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].choices = [("", "全部活动"), *((str(c.pk), c.name) for c in campaigns)]
        for name, field in self.fields.items():
            css = (
                "form-check-input"
                if name == "mine"
                else (
                    "form-select form-select-sm"
                    if isinstance(field, forms.ChoiceField)
                    else "form-control form-control-sm"
                )
            )
            field.widget.attrs.setdefault("class", css)

    def value(self, name):
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None


OPINION_STATUSES = [("", "全部状态"), *ReviewOpinion.STATUSES]
CAMPAIGN_STATUSES = [("", "全部状态"), *Campaign.STATUSES]
