"""Forms of the requests pages: they parse and normalise input; the services decide what is allowed."""

from django import forms

from fazhi.core.forms import BootstrapForm, add_domain_error  # noqa: F401  (the views take it from here)
from fazhi.requests import rules
from fazhi.requests.models import (
    APPLICANT_KINDS,
    BODIES,
    CHANNELS,
    CLASSIFICATIONS,
    ORG_TYPES,
    PROPOSAL_KINDS,
    SATISFACTION,
    Consultation,
    DisclosureRequest,
    Proposal,
)
from fazhi.tracking.forms import DateField


def _area(rows=3, **attrs):
    return forms.Textarea(attrs={"rows": rows, **attrs})


class SessionForm(BootstrapForm):
    body = forms.ChoiceField(label="机关", choices=BODIES)
    term = forms.IntegerField(label="届次", min_value=1, max_value=99, help_text="如 18 表示第十八届")
    meeting = forms.IntegerField(label="会议", min_value=0, max_value=20, help_text="第几次会议；闭会期间填 0")
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    opened_on = DateField(label="开幕日期", required=False)


class ProposalForm(BootstrapForm):
    session = forms.ModelChoiceField(label="会议届次", queryset=None)
    number = forms.CharField(label="编号", max_length=30, help_text="如 0012（不含“第”“号”）")
    title = forms.CharField(label="标题", max_length=200)
    proposers = forms.CharField(
        label="提出人",
        widget=_area(3, placeholder="每行一人：姓名，代表团或界别，电话；第一行为领衔人"),
        help_text="联名提出的每行一人，第一行为领衔人（领衔人反馈评价意见）",
    )
    text = forms.CharField(label="内容", widget=_area(8))
    registered_on = DateField(label="登记日期", required=False)

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = sessions


