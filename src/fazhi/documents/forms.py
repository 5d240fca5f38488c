"""Forms of the 发文字号 pages: they parse input; documents.services decides what is allowed."""

from django import forms

from fazhi.core.forms import BootstrapForm


class RegisterFilterForm(BootstrapForm):
    q = forms.CharField(
        label="关键词", required=False, widget=forms.TextInput(attrs={"placeholder": "单位、文种或代字"})
    )
    year = forms.IntegerField(label="年份", required=False, min_value=2000, max_value=2100)

    def value(self, name, default=None):
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or default


class NumberFilterForm(BootstrapForm):
    q = forms.CharField(
        label="关键词", required=False, widget=forms.TextInput(attrs={"placeholder": "发文字号或取号人"})
    )

    def value(self, name, default=None):
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or default


class RegisterForm(BootstrapForm):
    unit = forms.ModelChoiceField(label="发文机关", queryset=None, empty_label="请选择单位")
    doc_type = forms.CharField(
        label="文种",
        max_length=40,
        widget=forms.TextInput(attrs={"list": "doc-types", "autocomplete": "off"}),
        help_text="如：行政执法监督意见书",
    )
    year = forms.IntegerField(label="年份", min_value=2000, max_value=2100, help_text="当年或以后的年份")
    prefix = forms.CharField(label="发文机关代字", max_length=20, help_text="如：示司监；发文字号为 示司监〔2026〕1号")

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].label_from_instance = lambda unit: unit.name
