"""Forms of the registry pages."""

from django import forms

from fazhi.core.forms import BootstrapForm
from fazhi.registry.models import Agency, Certificate, DiscretionTier, ListEntry, PowerItem

# ---------------------------------------------------------------- registry: agencies, power items, officers


class RegistryFilterForm(forms.Form):
    """Search forms of the registry lists: never invalid, unknown values are ignored."""

    q = forms.CharField(required=False, label="关键词")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.is_valid()

    def value(self, name, default=None):
        return self.cleaned_data.get(name) or default


class AgencyFilterForm(RegistryFilterForm):
    legal_status = forms.ChoiceField(
        required=False, label="主体资格", choices=[("", "全部主体资格"), *Agency.LEGAL_STATUSES]
    )


class PowerItemFilterForm(RegistryFilterForm):
    kind = forms.ChoiceField(required=False, label="事项类型", choices=[("", "全部类型"), *PowerItem.KINDS])
    agency = forms.ModelChoiceField(
        required=False, label="实施主体", queryset=Agency.objects.none(), empty_label="全部实施主体"
    )
    major = forms.ChoiceField(
        required=False, label="重大执法决定", choices=[("", "是否重大"), ("1", "重大执法决定"), ("0", "非重大")]
    )

    def __init__(self, *args, agencies=None, **kwargs):
        super(RegistryFilterForm, self).__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies if agencies is not None else Agency.objects.none()
        self.is_valid()


class OfficerFilterForm(RegistryFilterForm):
    agency = forms.ModelChoiceField(
        required=False, label="所属执法主体", queryset=Agency.objects.none(), empty_label="全部执法主体"
    )
    cert_status = forms.ChoiceField(
        required=False,
        label="证件状态",
        choices=[
            ("", "全部证件状态"),
            ("valid", "有效"),
            ("expiring", "30 日内到期"),
            ("expired", "已过期"),
            ("suspended", "暂扣"),
            ("revoked", "吊销"),
            ("none", "无证"),
        ],
    )

    def __init__(self, *args, agencies=None, **kwargs):
        super(RegistryFilterForm, self).__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies if agencies is not None else Agency.objects.none()
        self.is_valid()


class AgencyForm(BootstrapForm):
    unit = forms.ModelChoiceField(label="单位", queryset=Agency.objects.none())
    legal_status = forms.ChoiceField(label="主体资格", choices=Agency.LEGAL_STATUSES)
    entrusting_agency = forms.ModelChoiceField(
        label="委托机关", queryset=Agency.objects.none(), required=False, empty_label="（受委托组织必填）"
    )
    jurisdiction = forms.CharField(label="管辖范围", max_length=200, required=False)
    domains = forms.CharField(label="执法领域", max_length=300, required=False, help_text="多个用顿号分隔")
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    def __init__(self, *args, units=None, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["entrusting_agency"].queryset = agencies


class PowerItemForm(BootstrapForm):
    agency = forms.ModelChoiceField(label="实施主体", queryset=Agency.objects.none())
    code = forms.CharField(label="事项编码", max_length=50)
    name = forms.CharField(label="事项名称", max_length=200)
    kind = forms.ChoiceField(label="事项类型", choices=PowerItem.KINDS)
    major = forms.BooleanField(label="重大执法决定（决定前须法制审核）", required=False)
    effective_from = forms.CharField(label="生效日期", required=False, help_text="为空取今日；例：2025-03-05")

    def __init__(self, *args, agencies=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        if editing:
            for name in ("agency", "code"):
                self.fields[name].disabled = True
                self.fields[name].help_text = "修改将生成新版本；实施主体和编码不能修改"


class LegalBasisForm(BootstrapForm):
    law = forms.CharField(label="法律法规名称", max_length=200, required=False)
    article = forms.CharField(label="条", max_length=30, required=False)
    clause = forms.CharField(label="款/项", max_length=30, required=False)
    text = forms.CharField(label="条文", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TierForm(BootstrapForm):
    level = forms.ChoiceField(label="阶次", choices=[("", "—"), *DiscretionTier.LEVELS], required=False)
    name = forms.CharField(label="阶次名称", max_length=50, required=False)
    circumstances = forms.CharField(label="适用情形", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    penalty_kinds = forms.MultipleChoiceField(
        label="处罚种类", required=False, choices=[], widget=forms.CheckboxSelectMultiple
    )
    fine_min = forms.CharField(label="罚款下限（元）", required=False)
    fine_max = forms.CharField(label="罚款上限（元）", required=False)
    multiple_min = forms.CharField(label="倍数下限", required=False)
    multiple_max = forms.CharField(label="倍数上限", required=False)

    def __init__(self, *args, **kwargs):
        from fazhi.registry.rules import PENALTY_KINDS

        super().__init__(*args, **kwargs)
        self.fields["penalty_kinds"].choices = [(k, k) for k in PENALTY_KINDS]


BasisFormSet = forms.formset_factory(LegalBasisForm, extra=2)
TierFormSet = forms.formset_factory(TierForm, extra=2)


class ListEntryForm(BootstrapForm):
    kind = forms.ChoiceField(label="清单类型", choices=ListEntry.KINDS)
    power_item = forms.ModelChoiceField(
        label="对应事项", queryset=PowerItem.objects.none(), required=False, empty_label="（适用本主体全部事项）"
    )
    circumstances = forms.CharField(label="适用情形", widget=forms.Textarea(attrs={"rows": 3}))
    legal_basis = forms.CharField(
        label="依据", max_length=300, help_text="例：《中华人民共和国行政处罚法》第三十三条第一款"
    )

    def __init__(self, *args, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["power_item"].queryset = items if items is not None else PowerItem.objects.none()


class OfficerForm(BootstrapForm):
    agency = forms.ModelChoiceField(label="所属执法主体", queryset=Agency.objects.none())
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="身份证号", max_length=30, help_text="18 位居民身份证号（GB 11643 校验）")
    post = forms.CharField(label="职务/岗位", max_length=50, required=False)
    is_active = forms.BooleanField(label="在岗", required=False, initial=True)

    def __init__(self, *args, agencies=None, masked_id: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        if masked_id:
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = f"现为 {masked_id}；留空则不修改"


class CertificateForm(BootstrapForm):
    number = forms.CharField(label="证件编号", max_length=40)
    issuer = forms.CharField(label="发证机关", max_length=100, required=False)
    valid_from = forms.CharField(label="有效期起", help_text="例：2025-03-05、2025/3/5、2025年3月5日")
    valid_to = forms.CharField(label="有效期止")


class CertificateStatusForm(BootstrapForm):
    status = forms.ChoiceField(label="证件状态", choices=Certificate.STATUSES)
    reason = forms.CharField(label="理由", max_length=200, required=False)


class TrainingForm(BootstrapForm):
    year = forms.IntegerField(label="年度")
    hours = forms.CharField(label="培训学时")
    exam_score = forms.CharField(label="考试成绩", required=False)
    exam_passed = forms.ChoiceField(
        label="考试合格", required=False, choices=[("", "按成绩判断（60 分合格）"), ("1", "合格"), ("0", "不合格")]
    )
