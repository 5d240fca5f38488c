"""Forms of the disputes pages. They only parse and show errors; the services validate and write."""

from django import forms

from fazhi.core.forms import BootstrapForm, FilterForm
from fazhi.disputes import rules
from fazhi.disputes.models import (
    PARTY_KINDS,
    AgencyHead,
    CommitteeMember,
    CommitteeReferral,
    Litigation,
    NormativeReview,
    Reconsideration,
    Suggestion,
)


def _date(label: str, required: bool = True) -> forms.DateField:
    # An <input type="date"> takes only ISO dates, whatever the locale's display format.
    return forms.DateField(
        label=label, required=required, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


def _area(label: str, required: bool = False, rows: int = 3, **kw) -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kw)


class _YearFilter(FilterForm):
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["active"]
        for f in self.fields.values():
            css = "form-select form-select-sm" if isinstance(f.widget, forms.Select) else "form-control form-control-sm"
            f.widget.attrs.setdefault("class", css)


class ReconsiderationFilterForm(_YearFilter):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *Reconsideration.STATUSES])
    procedure = forms.ChoiceField(label="程序", required=False, choices=[("", "全部程序"), *Reconsideration.PROCEDURES])
    outcome = forms.ChoiceField(
        label="决定类型", required=False, choices=[("", "全部决定")] + [(k, v[0]) for k, v in rules.OUTCOMES.items()]
    )
    light = forms.ChoiceField(
        label="亮牌",
        required=False,
        choices=[("", "全部"), ("red", "红牌"), ("yellow", "黄牌"), ("green", "绿牌"), ("paused", "中止计时")],
    )


class ReconsiderationForm(BootstrapForm):
    channel = forms.ChoiceField(
        label="申请方式", choices=[c for c in Reconsideration.CHANNELS if c[0] not in ("online", "api")]
    )
    applicant_kind = forms.ChoiceField(label="申请人类型", choices=PARTY_KINDS)
    applicant_name = forms.CharField(label="申请人姓名或名称", max_length=100)
    applicant_id_number = forms.CharField(label="身份证号（自然人）", max_length=18, required=False)
    applicant_uscc = forms.CharField(label="统一社会信用代码（法人或其他组织）", max_length=18, required=False)
    applicant_phone = forms.CharField(label="联系电话", max_length=20, required=False)
    applicant_address = forms.CharField(label="联系地址", max_length=200, required=False)
    agent_name = forms.CharField(label="委托代理人", max_length=100, required=False)
    agent_kind = forms.CharField(
        label="代理人身份", max_length=30, required=False, help_text="律师、基层法律服务工作者或其他"
    )
    third_parties = _area("第三人（一行一个）", rows=2)
    respondent = forms.CharField(
        label="被申请人（行政机关全称）",
        max_length=100,
        widget=forms.TextInput(attrs={"list": "respondent-list", "autocomplete": "off"}),
    )
    act = _area("被申请复议的行政行为", required=True, rows=2)
    act_kind = forms.ChoiceField(label="行为类型", choices=Reconsideration.ACT_KINDS)
    act_number = forms.CharField(label="决定书文号", max_length=80, required=False)
    act_date = _date("行政行为作出日期", required=False)
    case = forms.IntegerField(label="行政处罚案件编号（可不填）", required=False, min_value=1)
    amount = forms.DecimalField(label="涉及款额（元）", required=False, min_value=0, max_digits=14, decimal_places=2)
    act_on_the_spot = forms.BooleanField(label="行政行为当场作出", required=False)
    act_is_warning = forms.BooleanField(label="行政行为为警告或者通报批评", required=False)
    parties_agree_simple = forms.BooleanField(label="各方当事人同意适用简易程序", required=False)
    real_property = forms.BooleanField(label="因不动产提出", required=False)
    procedure = forms.ChoiceField(label="审理程序", choices=Reconsideration.PROCEDURES)
    known_on = _date("知道或应当知道行政行为之日")
    told_of_right = forms.BooleanField(
        label="行政机关已告知申请复议的权利、复议机关和期限", required=False, initial=True
    )
    right_known_on = _date("知道申请复议权利之日（未告知时填写）", required=False)
    obstacle_from = _date("因不可抗力等耽误期限：开始", required=False)
    obstacle_to = _date("障碍消除之日", required=False)
    obstacle_reason = forms.CharField(label="耽误期限的事由", max_length=200, required=False)
    submitted_on = _date("提出申请之日（转送时为处罚机关收到之日）", required=False)
    forwarded_on = _date("处罚机关转送之日", required=False)
    received_on = _date("复议机关收到申请之日")
    request = _area("行政复议请求")
    facts = _area("事实和理由", rows=4)


