"""Forms of the invited-supervisor pages: they parse; the services check every value again (and all at once)."""

from django import forms

from fazhi.complaints.models import CATEGORIES
from fazhi.core.forms import BootstrapForm
from fazhi.supervision.supervisors import rules
from fazhi.supervision.supervisors.models import InvitedSupervisor

YES_NO = [("0", "否"), ("1", "是")]
DATE = forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _yes_no(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda v: v == "1",
        empty_value=None,
        widget=forms.RadioSelect,
        required=False,
    )


class CampaignForm(BootstrapForm):
    title = forms.CharField(label="公告标题", max_length=200)
    organiser = forms.ModelChoiceField(label="组织单位", queryset=None)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    quota = forms.IntegerField(label="拟聘名额", min_value=1, max_value=1000)
    apply_from = forms.DateField(label="报名开始日期", widget=DATE)
    apply_until = forms.DateField(label="报名截止日期", widget=DATE)
    announcement = forms.CharField(label="公告正文", required=False, widget=forms.Textarea(attrs={"rows": 6}))
    min_age = forms.IntegerField(label="最低年龄（周岁）", min_value=0, max_value=120)
    max_age = forms.IntegerField(label="最高年龄（周岁，0 表示不限）", min_value=0, max_value=120)
    min_residency_years = forms.IntegerField(label="本地居住年限（年，0 表示不限）", min_value=0, max_value=80)
    exclude_functionaries = forms.BooleanField(label="在职国家公职人员不得报名", required=False)
    require_no_sanctions = forms.BooleanField(label="须未受刑事处罚、未被开除公职、未受处分", required=False)
    publicity_days = forms.IntegerField(label="公示期（工作日）", min_value=1, max_value=30)
    term_years = forms.IntegerField(label="聘期（年）", min_value=1, max_value=10)

    def __init__(self, *args, organisers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisers

    def conditions(self) -> rules.Conditions:
        d = self.cleaned_data
        return rules.Conditions(
            min_age=d["min_age"],
            max_age=d["max_age"],
            min_residency_years=d["min_residency_years"],
            exclude_functionaries=d["exclude_functionaries"],
            require_no_sanctions=d["require_no_sanctions"],
        )

    @staticmethod
    def defaults(today) -> dict:
        c = rules.conf()
        return {
            "year": today.year,
            "quota": c["QUOTA"],
            "min_age": c["MIN_AGE"],
            "max_age": c["MAX_AGE"],
            "min_residency_years": c["MIN_RESIDENCY_YEARS"],
            "exclude_functionaries": c["EXCLUDE_FUNCTIONARIES"],
            "require_no_sanctions": c["REQUIRE_NO_SANCTIONS"],
            "publicity_days": c["PUBLICITY_WORKING_DAYS"],
            "term_years": c["TERM_YEARS"],
            "apply_from": today,
        }


class ApplicantForm(BootstrapForm):
    """The applicant's data. Only parses: required fields and formats are the service's to refuse, all at once."""

    name = forms.CharField(label="姓名", required=False, max_length=50)
    id_number = forms.CharField(
        label="身份证号", required=False, max_length=30, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )
    phone = forms.CharField(
        label="联系电话", required=False, max_length=20, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    address = forms.CharField(label="住址", required=False, max_length=200)
    residency_years = forms.IntegerField(
        label="在本地居住年限（年）", required=False, min_value=0, max_value=100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )  # fmt: skip
    occupation = forms.CharField(label="职业", required=False, max_length=100)
    employer = forms.CharField(label="工作单位及职务", required=False, max_length=100)
    is_functionary = _yes_no("是否为在职的国家公职人员")
    has_sanctions = _yes_no("是否受过刑事处罚、被开除公职或受过处分、行政拘留")
    statement = forms.CharField(
        label="个人简历及履职意愿", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def applicant(self) -> dict:
        d = self.cleaned_data
        return {k: d.get(k) for k in ApplicantForm.base_fields} | {"recommender": d.get("recommender", "")}


class StaffApplicationForm(ApplicantForm):
    route = forms.ChoiceField(
        label="报名方式", choices=[(c, dict(rules.ROUTES)[c]) for c in rules.STAFF_ROUTES], widget=forms.RadioSelect
    )
    recommender = forms.CharField(label="推荐单位（单位推荐时填写）", required=False, max_length=100)

    field_order = ["route", "recommender"]


class PortalApplicationForm(ApplicantForm):
    consent = forms.BooleanField(label="我已阅读并同意《个人信息处理说明》", required=False)
    website = forms.CharField(label="网站", required=False)  # honeypot: hidden from people
    form_token = forms.CharField(widget=forms.HiddenInput)


class ReviewForm(BootstrapForm):
    decision = forms.ChoiceField(
        label="初审结论", choices=[("pass", "通过"), ("fail", "不通过")], widget=forms.RadioSelect
    )
    reason = forms.CharField(label="初审意见（不通过时必填）", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class InviteReplyForm(BootstrapForm):
    accepted = forms.ChoiceField(
        label="函询回复", choices=[("1", "同意应聘"), ("0", "谢绝邀请")], widget=forms.RadioSelect
    )
    note = forms.CharField(label="说明", required=False, max_length=300)


class ObjectionForm(BootstrapForm):
    content = forms.CharField(label="异议内容", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    name = forms.CharField(label="反映人姓名（可不填）", required=False, max_length=50)
    phone = forms.CharField(label="联系电话（可不填）", required=False, max_length=20)


class PortalObjectionForm(ObjectionForm):
    application = forms.TypedChoiceField(label="对哪位拟聘任人员有异议", coerce=int, required=False, choices=[])
    website = forms.CharField(label="网站", required=False)
    form_token = forms.CharField(widget=forms.HiddenInput)

    field_order = ["application", "content", "name", "phone"]

    def __init__(self, *args, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = [("", "请选择")] + [(a.pk, a.name) for a in candidates]


class ObjectionAnswerForm(BootstrapForm):
    upheld = forms.ChoiceField(
        label="核查结论", choices=[("0", "异议不成立"), ("1", "异议成立（不予聘任）")], widget=forms.RadioSelect
    )
    answer = forms.CharField(label="核查答复", widget=forms.Textarea(attrs={"rows": 3}))


class AnnualReviewForm(BootstrapForm):
    year = forms.IntegerField(label="考核年度", min_value=2000, max_value=2100)
    grade = forms.ChoiceField(label="等次", choices=rules.GRADES)
    comment = forms.CharField(label="评语（不称职时必填）", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class EndForm(BootstrapForm):
    ending = forms.ChoiceField(
        label="离任方式", choices=[(c, dict(rules.SUPERVISOR_STATUSES)[c]) for c in rules.ENDINGS]
    )
    reason = forms.CharField(label="原因", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DutyAssignForm(BootstrapForm):
    supervisor = forms.ModelChoiceField(label="特邀监督员", queryset=InvitedSupervisor.objects.none())
    kind = forms.ChoiceField(label="类型", choices=rules.DUTY_KINDS)
    link_kind = forms.ChoiceField(label="关联对象", choices=[])
    link_id = forms.IntegerField(
        label="关联对象编号", min_value=1, help_text="案件或检查记录的编号（详情页地址中的数字）"
    )
    planned_on = forms.DateField(label="安排日期", widget=DATE)
    place = forms.CharField(label="地点", required=False, max_length=200)
    note = forms.CharField(label="工作要求", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, supervisors=None, link_kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = (
            supervisors if supervisors is not None else InvitedSupervisor.objects.none()
        )
        self.fields["link_kind"].choices = list(link_kinds)


class DutyRecordForm(BootstrapForm):
    observed_on = forms.DateField(label="观摩日期", widget=DATE)
    findings = forms.CharField(label="观摩情况", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    opinion = forms.CharField(label="意见建议", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SelfRecordForm(DutyRecordForm):
    kind = forms.ChoiceField(label="类型", choices=rules.DUTY_KINDS)
    subject = forms.CharField(label="观摩的执法活动", required=False, max_length=200)
    agency = forms.CharField(
        label="执法单位（可不填）", required=False, max_length=100,
        widget=forms.TextInput(attrs={"list": "agency-list", "autocomplete": "off"}),
    )  # fmt: skip
    place = forms.CharField(label="地点", required=False, max_length=200)

    field_order = ["kind", "subject", "agency", "place", "observed_on", "findings", "opinion"]


class SubmissionForm(BootstrapForm):
    kind = forms.ChoiceField(
        label="类型", choices=rules.SUBMISSION_KINDS, widget=forms.RadioSelect,
        help_text="问题反映将作为问题线索登记到投诉举报平台，由司法局交办并跟踪办理结果",
    )  # fmt: skip
    category = forms.ChoiceField(label="问题类别（问题反映时选择）", choices=[("", "—"), *CATEGORIES], required=False)
    agency = forms.CharField(
        label="涉及的执法部门（可不填）", required=False, max_length=100,
        widget=forms.TextInput(attrs={"list": "agency-list", "autocomplete": "off"}),
    )  # fmt: skip
    party = forms.CharField(label="涉及的执法人员或单位（可不填）", required=False, max_length=100)
    place = forms.CharField(label="地点（可不填）", required=False, max_length=200)
    occurred_on = forms.DateField(label="发生时间（可不填）", required=False, widget=DATE)
    content = forms.CharField(label="内容", required=False, widget=forms.Textarea(attrs={"rows": 5}))


class SubmissionAnswerForm(BootstrapForm):
    answer = forms.CharField(label="答复", widget=forms.Textarea(attrs={"rows": 3}))


class TrainingForm(BootstrapForm):
    topic = forms.CharField(label="培训主题", max_length=200)
    held_on = forms.DateField(label="培训日期", widget=DATE)
    hours = forms.DecimalField(label="学时", min_value=0, max_value=1000, decimal_places=1)
    place = forms.CharField(label="地点", required=False, max_length=200)
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    attendees = forms.ModelMultipleChoiceField(
        label="参训人员", queryset=InvitedSupervisor.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip

    def __init__(self, *args, supervisors=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = supervisors if supervisors is not None else InvitedSupervisor.objects.none()


class AttendForm(BootstrapForm):
    attendees = forms.ModelMultipleChoiceField(
        label="增加参训人员", queryset=InvitedSupervisor.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, supervisors=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = supervisors if supervisors is not None else InvitedSupervisor.objects.none()


class ReasonForm(BootstrapForm):
    reason = forms.CharField(label="原因", max_length=300)
