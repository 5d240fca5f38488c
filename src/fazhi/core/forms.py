"""Forms of the system-administration pages. They only parse input; services validate and write."""

from django import forms

from fazhi.core.errors import DomainError
from fazhi.core.models import Division, Role, Unit
from fazhi.core.permissions import PERMISSIONS

ACTIVE_CHOICES = [("", "全部状态"), ("1", "启用"), ("0", "停用")]


def add_domain_error(form: forms.Form, exc: DomainError, *, above: tuple[str, ...] = ()) -> None:
    """The one way a service's refusal reaches a form: every problem it lists (all at once, so the user fixes them
    in one go), each beside the field it names; a field the form does not show (or one in `above`, such as a
    checkbox or a hidden token) goes above the form."""
    for problem in exc.errors or [{"field": exc.field, "message": exc.message}]:
        field = problem.get("field") or None
        visible = field in form.fields and not form.fields[field].widget.is_hidden and field not in above
        form.add_error(field if visible else None, problem["message"])


class BootstrapForm(forms.Form):
    """Bootstrap classes on every widget, and a DomainError shown beside the field it names."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            widget = f.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
                continue
            base = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", base)

    def add_domain_error(self, exc: DomainError) -> None:
        add_domain_error(self, exc)

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name in self.errors:
            if name in self.fields and not isinstance(self.fields[name].widget, forms.CheckboxSelectMultiple):
                widget = self.fields[name].widget
                widget.attrs["class"] = (widget.attrs.get("class", "") + " is-invalid").strip()
        return valid

    def add_error(self, field, error):
        super().add_error(field, error)
        if field in self.fields and not isinstance(self.fields[field].widget, forms.CheckboxSelectMultiple):
            widget = self.fields[field].widget
            if "is-invalid" not in widget.attrs.get("class", ""):
                widget.attrs["class"] = (widget.attrs.get("class", "") + " is-invalid").strip()


class FilterForm(forms.Form):
    """Search forms of the list pages: never invalid, bad values are just ignored."""

    q = forms.CharField(required=False, label="关键词")
    active = forms.ChoiceField(required=False, choices=ACTIVE_CHOICES, label="状态")

    def value(self, name, default=None):
        if not hasattr(self, "cleaned_data"):
            self.is_valid()
        return self.cleaned_data.get(name) or default

    def active_value(self) -> bool | None:
        raw = self.data.get("active", "")
        return {"1": True, "0": False}.get(raw)


class DivisionFilterForm(FilterForm):
    pass


class UnitFilterForm(FilterForm):
    kind = forms.ChoiceField(required=False, choices=[("", "全部类型"), *Unit.KINDS], label="类型")


class UserFilterForm(FilterForm):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), required=False, empty_label="全部单位")
    role = forms.ModelChoiceField(queryset=Role.objects.none(), required=False, empty_label="全部角色")

    def __init__(self, *args, units=None, roles=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
        self.fields["role"].queryset = roles if roles is not None else Role.objects.none()


class RoleFilterForm(FilterForm):
    pass


class DivisionForm(BootstrapForm):
    code = forms.CharField(label="区划代码", max_length=12, help_text="6 位 GB/T 2260 代码")
    name = forms.CharField(label="名称", max_length=100)
    parent = forms.ModelChoiceField(
        label="上级区划", queryset=Division.objects.none(), required=False, empty_label="（无，顶级）"
    )

    def __init__(self, *args, divisions=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = divisions if divisions is not None else Division.objects.all()


class UnitForm(BootstrapForm):
    name = forms.CharField(label="单位全称", max_length=100)
    short_name = forms.CharField(label="简称", max_length=50, required=False)
    kind = forms.ChoiceField(label="类型", choices=Unit.KINDS)
    division = forms.ModelChoiceField(label="所在区划", queryset=Division.objects.none())
    parent = forms.ModelChoiceField(
        label="上级单位", queryset=Unit.objects.none(), required=False, empty_label="（无，顶级）"
    )
    supervising_unit = forms.ModelChoiceField(
        label="监督单位", queryset=Unit.objects.none(), required=False, empty_label="（为空时取上级单位）"
    )
    credit_code = forms.CharField(label="统一社会信用代码", max_length=18, required=False)
    sort_order = forms.IntegerField(label="排序", initial=0, required=False)

    def __init__(self, *args, divisions=None, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = divisions if divisions is not None else Division.objects.all()
        self.fields["parent"].queryset = units if units is not None else Unit.objects.none()
        self.fields["supervising_unit"].queryset = units if units is not None else Unit.objects.none()


class UserForm(BootstrapForm):
    username = forms.CharField(label="用户名", max_length=50)
    name = forms.CharField(label="姓名", max_length=50)
    unit = forms.ModelChoiceField(label="所属单位", queryset=Unit.objects.none())
    roles = forms.ModelMultipleChoiceField(
        label="角色", queryset=Role.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    email = forms.CharField(label="邮箱", max_length=254, required=False)
    password = forms.CharField(
        label="初始密码",
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="至少 10 位，且包含大写字母、小写字母、数字、特殊字符中的至少三类；首次登录须修改",
    )

    def __init__(self, *args, units=None, roles=None, creating=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
        self.fields["roles"].queryset = roles if roles is not None else Role.objects.none()
        if not creating:
            del self.fields["password"]


class PasswordResetForm(BootstrapForm):
    password = forms.CharField(
        label="新密码",
        strip=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="用户下次登录时须修改",
    )


class RoleForm(BootstrapForm):
    code = forms.CharField(label="角色编码", max_length=40, help_text="小写字母开头，字母、数字、下划线")
    name = forms.CharField(label="角色名称", max_length=50)
    data_scope = forms.ChoiceField(label="数据范围", choices=Role.SCOPES)
    permissions = forms.MultipleChoiceField(
        label="功能权限",
        required=False,
        choices=[(p.code, p.label) for p in PERMISSIONS],
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(label="说明", max_length=200, required=False)

    def permission_groups(self) -> list[tuple[str, list]]:
        """The permission checkboxes grouped by `Permission.group`, in the order of PERMISSIONS."""
        chosen = set(self["permissions"].value() or [])
        groups: dict[str, list] = {}
        for p in PERMISSIONS:
            groups.setdefault(p.group, []).append({"code": p.code, "label": p.label, "checked": p.code in chosen})
        return list(groups.items())