class EventForm(BootstrapForm):
    """One procedural step; the page shows the fields each step needs."""

    on = _date("日期")
    reason = _area("事由 / 内容", rows=2)
    received_on = _date("对方收到之日（可不填）", required=False)
    days = forms.IntegerField(label="延长天数", required=False, min_value=1, max_value=366)
    approver = forms.CharField(label="批准人（行政复议机构负责人）", max_length=50, required=False)
    procedure = forms.ChoiceField(label="审理程序", choices=Reconsideration.PROCEDURES, required=False)
    outcome = forms.ChoiceField(
        label="决定类型",
        required=False,
        choices=[("", "请选择")]
        + [
            (k, f"{v[0]}（{v[1].removeprefix('《行政复议法》')}）")
            for k, v in rules.OUTCOMES.items()
            if k != "terminated"
        ],
    )
    redo = forms.BooleanField(label="责令被申请人重新作出行政行为", required=False)
    ground = forms.CharField(label="情形", max_length=20, required=False)
    competent_body = forms.CharField(label="有管辖权的行政复议机关", max_length=100, required=False)

    def clean(self):
        data = super().clean()
        # 第六十二条: the extension is approved by the head of the reconsideration body; the page names who. (The
        # API's contract for `extended` carries no approver: there the record says that it was not named.)
        if self.prefix == "extended" and not (data.get("approver") or "").strip():
            self.add_error(
                "approver",
                f"延长审理期限须经行政复议机构负责人批准，请填写批准人（{rules.DECISION_CITATION['ordinary']}）",
            )
        return data


class HearingForm(BootstrapForm):
    notice_on = _date("书面通知之日")
    held_on = _date("听证之日")
    place = forms.CharField(label="地点", max_length=100)
    matters = forms.CharField(label="拟听证事项", max_length=300)


class HearingRecordForm(BootstrapForm):
    head_attended = forms.BooleanField(label="被申请人负责人参加听证", required=False)
    head = forms.ModelChoiceField(label="参加听证的负责人", queryset=AgencyHead.objects.none(), required=False)
    stand_in = forms.CharField(label="受委托参加的工作人员", max_length=50, required=False)
    absence_reason = forms.CharField(label="负责人不能参加的理由", max_length=300, required=False)
    record = _area("听证笔录摘要", rows=3)

    def __init__(self, *args, heads=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["head"].queryset = heads if heads is not None else AgencyHead.objects.none()


class ReferForm(BootstrapForm):
    ground = forms.ChoiceField(label="提请情形", choices=CommitteeReferral.GROUNDS)
    referred_on = _date("提请之日")


class ReferralOpinionForm(BootstrapForm):
    opinion = _area("咨询意见", required=True)
    opinion_on = _date("提出意见之日")


class OpinionIssueForm(BootstrapForm):
    agency = forms.CharField(
        label="制发对象（被申请人或下级行政机关全称）",
        max_length=100,
        widget=forms.TextInput(attrs={"list": "respondent-list", "autocomplete": "off"}),
    )
    content = _area("违法或者不当的行政行为及纠正意见", required=True)
    issued_on = _date("制发之日")
    received_on = _date("对方收到之日（可不填）", required=False)


class OpinionReportForm(BootstrapForm):
    report = _area("纠正情况", required=True)
    reported_on = _date("报送之日")


class NormativeForm(BootstrapForm):
    document_title = forms.CharField(label="规范性文件名称", max_length=200)
    document_number = forms.CharField(label="文号", max_length=80, required=False)
    issuer = forms.CharField(label="制定机关", max_length=100)
    articles = forms.CharField(label="相关条款", max_length=200)
    source = forms.ChoiceField(label="来源", choices=NormativeReview.SOURCES)
    competent = forms.BooleanField(label="本机关有权处理", required=False, initial=True)
    started_on = _date("收到申请或发现之日")


class ParticularsForm(BootstrapForm):
    """The application's particulars that may be completed or corrected until the decision
    (services.PARTICULARS); filled with the current values."""

    agent_name = ReconsiderationForm.base_fields["agent_name"]
    agent_kind = ReconsiderationForm.base_fields["agent_kind"]
    third_parties = ReconsiderationForm.base_fields["third_parties"]
    act_kind = ReconsiderationForm.base_fields["act_kind"]
    act_number = ReconsiderationForm.base_fields["act_number"]
    act_date = ReconsiderationForm.base_fields["act_date"]
    amount = ReconsiderationForm.base_fields["amount"]
    act_on_the_spot = ReconsiderationForm.base_fields["act_on_the_spot"]
    act_is_warning = ReconsiderationForm.base_fields["act_is_warning"]
    parties_agree_simple = ReconsiderationForm.base_fields["parties_agree_simple"]
    real_property = ReconsiderationForm.base_fields["real_property"]
    request = ReconsiderationForm.base_fields["request"]
    facts = ReconsiderationForm.base_fields["facts"]
    reason = forms.CharField(label="更正说明", max_length=200, required=False)


class CommitteeForm(BootstrapForm):
    name = forms.CharField(label="名称", max_length=100, initial="行政复议委员会")
    term_from = _date("本届任期起")
    term_to = _date("本届任期止")


class MemberForm(BootstrapForm):
    name = forms.CharField(label="姓名", max_length=50)
    kind = forms.ChoiceField(label="类别", choices=CommitteeMember.KINDS)
    organisation = forms.CharField(label="工作单位及职务", max_length=100)


class LitigationFilterForm(_YearFilter):
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *Litigation.STATUSES])
    lost = forms.ChoiceField(label="结果", required=False, choices=[("", "全部"), ("1", "败诉"), ("0", "未败诉")])


