"""Forms of the 通报与年度报告 pages."""

from django import forms

from fazhi.assessment.reports import rules
from fazhi.core.forms import BootstrapForm


class FilterForm(BootstrapForm):
    q = forms.CharField(label="关键词", required=False)
    kind = forms.ChoiceField(label="种类", required=False, choices=[("", "全部种类"), *rules.KINDS])
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部状态"), *rules.STATUSES])

    def value(self, name, default=None):
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or default


class BulletinForm(BootstrapForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(label="季度", coerce=int, choices=[(q, f"第{q}季度") for q in (1, 2, 3, 4)])


class AnnualForm(BootstrapForm):
    unit = forms.ModelChoiceField(label="报告单位", queryset=None)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda u: u.name


class SectionForm(BootstrapForm):
    key = forms.CharField(widget=forms.HiddenInput)
    text = forms.CharField(label="正文", widget=forms.Textarea(attrs={"rows": 6}))


class CommentForm(BootstrapForm):
    comment = forms.CharField(label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(BootstrapForm):
    reason = forms.CharField(label="退回理由", widget=forms.Textarea(attrs={"rows": 2}))
