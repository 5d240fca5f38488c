"""Forms of the 普法 pages: they parse input; the services decide what is allowed."""

from django import forms

from fazhi.core.forms import BootstrapForm
from fazhi.core.models import Division
from fazhi.legalservices.outreach import rules
from fazhi.tracking.forms import DateField


class FilterForm(BootstrapForm):
    q = forms.CharField(label="关键词", required=False)
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部类型"), *rules.ACTIVITY_KINDS])
    date_from = DateField(label="日期起", required=False)
    date_to = DateField(label="日期止", required=False)

    def value(self, name, default=None):
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or default


class ListCreateForm(BootstrapForm):
    year = forms.IntegerField(label="年度")


class ItemForm(BootstrapForm):
    content = forms.CharField(label="普法任务", max_length=300)
    laws = forms.CharField(label="重点宣传的法律法规", max_length=300, required=False)
    target_groups = forms.CharField(
        label="普法对象（以顿号或逗号分隔）", max_length=300, help_text="、".join(rules.TARGET_GROUPS)
    )
    deadline = DateField(label="完成期限")


class CompleteForm(BootstrapForm):
    done_on = DateField(label="完成日期", required=False)
    comment = forms.CharField(label="说明", required=False, max_length=500)


class MultiFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultiFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ActivityForm(BootstrapForm):
    kind = forms.ChoiceField(label="活动类型", choices=rules.ACTIVITY_KINDS)
    venue = forms.ChoiceField(label="“六进”类别", choices=[("", "（非“六进”活动不填）"), *rules.VENUES], required=False)
    title = forms.CharField(label="活动名称", max_length=200)
    held_on = DateField(label="活动日期")
    place = forms.CharField(label="地点", max_length=200, required=False)
    attendance = forms.IntegerField(label="参加人数", min_value=0, initial=0)
    laws = forms.CharField(label="宣传的法律法规", max_length=300, required=False)
    summary = forms.CharField(label="活动简况", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    duty_item = forms.ModelChoiceField(label="对应的普法责任事项", queryset=None, required=False)
    files = MultiFileField(label="材料和照片", required=False)

    def __init__(self, *args, items=None, **kwargs):
        super().__init__(*args, **kwargs)
        from fazhi.legalservices.outreach.models import OutreachDutyItem

        self.fields["duty_item"].queryset = items if items is not None else OutreachDutyItem.objects.none()


class LiterateForm(BootstrapForm):
    division = forms.ModelChoiceField(label="县（市、区）", queryset=Division.objects.filter(is_active=True))
    township = forms.CharField(label="乡镇（街道）", max_length=100)
    village = forms.CharField(label="村（社区）", max_length=100)
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="身份证号", max_length=18)
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    occupation = forms.CharField(label="身份", max_length=50, required=False)
    appointed_on = DateField(label="确认日期", required=False)
