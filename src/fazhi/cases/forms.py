"""Forms of the case pages."""

from django import forms

from fazhi.cases.models import Case
from fazhi.core.forms import BootstrapForm
from fazhi.registry.models import Agency, DiscretionTier, ListEntry, Officer, PowerItem

# ---------------------------------------------------------------- cases


class CaseDateField(forms.CharField):
    """Dates as ISO, 2024/3/5, 2024年3月5日 or Excel serials (design.md §4); the services check the order."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}))
        super().__init__(*args, **kwargs)

    def clean(self, value):
        from fazhi.core.errors import DomainError
        from fazhi.core.normalize import parse_date

        value = super().clean(value)
        if not value:
            return None
        try:
            return parse_date(value, label=self.label or "日期")
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None


HAS_ERRORS = [("", "全部校验结果"), ("1", "有预警"), ("0", "无预警")]


class CaseFilterForm(forms.Form):
    """The case list's search form: never invalid, unknown values are ignored."""

    q = forms.CharField(required=False, label="关键词")
    agency = forms.ModelChoiceField(
        required=False, label="办案机关", queryset=Agency.objects.none(), empty_label="全部办案机关"
    )
    stage = forms.ChoiceField(required=False, label="阶段", choices=[("", "全部阶段"), *Case.STAGES])
    procedure = forms.ChoiceField(required=False, label="程序", choices=[("", "全部程序"), *Case.PROCEDURES])
    party_kind = forms.ChoiceField(required=False, label="当事人类型", choices=[("", "全部当事人"), *Case.PARTY_KINDS])
    date_from = CaseDateField(required=False, label="立案日期起")
    date_to = CaseDateField(required=False, label="立案日期止")
    has_errors = forms.ChoiceField(required=False, label="校验结果", choices=HAS_ERRORS)
    rule = forms.ChoiceField(required=False, label="规则", choices=[("", "全部规则")])

    def __init__(self, *args, agencies=None, rules=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies if agencies is not None else Agency.objects.none()
        self.fields["rule"].choices = [("", "全部规则"), *rules]
        for f in self.fields.values():
            f.widget.attrs.setdefault(
                "class",
                "form-select form-select-sm" if isinstance(f.widget, forms.Select) else "form-control form-control-sm",
            )
        self.is_valid()

    def filters(self):
        from fazhi.cases.selectors import CaseFilters

        d = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        agency = d.get("agency")
        return CaseFilters(
            agency=agency.pk if agency else None,
            stage=d.get("stage") or "",
            procedure=d.get("procedure") or "",
            party_kind=d.get("party_kind") or "",
            date_from=d.get("date_from"),
            date_to=d.get("date_to"),
            q=d.get("q") or "",
            has_errors={"1": True, "0": False}.get(d.get("has_errors") or ""),
            rule=d.get("rule") or "",
        )


class CaseForm(BootstrapForm):
    """立案 and 修改: the case record. The service validates identifiers, dates and handlers."""

    agency = forms.ModelChoiceField(label="办案机关", queryset=Agency.objects.none())
    power_item = forms.ModelChoiceField(label="执法事项（权责清单）", queryset=PowerItem.objects.none())
    title = forms.CharField(label="案由", max_length=200)
    procedure = forms.ChoiceField(label="程序", choices=Case.PROCEDURES)
    party_kind = forms.ChoiceField(label="当事人类型", choices=Case.PARTY_KINDS)
    party_name = forms.CharField(label="当事人名称/姓名", max_length=100)
    party_id_number = forms.CharField(label="身份证号（自然人）", max_length=30, required=False)
    party_uscc = forms.CharField(label="统一社会信用代码（法人或其他组织）", max_length=30, required=False)
    violation_ended_on = CaseDateField(label="违法行为终了日期", required=False)
    limitation_extended = forms.BooleanField(
        label="涉及公民生命健康安全、金融安全且有危害后果（追责期限五年）", required=False
    )
    major = forms.BooleanField(label="重大执法决定（须法制审核）", required=False)
    filed_on = CaseDateField(label="立案日期")
    handlers = forms.ModelMultipleChoiceField(
        label="承办执法人员", queryset=Officer.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    number = forms.CharField(label="案号", max_length=60, required=False, help_text="留空则自动编号")
    comment = forms.CharField(label="立案说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, agencies=None, power_items=None, officers=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies if agencies is not None else Agency.objects.none()
        self.fields["power_item"].queryset = power_items if power_items is not None else PowerItem.objects.none()
        self.fields["handlers"].queryset = officers if officers is not None else Officer.objects.none()
        self.fields["handlers"].label_from_instance = lambda o: f"{o.name}（{o.agency}）"
        self.fields["power_item"].label_from_instance = lambda p: f"{p.code} {p.name}（{p.agency}）"
        if editing:
            for name in ("agency", "filed_on", "number", "comment"):
                del self.fields[name]


class InvestigationForm(BootstrapForm):
    date = CaseDateField(label="调查取证开始日期", required=False)
    comment = forms.CharField(label="调查情况", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class NoticeForm(BootstrapForm):
    notified_on = CaseDateField(label="告知日期")
    hearing_requested = forms.BooleanField(label="当事人申请听证", required=False)
    comment = forms.CharField(label="陈述申辩情况", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class HearingForm(BootstrapForm):
    hearing_notice_on = CaseDateField(label="听证通知日期")
    hearing_on = CaseDateField(label="听证日期")
    comment = forms.CharField(label="听证情况", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class LegalReviewForm(BootstrapForm):
    legal_review_on = CaseDateField(label="法制审核日期")
    comment = forms.CharField(label="审核意见", widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(BootstrapForm):
    outcome = forms.ChoiceField(label="处理结果", choices=Case.OUTCOMES)
    decision_number = forms.CharField(label="决定书文号", max_length=80)
    decided_on = CaseDateField(label="决定日期")
    penalty_kinds = forms.MultipleChoiceField(label="处罚种类", required=False, widget=forms.CheckboxSelectMultiple)
    fine = forms.CharField(label="罚款金额（元）", required=False)
    tier = forms.ModelChoiceField(
        label="裁量阶次", required=False, queryset=DiscretionTier.objects.none(), empty_label="（不适用）"
    )
    list_entry = forms.ModelChoiceField(
        label="不予处罚清单适用情形",
        required=False,
        queryset=ListEntry.objects.none(),
        empty_label="（给予处罚时不填）",
    )
    comment = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, tiers=None, entries=None, penalty_kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["penalty_kinds"].choices = [(k, k) for k in penalty_kinds]
        self.fields["tier"].queryset = tiers if tiers is not None else DiscretionTier.objects.none()
        self.fields["tier"].label_from_instance = lambda t: (
            f"{t} {t.fine_min if t.fine_min is not None else '—'}–{t.fine_max if t.fine_max is not None else '—'} 元"
        )
        self.fields["list_entry"].queryset = entries if entries is not None else ListEntry.objects.none()
        self.fields["list_entry"].label_from_instance = lambda e: f"{e.circumstances[:40]}（{e.legal_basis}）"


class ServiceForm(BootstrapForm):
    served_on = CaseDateField(label="送达日期")
    method = forms.ChoiceField(
        label="送达方式",
        choices=[
            ("当场送达", "当场送达"),
            ("直接送达", "直接送达"),
            ("邮寄送达", "邮寄送达"),
            ("电子送达", "电子送达"),
            ("留置送达", "留置送达"),
            ("公告送达", "公告送达"),
        ],
    )
    comment = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DisclosureForm(BootstrapForm):
    disclosed_on = CaseDateField(label="公示日期", required=False, help_text="留空为今天")
    summary = forms.CharField(
        label="公示内容摘要",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="留空则按案由和处罚内容自动生成；当事人信息按规则脱敏",
    )


class ExecutionForm(BootstrapForm):
    executed_on = CaseDateField(label="执行完毕日期")
    comment = forms.CharField(label="执行情况", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CloseForm(BootstrapForm):
    closed_on = CaseDateField(label="结案日期", required=False, help_text="留空为今天")
    comment = forms.CharField(label="结案说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))


STAGE_FORMS = {
    "investigation": InvestigationForm,
    "notice": NoticeForm,
    "hearing": HearingForm,
    "legal_review": LegalReviewForm,
    "decision": DecisionForm,
    "service": ServiceForm,
    "disclosure": DisclosureForm,
    "execution": ExecutionForm,
    "closed": CloseForm,
}


class ExtensionForm(BootstrapForm):
    days = forms.CharField(label="延长天数", max_length=4)
    approver = forms.CharField(label="批准人", max_length=50)
    approved_on = CaseDateField(label="批准日期", required=False, help_text="留空为今天")
    reason = forms.CharField(label="延长理由", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(BootstrapForm):
    reason = forms.CharField(label="撤回理由", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class PeriodForm(forms.Form):
    date_from = CaseDateField(required=False, label="立案日期起")
    date_to = CaseDateField(required=False, label="立案日期止")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.widget.attrs.setdefault("class", "form-control form-control-sm")
        self.is_valid()

    def value(self, name):
        return getattr(self, "cleaned_data", {}).get(name)


class DisclosureSearchForm(forms.Form):
    """The portal's search: agency, period, party type, keyword. Never invalid."""

    agency = forms.ModelChoiceField(
        required=False, label="执法机关", queryset=Agency.objects.none(), empty_label="全部执法机关"
    )
    date_from = CaseDateField(required=False, label="公示日期起")
    date_to = CaseDateField(required=False, label="公示日期止")
    party_kind = forms.ChoiceField(required=False, label="当事人类型", choices=[("", "全部当事人"), *Case.PARTY_KINDS])
    q = forms.CharField(required=False, label="关键词", max_length=50)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies if agencies is not None else Agency.objects.none()
        for f in self.fields.values():
            f.widget.attrs.setdefault(
                "class",
                "form-select form-select-sm" if isinstance(f.widget, forms.Select) else "form-control form-control-sm",
            )
        self.is_valid()

    def value(self, name):
        return getattr(self, "cleaned_data", {}).get(name)
