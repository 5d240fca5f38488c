"""The deterministic 示例市 demo: divisions, units, one login per role, supervision tasks in every colour.

Idempotent: each piece is looked up by its natural key first. Every app adds its own demo data through
`register_demo_step` from its `ready()`, so `fazhi demo` stays one command and core imports no domain app.
"""

from django.db import transaction
from django.utils.module_loading import import_string

from fazhi.core.models import Division, Role, Unit, User
from fazhi.core.services import division_save, roles_ensure_defaults, unit_save

DEMO_PASSWORD = "Fazhi@2026demo"  # demo only — documented in the README, never for production

DIVISIONS = [
    ("430000", "湖南省", None),
    ("439900", "示例市", "430000"),
    ("439902", "东城区", "439900"),
    ("439903", "西城区", "439900"),
    ("439921", "南山县", "439900"),
]

CITY_AGENCIES = [
    ("示例市市场监督管理局", "市场监管局"),
    ("示例市生态环境局", "生态环境局"),
    ("示例市城市管理综合执法局", "城管执法局"),
    ("示例市住房和城乡建设局", "住建局"),
    ("示例市交通运输局", "交通运输局"),
    ("示例市人力资源和社会保障局", "人社局"),
    ("示例市卫生健康委员会", "卫健委"),
    ("示例市教育局", "教育局"),
    ("示例市文化旅游广电体育局", "文旅广体局"),
    ("示例市商务局", "商务局"),
    ("示例市应急管理局", "应急管理局"),
    ("示例市自然资源和规划局", "自然资源和规划局"),
    ("示例市农业农村局", "农业农村局"),
    ("示例市水利局", "水利局"),
    ("示例市医疗保障局", "医保局"),
]

# Vertical branches of city agencies in the districts.
BRANCHES = [
    ("示例市市场监督管理局", "东城分局", "439902"),
    ("示例市市场监督管理局", "西城分局", "439903"),
    ("示例市生态环境局", "南山分局", "439921"),
    ("示例市自然资源和规划局", "东城分局", "439902"),
]

DISTRICTS = [
    ("439902", "东城区", ["城关街道办事处", "东湖街道办事处"], ["城市管理综合执法局", "住房和城乡建设局"]),
    ("439903", "西城区", ["西园街道办事处", "新桥镇人民政府"], ["城市管理综合执法局"]),
    ("439921", "南山县", ["南山镇人民政府", "石门乡人民政府"], ["城市管理综合执法局", "农业农村局"]),
]

USERS = [
    ("admin", "王管理", "示例市司法局", ["admin"]),
    ("supervisor", "李监督", "示例市司法局", ["supervisor"]),
    ("agency", "张法制", "示例市市场监督管理局", ["agency_legal"]),
    ("agency2", "赵法制", "示例市生态环境局", ["agency_legal"]),
    ("officer", "陈执法", "示例市市场监督管理局", ["officer"]),
    ("monitor", "刘监督员", "示例市司法局", ["invited_supervisor"]),
    ("leader", "周领导", "示例市人民政府", ["leader"]),
    ("secadmin", "吴安全", "示例市司法局", ["security_admin"]),
    ("auditor", "郑审计", "示例市司法局", ["audit_admin"]),
]

# Each app adds its demo data from its AppConfig.ready() with register_demo_step(); core imports no domain app.
DEMO_STEPS: list[tuple[int, object]] = []


def register_demo_step(step: str, *, order: int) -> None:
    """`step` is the dotted path of a function `(*, units, users)`, run after the org and the users in `order`
    (lower first). A path, so that a process that never builds the demo never imports the demo modules."""
    if all(existing != step for _, existing in DEMO_STEPS):
        DEMO_STEPS.append((order, step))
        DEMO_STEPS.sort(key=lambda pair: pair[0])


def demo_allowed() -> bool:
    """The demo (with its published password) goes only into the embedded default database."""
    from django.conf import settings

    return settings.DATABASE_URL == settings.DEFAULT_DATABASE_URL


def _division(code, name, parent_code):
    existing = Division.objects.filter(code=code).first()
    if existing:
        return existing
    parent = Division.objects.get(code=parent_code) if parent_code else None
    return division_save(by=None, code=code, name=name, parent=parent)


def _unit(name, kind, division_code, parent=None, short_name="", supervising=None, order=0):
    existing = Unit.objects.filter(name=name).first()
    if existing:
        return existing
    return unit_save(
        by=None,
        name=name,
        short_name=short_name,
        kind=kind,
        division=Division.objects.get(code=division_code),
        parent=parent,
        supervising_unit=supervising,
        sort_order=order,
    )


def build_org() -> dict:
    for code, name, parent in DIVISIONS:
        _division(code, name, parent)
    gov = _unit("示例市人民政府", "government", "439900", short_name="市政府")
    justice = _unit("示例市司法局", "justice", "439900", parent=gov, short_name="市司法局", order=1)
    units = {"gov": gov, "justice": justice}
    for i, (name, short) in enumerate(CITY_AGENCIES, start=10):
        units[name] = _unit(name, "agency", "439900", parent=gov, short_name=short, supervising=justice, order=i)
    for parent_name, suffix, code in BRANCHES:
        parent = units[parent_name]
        name = f"{parent_name}{suffix}"
        units[name] = _unit(
            name,
            "agency",
            code,
            parent=parent,
            short_name=f"{parent.short_name}{suffix}",
            supervising=justice,
            order=parent.sort_order,
        )
    for j, (code, district, townships, agencies) in enumerate(DISTRICTS, start=100):
        dgov = _unit(f"{district}人民政府", "government", code, parent=gov, short_name=f"{district}政府", order=j)
        djustice = _unit(
            f"{district}司法局",
            "justice",
            code,
            parent=dgov,
            short_name=f"{district}司法局",
            supervising=justice,
            order=j,
        )
        for k, agency in enumerate(agencies):
            units[f"{district}{agency}"] = _unit(
                f"{district}{agency}", "agency", code, parent=dgov, supervising=djustice, order=j * 10 + k
            )
        for k, township in enumerate(townships):
            _unit(f"{district}{township}", "township", code, parent=dgov, supervising=djustice, order=j * 10 + 5 + k)
        units[f"{district}司法局"] = djustice
    return units


def build_users() -> dict:
    roles_ensure_defaults()
    users = {}
    for username, name, unit_name, role_codes in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, name=name, unit=Unit.objects.get(name=unit_name))
            user.set_password(DEMO_PASSWORD)
            user.must_change_password = False
            user.save()
            user.roles.set(Role.objects.filter(code__in=role_codes))
        users[username] = user
    return users


def demo_legal_officer(unit: Unit) -> User:
    """A legal officer (部门法制员) for a unit that has no demo login of its own."""
    username = f"legal{unit.pk}"
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(
            username=username, name=f"{unit.short_name or unit.name}法制员", unit=unit, must_change_password=False
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        user.roles.set(Role.objects.filter(code="agency_legal"))
    return user


@transaction.atomic
def build_demo() -> list[str]:
    units = build_org()
    users = build_users()
    for _, step in DEMO_STEPS:
        import_string(step)(units=units, users=users)
    return [
        f"示例市：{Division.objects.count()} 个行政区划，{Unit.objects.count()} 个单位，{User.objects.count()} 个用户",
        f"演示账号：{', '.join(u[0] for u in USERS)}（密码 {DEMO_PASSWORD}，仅限演示）",
    ]
