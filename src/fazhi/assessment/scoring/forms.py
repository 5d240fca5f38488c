from django import forms

from fazhi.assessment.scoring import rules
from fazhi.core.forms import BootstrapForm

METHOD_CHOICES = [
    ("group", "分组（有下级指标）"),
    ("computed", "自动计算"),
    ("manual", "人工评分"),
    ("bonus", "加分项"),
    ("deduction", "扣分项"),
    ("veto", "一票否决"),
]


class _Filter(BootstrapForm):
    """A search form: never invalid, a bad value is just ignored."""

    def value(self, name, default=None):
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or default


class FilterForm(_Filter):
    q = forms.CharField(label="名称", required=False, max_length=50)
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)


class MemberFilterForm(_Filter):
    q = forms.CharField(label="单位", required=False, max_length=50)
    group = forms.CharField(label="考核组", required=False, max_length=40)


class FrameworkForm(BootstrapForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    name = forms.CharField(label="名称", max_length=100)
    total_points = forms.DecimalField(label="总分", initial=100, max_digits=7, decimal_places=2)
    note = forms.CharField(label="说明", required=False, max_length=300)


class IndicatorForm(BootstrapForm):
    """A framework node, in the import's columns; the service parses and checks it (one set of checks)."""

    parent = forms.ChoiceField(label="上级指标", required=False)
    code = forms.CharField(label="编号", max_length=20)
    name = forms.CharField(label="指标名称", max_length=200)
    points = forms.CharField(label="分值", max_length=12)
    weight = forms.CharField(label="权重（默认1；计入总分＝分值×本级及各上级权重之积）", required=False, max_length=12)
    method = forms.ChoiceField(label="评分方式", choices=[("", "—"), *METHOD_CHOICES])
    source = forms.CharField(
        label="计算函数（自动计算时）", required=False, max_length=60, widget=forms.TextInput(attrs={"list": "sources"})
    )
    mapping = forms.ChoiceField(
        label="换算方式", required=False, choices=[("", "—"), ("linear", "线性"), ("thresholds", "分档")]
    )
    params = forms.CharField(label="换算参数（线性如 60-100，分档如 95:10;90:8）", required=False, max_length=200)
    target = forms.CharField(label="目标值", required=False, max_length=12)
    cap = forms.CharField(label="封顶分值（加分项、扣分项必填）", required=False, max_length=12)
    criteria = forms.CharField(
        label="评分标准", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, parents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if parents is None:
            del self.fields["parent"]
        else:
            self.fields["parent"].choices = [("", "（无，一级指标）")] + [
                (n.code, f"{'　' * (n.level - 1)}{n.code} {n.name}") for n in parents
            ]


class ImportForm(BootstrapForm):
    file = forms.FileField(label="指标体系（xlsx）")


class RunForm(BootstrapForm):
    name = forms.CharField(label="名称", max_length=100)
    framework = forms.TypedChoiceField(label="指标体系", coerce=int)
    quarter = forms.TypedChoiceField(
        label="期间",
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", "全年"), (1, "第一季度"), (2, "第二季度"), (3, "第三季度"), (4, "第四季度")],
    )
    appeal_days = forms.IntegerField(label="申诉期限（工作日）", initial=rules.APPEAL_DAYS, min_value=0, max_value=30)
    top_adjust = forms.CharField(label="前三名加分", initial="30,20,10", max_length=40)
    bottom_adjust = forms.CharField(label="后三名扣分（倒数第一起）", initial="-30,-20,-10", max_length=40)

    def __init__(self, *args, frameworks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["framework"].choices = [(f.pk, str(f)) for f in frameworks]


class ScoreForm(BootstrapForm):
    points = forms.DecimalField(label="得分", max_digits=7, decimal_places=2)
    note = forms.CharField(label="评分说明", required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(label="佐证材料", required=False)


class AppealForm(BootstrapForm):
    reason = forms.CharField(label="申诉理由", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label="佐证材料", required=False)


class AnswerForm(BootstrapForm):
    upheld = forms.TypedChoiceField(
        label="处理结果", coerce=lambda v: v == "1", choices=[("1", "申诉成立"), ("0", "申诉不成立")]
    )
    points = forms.DecimalField(label="调整后得分（申诉成立时）", required=False, max_digits=7, decimal_places=2)
    answer = forms.CharField(label="处理意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