class LitigationForm(BootstrapForm):
    court = forms.CharField(label="法院", max_length=100)
    case_number = forms.CharField(label="案号", max_length=60, help_text="如：（2026）湘9901行初12号")
    instance = forms.ChoiceField(label="审级", choices=Litigation.INSTANCES)
    plaintiff_kind = forms.ChoiceField(label="原告类型", choices=PARTY_KINDS)
    plaintiff_name = forms.CharField(label="原告", max_length=100)
    plaintiff_id_number = forms.CharField(label="身份证号", max_length=18, required=False)
    plaintiff_uscc = forms.CharField(label="统一社会信用代码", max_length=18, required=False)
    defendant = forms.ModelChoiceField(label="被告", queryset=None)
    act = _area("被诉行政行为", required=True, rows=2)
    act_date = _date("行政行为作出日期", required=False)
    real_property = forms.BooleanField(label="因不动产提起", required=False)
    known_on = _date("原告知道行政行为之日", required=False)
    reconsideration = forms.IntegerField(label="经复议的行政复议案件编号（可不填）", required=False, min_value=1)
    decision_received_on = _date("原告收到复议决定书之日", required=False)
    case = forms.IntegerField(label="行政处罚案件编号（可不填）", required=False, min_value=1)
    filed_on = _date("起诉之日")
    served_on = _date("收到起诉状副本之日")

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["defendant"].queryset = agencies


class LitigationActionForm(BootstrapForm):
    on = _date("日期", required=False)
    kind = forms.ChoiceField(
        label="裁判结果", required=False, choices=[("", "请选择")] + [(k, v[0]) for k, v in rules.JUDGMENTS.items()]
    )
    served_on = _date("裁判文书送达之日", required=False)
    appealed_by = forms.ChoiceField(
        label="上诉人",
        required=False,
        choices=[("", "请选择"), ("原告", "原告"), ("被告", "被告"), ("第三人", "第三人")],
    )
    enforcement = forms.ChoiceField(label="履行情况", required=False, choices=Litigation.ENFORCEMENT)
    note = forms.CharField(label="说明", max_length=300, required=False)
    held_on = _date("开庭之日", required=False)
    summons_received_on = _date("收到出庭通知书之日", required=False)
    head_summoned = forms.BooleanField(label="法院通知负责人出庭", required=False)
    case = forms.IntegerField(label="行政处罚案件编号", required=False, min_value=1)


