"""Forms of the complaints pages (parse and show errors; the services validate again)."""

from django import forms

from fazhi.complaints import rules
from fazhi.complaints.models import CATEGORIES, CHANNELS, SATISFACTION, Complaint


class PublicComplaintForm(forms.Form):
    # Category and description are checked by complaint_submit together with every other field, so that
    # one submit shows all problems; the form itself only parses.
    category = forms.ChoiceField(label="投诉类别", choices=CATEGORIES, widget=forms.RadioSelect, required=False)
    agency = forms.CharField(
        label="被投诉的执法部门（可不填）",
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"list": "agency-list", "autocomplete": "off", "placeholder": "输入关键字搜索，如：市场监管"}
        ),
    )
    party = forms.CharField(label="涉及的执法人员或单位（可不填）", required=False, max_length=rules.PARTY_MAX)
    place = forms.CharField(label="发生地点", required=False, max_length=rules.PLACE_MAX)
    occurred_on = forms.DateField(label="发生时间", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(
        label="投诉内容",
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 6,
                "maxlength": rules.DESCRIPTION_MAX,
                "placeholder": "请写明时间、地点、执法部门、经过和诉求",
            }
        ),
        help_text=f"{rules.DESCRIPTION_MIN}–{rules.DESCRIPTION_MAX} 字",
    )
    anonymous = forms.BooleanField(label="匿名投诉", required=False)
    name = forms.CharField(label="姓名", required=False, max_length=rules.NAME_MAX)
    phone = forms.CharField(
        label="手机号码",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.CharField(
        label="电子邮箱（可不填，用于接收答复）", required=False, max_length=100, widget=forms.EmailInput()
    )
    consent = forms.BooleanField(label="我已阅读并同意《个人信息处理说明》", required=False)
    website = forms.CharField(label="网站", required=False)  # honeypot: hidden from people
    form_token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


def bootstrap(form) -> None:
    """Bootstrap classes on the widgets (no inline styles: CSP)."""
    for f in form.fields.values():
        w = f.widget
        if isinstance(w, forms.CheckboxInput | forms.RadioSelect):
            w.attrs.setdefault("class", "form-check-input")
        elif isinstance(w, forms.Select):
            w.attrs.setdefault("class", "form-select")
        elif not isinstance(w, forms.HiddenInput):
            w.attrs.setdefault("class", "form-control")


class BootstrapForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)


class StatusQueryForm(BootstrapForm):
    code = forms.CharField(label="查询码", max_length=20, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    password = forms.CharField(
        label="查询密码", max_length=20, widget=forms.PasswordInput(attrs={"autocomplete": "off"})
    )


class RatingForm(BootstrapForm):
    code = forms.CharField(widget=forms.HiddenInput)
    satisfaction = forms.ChoiceField(label="您对答复的评价", choices=SATISFACTION, widget=forms.RadioSelect)
    comment = forms.CharField(
        label="意见（可不填）", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class FilterForm(BootstrapForm):
    q = forms.CharField(label="关键字", required=False)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *Complaint.STATUSES])
    category = forms.ChoiceField(label="类别", required=False, choices=[("", "全部类别"), *CATEGORIES])
    channel = forms.ChoiceField(label="渠道", required=False, choices=[("", "全部渠道"), *CHANNELS])
    light = forms.ChoiceField(
        label="亮牌", required=False, choices=[("", "全部"), ("red", "红牌"), ("yellow", "黄牌"), ("green", "绿牌")]
    )

    def value(self, name, default=""):
        return self.cleaned_data.get(name) or default if self.is_valid() else default


class ClueForm(BootstrapForm):
    category = forms.ChoiceField(label="线索类别", choices=CATEGORIES)
    agency = forms.CharField(
        label="涉及的执法部门",
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"list": "agency-list", "autocomplete": "off"}),
    )
    party = forms.CharField(label="涉及的执法人员或单位", required=False, max_length=rules.PARTY_MAX)
    place = forms.CharField(label="发生地点", required=False, max_length=rules.PLACE_MAX)
    occurred_on = forms.DateField(label="发生时间", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    description = forms.CharField(label="线索内容", widget=forms.Textarea(attrs={"rows": 6}))


class HotlineImportForm(BootstrapForm):
    file = forms.FileField(label="工单文件（.xlsx 或 .csv）")
    commit = forms.BooleanField(label="校验通过后直接导入（不勾选则只预览校验结果）", required=False)