class ProposalFilterForm(forms.Form):
    q = forms.CharField(required=False)
    session = forms.IntegerField(required=False)
    kind = forms.ChoiceField(required=False, choices=[("", "全部"), *PROPOSAL_KINDS])
    status = forms.ChoiceField(required=False, choices=[("", "全部"), *Proposal.STATUSES])
    unit = forms.IntegerField(required=False)
    light = forms.ChoiceField(
        required=False, choices=[("", "全部"), ("red", "红牌"), ("yellow", "黄牌"), ("green", "绿牌")]
    )
    classification = forms.ChoiceField(required=False, choices=[("", "全部"), *CLASSIFICATIONS])

    def values(self) -> dict:
        if not self.is_valid():
            return {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        return self.cleaned_data


class AssignForm(BootstrapForm):
    lead_unit = forms.ModelChoiceField(label="主办单位", queryset=None)
    co_units = forms.ModelMultipleChoiceField(
        label="协办单位（可不选）", queryset=None, required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    on = DateField(label="交办日期", required=False)
    comment = forms.CharField(label="交办意见", required=False, widget=_area(2))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units
        for name in ("lead_unit", "co_units"):
            self.fields[name].label_from_instance = lambda u: u.name


class ReturnRequestForm(BootstrapForm):
    reason = forms.CharField(label="退回理由", widget=_area(2), help_text="说明不属于本单位职责的理由和建议的承办单位")
    on = DateField(label="申请日期", required=False)


class ReturnDecideForm(BootstrapForm):
    accept = forms.TypedChoiceField(
        label="决定", choices=[("1", "同意退回"), ("0", "不同意退回，由原单位继续办理")], coerce=lambda v: v == "1"
    )
    new_unit = forms.ModelChoiceField(label="改交单位", queryset=None, required=False)
    comment = forms.CharField(label="意见", required=False, widget=_area(2))
    on = DateField(label="决定日期", required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_unit"].queryset = units
        self.fields["new_unit"].label_from_instance = lambda u: u.name


class ExtensionRequestForm(BootstrapForm):
    months = forms.IntegerField(label="延期（月）", min_value=1, max_value=12, initial=rules.EXTENSION_CAP_MONTHS)
    reason = forms.CharField(label="延期理由", widget=_area(2), help_text="涉及面广、处理难度大的具体情况")
    on = DateField(label="申请日期", required=False)


class ExtensionDecideForm(BootstrapForm):
    approve = forms.TypedChoiceField(
        label="决定", choices=[("1", "同意延期"), ("0", "不同意")], coerce=lambda v: v == "1"
    )
    comment = forms.CharField(label="意见", required=False, widget=_area(2))
    on = DateField(label="决定日期", required=False)


class CoViewForm(BootstrapForm):
    text = forms.CharField(label="协办意见", widget=_area(4))
    on = DateField(label="提出日期", required=False)


class ReplyForm(BootstrapForm):
    text = forms.CharField(label="答复内容", widget=_area(10))
    classification = forms.ChoiceField(label="办理结果分类", choices=[("", "请选择"), *CLASSIFICATIONS], required=False)
    c_reason = forms.CharField(label="暂不能解决的原因（C类必填）", required=False, widget=_area(2))
    contact = forms.CharField(label="联系人及电话", required=False, max_length=100)


class ApproveForm(BootstrapForm):
    signer = forms.CharField(label="签发人", max_length=50, help_text="单位负责人姓名")
    on = DateField(label="签发日期", required=False)


class IssueForm(BootstrapForm):
    on = DateField(label="答复日期", required=False)


class RatingForm(BootstrapForm):
    attitude = forms.ChoiceField(label="办理态度", choices=SATISFACTION, widget=forms.RadioSelect, required=False)
    result = forms.ChoiceField(label="办理结果", choices=SATISFACTION, widget=forms.RadioSelect, required=False)
    comment = forms.CharField(label="意见和建议", required=False, widget=_area(3), help_text="不满意的请写明具体意见")


class RatingRecordForm(RatingForm):
    proposer = forms.TypedChoiceField(label="评价人", choices=(), coerce=int)
    on = DateField(label="评价日期", required=False)

    def __init__(self, *args, proposers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposer"].choices = [(p.pk, f"{p.name}{'（领衔）' if p.is_lead else ''}") for p in proposers]


class SecretForm(BootstrapForm):
    secret = forms.BooleanField(label="不予公开", required=False)
    secret_reason = forms.CharField(label="理由", required=False, max_length=300)


class StatsForm(forms.Form):
    group = forms.ChoiceField(required=False, choices=[("unit", "按承办单位"), ("session", "按会议届次")])
    session = forms.IntegerField(required=False)
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    kind = forms.ChoiceField(required=False, choices=[("", "全部"), *PROPOSAL_KINDS])


# ---------------------------------------------------------------- disclosure requests


class DisclosureForm(BootstrapForm):
    agency = forms.ModelChoiceField(label="受理机关", queryset=None)
    channel = forms.ChoiceField(label="申请方式", choices=CHANNELS)
    submitted_on = DateField(label="提交（寄出、发送）日期", required=False)
    received_on = DateField(
        label="收到申请之日",
        help_text="第三十一条：当面提交为提交之日；邮寄为签收之日；平常信函为当日与申请人确认之日；互联网、传真为双方确认之日",
    )
    applicant_kind = forms.ChoiceField(label="申请人类型", choices=APPLICANT_KINDS)
    org_type = forms.ChoiceField(label="组织类型（法人或其他组织）", choices=[("", "—"), *ORG_TYPES], required=False)
    applicant_name = forms.CharField(label="申请人姓名或名称", max_length=100)
    id_number = forms.CharField(label="证件号码", max_length=30, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    email = forms.CharField(label="电子邮箱", max_length=254, required=False)
    address = forms.CharField(label="通信地址", max_length=200, required=False)
    content = forms.CharField(label="所需政府信息描述", widget=_area(4))
    form_wanted = forms.CharField(
        label="获取信息的方式", max_length=100, required=False, help_text="如：纸质、电子邮件"
    )

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies
        self.fields["agency"].label_from_instance = lambda u: u.name


class DisclosureFilterForm(forms.Form):
    q = forms.CharField(required=False)
    status = forms.ChoiceField(required=False, choices=[("", "全部"), *DisclosureRequest.STATUSES])
    channel = forms.ChoiceField(required=False, choices=[("", "全部"), *CHANNELS])
    agency = forms.IntegerField(required=False)
    light = forms.ChoiceField(
        required=False,
        choices=[("", "全部"), ("red", "红牌"), ("yellow", "黄牌"), ("green", "绿牌"), ("paused", "中止计时")],
    )
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    answer = forms.ChoiceField(required=False, choices=[("", "全部"), *[(a.code, a.label) for a in rules.ANSWER_KINDS]])

    def values(self) -> dict:
        if not self.is_valid():
            return {k: v for k, v in self.cleaned_data.items() if k not in self.errors}
        return self.cleaned_data


ANSWER_CHOICES = [("", "请选择"), *[(a.code, a.label) for a in rules.ANSWER_KINDS]]
GROUND_CHOICES = [
    ("", "—"),
    *[(code, f"不予公开：{label}") for code, (label, _) in rules.WITHHELD_GROUNDS.items()],
    *[(code, f"不予处理：{label}") for code, (label, _) in rules.NOT_PROCESSED_GROUNDS.items()],
]


class DisclosureEventForm(BootstrapForm):
    """One form for every event; the page shows the fields each event needs."""

    kind = forms.ChoiceField(label="事项", choices=list(rules.EVENT_KINDS.items()), widget=forms.HiddenInput)
    on = DateField(label="日期")
    days = forms.IntegerField(label="工作日数", required=False, min_value=1, max_value=999)
    reason = forms.CharField(label="说明", required=False, widget=_area(2))
    answer = forms.ChoiceField(label="答复类型", choices=ANSWER_CHOICES, required=False)
    ground = forms.ChoiceField(label="依据", choices=GROUND_CHOICES, required=False)
    competent_body = forms.CharField(label="负责公开的机关及联系方式", required=False, max_length=200)
    party = forms.ChoiceField(label="征求意见对象", choices=Consultation.PARTIES, required=False)
    party_name = forms.CharField(label="征求对象名称", required=False, max_length=200)
    method = forms.CharField(label="送达方式", required=False, max_length=40, help_text="如：邮寄、当面、电子邮件")


class ReportForm(forms.Form):
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100)
    unit = forms.IntegerField(required=False)


class PublicDisclosureForm(forms.Form):
    """The portal's request form (第二十九条: name, proof of identity, contact, the information wanted, the form)."""

    agency = forms.CharField(label="向哪个行政机关申请", required=False, max_length=100)
    applicant_kind = forms.ChoiceField(
        label="申请人类型", choices=APPLICANT_KINDS, widget=forms.RadioSelect, initial="person"
    )
    org_type = forms.ChoiceField(
        label="组织类型（法人或其他组织填写）", choices=[("", "—"), *ORG_TYPES], required=False
    )
    name = forms.CharField(label="姓名或名称", required=False, max_length=100)
    id_number = forms.CharField(
        label="身份证号或统一社会信用代码",
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    phone = forms.CharField(
        label="联系电话", required=False, max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    email = forms.CharField(label="电子邮箱（可不填）", required=False, max_length=100)
    address = forms.CharField(label="通信地址（可不填）", required=False, max_length=200)
    content = forms.CharField(
        label="所需政府信息的名称、文号或特征性描述",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": rules.CONTENT_MAX}),
    )
    form_wanted = forms.CharField(label="获取信息的方式（可不填）", required=False, max_length=100)
    consent = forms.BooleanField(label="我已阅读并同意《个人信息处理说明》", required=False)
    website = forms.CharField(label="网站", required=False)  # honeypot: hidden from people
    form_token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            w = f.widget
            if isinstance(w, forms.CheckboxInput | forms.RadioSelect):
                w.attrs.setdefault("class", "form-check-input")
            elif isinstance(w, forms.Select):
                w.attrs.setdefault("class", "form-select")
            elif not isinstance(w, forms.HiddenInput):
                w.attrs.setdefault("class", "form-control")


class StatusQueryForm(BootstrapForm):
    code = forms.CharField(label="查询码", max_length=30)
    password = forms.CharField(label="查询密码", max_length=30, widget=forms.PasswordInput(render_value=False))
