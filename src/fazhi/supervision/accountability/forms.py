"""Forms of the 专项监督与责任追究 pages: they parse; the services validate again and decide."""

from django import forms
from django.utils import timezone

from fazhi.core.forms import BootstrapForm
from fazhi.supervision.accountability import rules
from fazhi.supervision.accountability.models import (
    AccountabilityProposal,
    AccountabilityRecord,
    Investigation,
    TypicalCase,
)
from fazhi.tracking.forms import DateField

LIGHTS = [("", "全部"), ("red", "红牌"), ("yellow", "黄牌"), ("green", "绿牌")]


class _Form(BootstrapForm):
    """A missing field reads 请填写 / 请选择 and its label, as the services' own messages do."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            verb = "请选择" if isinstance(field, forms.ChoiceField | forms.ModelChoiceField) else "请填写"
            field.error_messages["required"] = f"{verb}{field.label}"


def _area(rows: int = 3, **attrs):
    return forms.Textarea(attrs={"rows": rows, **attrs})


class _Filter(BootstrapForm):
    """Search forms: never invalid, a bad value is ignored."""

    q = forms.CharField(label="关键词", required=False)

    def value(self, name, default=""):
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or default


class InvestigationFilterForm(_Filter):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *Investigation.STATUSES])
    light = forms.ChoiceField(label="亮牌", required=False, choices=LIGHTS)


class ProposalFilterForm(_Filter):
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部状态"), *AccountabilityProposal.STATUSES]
    )


class RecordFilterForm(_Filter):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *AccountabilityRecord.STATUSES])
    year = forms.IntegerField(label="立案年度", required=False, min_value=2000, max_value=2100)
    light = forms.ChoiceField(label="亮牌", required=False, choices=LIGHTS)


class TypicalFilterForm(_Filter):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *TypicalCase.STATUSES])


class InvestigationForm(_Form):
    basis_kind = forms.ChoiceField(
        label="关联对象类型", choices=[("case", "行政处罚案件"), ("complaint", "投诉举报 / 问题线索")]
    )
    basis_id = forms.CharField(
        label="案号、投诉查询码或编号",
        max_length=60,
        widget=forms.TextInput(attrs={"placeholder": "如：市场监管局演示〔2026〕3号，或 TS…"}),
    )
    unit = forms.ModelChoiceField(
        label="被调查单位",
        queryset=None,
        required=False,
        empty_label="（按关联记录的责任单位）",
        help_text="关联记录尚无承办单位时选择",
    )
    title = forms.CharField(label="调查事项", max_length=150)
    reason = forms.CharField(label="调查事由", widget=_area(4))
    investigators = forms.ModelMultipleChoiceField(
        label="调查人员",
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=f"不少于 {rules.INVESTIGATORS_MIN} 人（{rules.INVESTIGATORS_CITATION}）；可选特邀行政执法监督员",
    )

    def __init__(self, *args, units, investigators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda u: u.name
        self.fields["investigators"].queryset = investigators
        self.fields["investigators"].label_from_instance = lambda u: f"{u.display_name}（{u.unit}）"


class StepForm(_Form):
    kind = forms.ChoiceField(label="调查方式", choices=rules.STEP_KINDS)
    done_on = DateField(label="日期")
    text = forms.CharField(label="情况记录", widget=_area(4))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"done_on": timezone.localdate().isoformat()})
        super().__init__(*args, prefix="step", **kwargs)


class StatementForm(_Form):
    text = forms.CharField(label="说明内容", widget=_area(4))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="statement", **kwargs)


class ConcludeForm(_Form):
    conclusion = forms.ChoiceField(label="调查结论", choices=[("", "请选择"), *rules.CONCLUSIONS])
    findings = forms.CharField(label="查明的事实", widget=_area(4))
    measures = forms.CharField(label="处理措施和建议", required=False, widget=_area(3))
    propose = forms.BooleanField(label="认定执法决定错误，提出错案责任追究建议", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="conclude", **kwargs)


class ExtendForm(_Form):
    days = forms.IntegerField(label="延长天数", min_value=1, max_value=365)
    reason = forms.CharField(label="延长理由", max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="extend", **kwargs)


class ReferForm(_Form):
    organ = forms.CharField(
        label="移送机关", max_length=100, widget=forms.TextInput(attrs={"placeholder": "如：示例市纪委监委"})
    )
    reason = forms.CharField(label="涉嫌违纪违法的事实和移送理由", widget=_area(3))
    referred_on = DateField(label="移送日期")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"referred_on": timezone.localdate().isoformat()})
        super().__init__(*args, prefix="refer", **kwargs)


class FollowUpForm(_Form):
    on = DateField(label="跟踪日期")
    text = forms.CharField(label="跟踪情况", widget=_area(2))
    result = forms.CharField(
        label="纪检监察机关处理结果（反馈后填写，填写后跟踪结束）", required=False, widget=_area(2)
    )

    def __init__(self, *args, referral=None, **kwargs):
        kwargs.setdefault("initial", {"on": timezone.localdate().isoformat()})
        super().__init__(*args, prefix=f"followup{referral.pk if referral else ''}", **kwargs)


class ReasonForm(_Form):
    reason = forms.CharField(label="理由", widget=_area(2))

    def __init__(self, *args, label="理由", prefix=None, **kwargs):
        super().__init__(*args, prefix=prefix, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].error_messages["required"] = f"请填写{label}"


class CaseLookupForm(_Form):
    case = forms.CharField(label="行政处罚案件（案号或编号）", max_length=60)


class RecordForm(_Form):
    officers = forms.ModelMultipleChoiceField(
        label="责任人员", queryset=None, widget=forms.CheckboxSelectMultiple, help_text="已按案件承办人员预选"
    )
    reason = forms.CharField(label="追责事由", widget=_area(4))

    def __init__(self, *args, officers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = officers
        self.fields["officers"].label_from_instance = lambda o: (
            f"{o.name}（{o.post or '执法人员'}{'' if o.is_active else '，已离岗'}）"
        )


class DecideForm(_Form):
    """One set of fields per answerable officer (`fault_<officer id>` …), then the decision itself."""

    # Not required here: the service checks them with every officer's fields, so one submit shows every problem.
    decision = forms.CharField(label="处理决定", required=False, widget=_area(3))
    decision_organ = forms.CharField(label="决定机关", required=False, max_length=100)
    decision_on = DateField(label="决定日期", required=False)

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = entries
        self.officer_fields = []
        for e in entries:
            oid = e.officer_id
            name = e.officer.name
            self.fields[f"fault_{oid}"] = forms.ChoiceField(
                label=f"{name}：过错类型", required=False, choices=[("", "—"), *rules.FAULTS]
            )
            self.fields[f"responsibilities_{oid}"] = forms.MultipleChoiceField(
                label=f"{name}：责任种类",
                required=False,
                choices=rules.RESPONSIBILITY_CHOICES,
                widget=forms.CheckboxSelectMultiple,
            )
            self.fields[f"exempt_{oid}"] = forms.BooleanField(label=f"{name}：尽职免责", required=False)
            self.fields[f"exemption_ground_{oid}"] = forms.ChoiceField(
                label=f"{name}：免责情形", required=False, choices=[("", "—"), *rules.EXEMPTION_GROUNDS]
            )
            self.fields[f"exemption_reason_{oid}"] = forms.CharField(
                label=f"{name}：免责理由", required=False, widget=_area(2)
            )
            self.officer_fields.append(
                (
                    e,
                    [
                        self[f"fault_{oid}"],
                        self[f"responsibilities_{oid}"],
                        self[f"exempt_{oid}"],
                        self[f"exemption_ground_{oid}"],
                        self[f"exemption_reason_{oid}"],
                    ],
                )
            )
        # The decision after the officers.
        for name in ("decision", "decision_organ", "decision_on"):
            self.fields[name] = self.fields.pop(name)

    def outcomes(self) -> list[dict]:
        data = self.cleaned_data
        return [
            {
                "officer": e.officer_id,
                "fault": data.get(f"fault_{e.officer_id}", ""),
                "responsibilities": data.get(f"responsibilities_{e.officer_id}", []),
                "exempt": data.get(f"exempt_{e.officer_id}", False),
                "exemption_ground": data.get(f"exemption_ground_{e.officer_id}", ""),
                "exemption_reason": data.get(f"exemption_reason_{e.officer_id}", ""),
            }
            for e in self.entries
        ]


class TypicalForm(_Form):
    title = forms.CharField(label="标题", max_length=100)
    summary = forms.CharField(
        label="基本案情和存在问题",
        widget=_area(5),
        help_text="面向公众撰写：当事人写作“王某”，不写身份证号码；执法人员姓名和电话号码发布时自动隐去",
    )
    lesson = forms.CharField(label="警示教训", widget=_area(3))
    handling = forms.CharField(label="处理情况", widget=_area(3))


class TypicalSourceForm(TypicalForm):
    case = forms.CharField(label="行政处罚案件（案号或编号）", max_length=60, required=False)
    record = forms.IntegerField(required=False, widget=forms.HiddenInput)

    field_order = ["case", "record", "title", "summary", "lesson", "handling"]


class StatsForm(forms.Form):
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)


class PortalSearchForm(forms.Form):
    q = forms.CharField(label="关键词", required=False, max_length=50)
    agency = forms.ChoiceField(label="执法单位", required=False)
    year = forms.TypedChoiceField(label="年度", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, agencies, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "全部单位"), *((a, a) for a in agencies)]
        self.fields["year"].choices = [("", "全部年度"), *((y, f"{y}年") for y in years)]
        for f in self.fields.values():
            f.widget.attrs.setdefault(
                "class",
                "form-select form-select-sm" if isinstance(f.widget, forms.Select) else "form-control form-control-sm",
            )

    def value(self, name):
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