class AppearanceForm(BootstrapForm):
    head = forms.ModelChoiceField(label="出庭的负责人", queryset=AgencyHead.objects.none(), required=False)
    staff_name = forms.CharField(label="出庭的本机关工作人员", max_length=100, required=False)
    lawyer_name = forms.CharField(label="委托律师", max_length=100, required=False)
    absence_ground = forms.ChoiceField(
        label="负责人不能出庭的情形", required=False, choices=[("", "—"), *rules.ABSENCE_GROUNDS.items()]
    )
    absence_reason = forms.CharField(label="不能出庭的具体理由", max_length=300, required=False)

    def __init__(self, *args, heads=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["head"].queryset = heads if heads is not None else AgencyHead.objects.none()


class HeadForm(BootstrapForm):
    agency = forms.ModelChoiceField(label="执法主体", queryset=None)
    name = forms.CharField(label="姓名", max_length=50)
    post = forms.CharField(label="职务", max_length=50, help_text="如：局长、副局长、党组成员")
    kind = forms.ChoiceField(label="负责人类别", choices=AgencyHead.KINDS)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class SuggestionFilterForm(_YearFilter):
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部类型"), *Suggestion.KINDS])
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *Suggestion.STATUSES])


class SuggestionForm(BootstrapForm):
    kind = forms.ChoiceField(label="类型", choices=Suggestion.KINDS)
    issuer = forms.CharField(label="提出机关", max_length=100, help_text="如：示例市中级人民法院、示例市人民检察院")
    number = forms.CharField(label="建议书文号", max_length=80)
    agency = forms.ModelChoiceField(label="被建议单位", queryset=None)
    content = _area("建议内容", required=True, rows=4)
    received_on = _date("收到之日")
    urgent = forms.BooleanField(label="紧急情形（十五日内回复）", required=False)
    days = forms.IntegerField(label="法院确定的答复期限（日）", required=False, min_value=1, max_value=366)
    months = forms.IntegerField(label="或（月）", required=False, min_value=1, max_value=12)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies


class SuggestionReplyForm(BootstrapForm):
    reply = _area("答复内容（采纳落实情况）", required=True, rows=4)
    replied_on = _date("答复之日")


# ---------------------------------------------------------------- the portal


class PublicApplicationForm(forms.Form):
    applicant_kind = forms.ChoiceField(
        label="申请人类型", choices=PARTY_KINDS, widget=forms.RadioSelect, initial="person"
    )
    applicant_name = forms.CharField(label="申请人姓名或名称", max_length=100, required=False)
    applicant_id_number = forms.CharField(label="身份证号（自然人）", max_length=18, required=False)
    applicant_uscc = forms.CharField(label="统一社会信用代码（法人或其他组织）", max_length=18, required=False)
    applicant_phone = forms.CharField(
        label="联系电话", max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    applicant_address = forms.CharField(label="联系地址（送达地址）", max_length=200, required=False)
    respondent = forms.CharField(
        label="被申请人（作出行政行为的行政机关全称）",
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"list": "respondent-list", "autocomplete": "off"}),
    )
    act = forms.CharField(
        label="被申请复议的行政行为",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "如：2026年3月2日作出的罚款5000元的行政处罚决定"}),
    )
    act_number = forms.CharField(label="决定书文号（可不填）", max_length=80, required=False)
    known_on = _date("知道该行政行为之日", required=False)
    told_of_right = forms.BooleanField(label="行政机关告知了申请行政复议的权利和期限", required=False, initial=True)
    request = forms.CharField(
        label="行政复议请求",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "如：请求撤销该行政处罚决定"}),
    )
    facts = forms.CharField(label="主要事实和理由", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    consent = forms.BooleanField(label="我已阅读并同意《个人信息处理说明》", required=False)
    website = forms.CharField(label="网站", required=False)  # honeypot
    form_token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            w = f.widget
            if isinstance(w, forms.CheckboxInput | forms.RadioSelect):
                w.attrs.setdefault("class", "form-check-input")
            elif not isinstance(w, forms.HiddenInput):
                w.attrs.setdefault("class", "form-control")


class PublicQueryForm(forms.Form):
    code = forms.CharField(label="查询码", max_length=20, widget=forms.TextInput(attrs={"class": "form-control"}))
    password = forms.CharField(
        label="查询密码",
        max_length=20,
        widget=forms.PasswordInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )
