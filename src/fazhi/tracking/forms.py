"""Forms of the tracking pages: they parse and normalise input; the services decide what is allowed."""

from django import forms

from fazhi.core.errors import DomainError
from fazhi.core.normalize import clean_text, parse_date


class DateField(forms.CharField):
    """Accepts ISO, 2024/3/5, 2024年3月5日 and Excel serials (design.md §4)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date", "class": "form-control"}))
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        try:
            return parse_date(value, field=self.label or "", label=self.label or "日期")
        except DomainError as exc:
            raise forms.ValidationError(exc.message) from None


def _text(**attrs):
    return forms.TextInput(attrs={"class": "form-control", **attrs})


def _area(rows=3):
    return forms.Textarea(attrs={"class": "form-control", "rows": rows})


class TaskForm(forms.Form):
    title = forms.CharField(label="任务名称", max_length=200, widget=_text())
    basis = forms.CharField(
        label="任务依据", max_length=200, widget=_text(placeholder="例：《法治政府建设实施纲要（2021—2025年）》")
    )
    deadline = DateField(label="总体期限")
    description = forms.CharField(label="任务内容", required=False, widget=_area(4))

    def clean_title(self):
        return clean_text(self.cleaned_data["title"])


class AssignForm(forms.Form):
    unit = forms.ModelChoiceField(
        label="责任单位", queryset=None, empty_label="请选择单位", widget=forms.Select(attrs={"class": "form-select"})
    )
    deadline = DateField(label="完成期限")
    requirement = forms.CharField(label="具体要求", required=False, widget=_area(2))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda unit: unit.name


class ReportForm(forms.Form):
    progress = forms.IntegerField(
        label="完成进度(%)", widget=forms.NumberInput(attrs={"class": "form-control", "min": 0, "max": 100, "step": 1})
    )
    text = forms.CharField(label="进展情况", widget=_area(3))
    submit_for_acceptance = forms.BooleanField(
        label="已全部完成，提交验收", required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )


class AcceptForm(forms.Form):
    comment = forms.CharField(label="验收意见", required=False, widget=_area(2))


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回理由", widget=_area(2))


# A service's refusal about the acceptance checkbox goes above the form (`act_on_form(..., above=...)`).
ABOVE_THE_FORM = ("submit_for_acceptance",)
