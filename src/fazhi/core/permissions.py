"""Function permissions, the menu they open and the built-in roles: a registry every app adds to.

Each app declares its own codes, menu entries and role grants in its `permissions.py` and registers them from
its `ready()` (`register(...)`); core declares only its own below. A role grants a set of codes plus a data
scope. The `<entity>_actions(*, user, obj)` predicates of core's entities are in this file too.
"""

from dataclasses import dataclass

from fazhi.core.scope import has_permission, user_data_scope


@dataclass(frozen=True)
class Permission:
    code: str
    label: str
    group: str


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    permission: str  # "": every signed-in user (their own 我的任务)
    group: str


# Filled by register(); the lists keep registration order (apps in INSTALLED_APPS order).
PERMISSIONS: list[Permission] = []
PERMISSION_CODES: set[str] = set()
MENU: list[MenuEntry] = []
MENU_GROUPS = [
    "工作台",
    "督办",
    "行政执法",
    "投诉举报",
    "双随机、一公开",
    "争议化解",
    "依法决策",
    "建议提案与依申请公开",
    "执法监督",
    "公共法律服务与普法",
    "法治建设考核",
    "系统管理",
]

# The built-in roles of design.md §1 plus the three administrators of 等保 三员分立: code -> (name, data scope,
# permissions). Apps add their codes to these roles through register(grants=...).
DEFAULT_ROLES: dict[str, tuple[str, str, list[str]]] = {
    "admin": ("系统管理员", "all", []),
    "security_admin": ("安全管理员", "all", []),
    "audit_admin": ("审计管理员", "all", []),
    "supervisor": ("监督人员", "all", []),
    "agency_legal": ("部门法制员", "subtree", []),
    "officer": ("执法人员", "self", []),
    "invited_supervisor": ("特邀监督员", "self", []),
    "leader": ("领导", "all", []),
}


def register(*, permissions=(), menu=(), grants=None) -> None:
    """Add an app's permission codes, menu entries and grants to the built-in roles (idempotent)."""
    for p in permissions:
        if p.code not in PERMISSION_CODES:
            PERMISSIONS.append(p)
            PERMISSION_CODES.add(p.code)
    for entry in menu:
        if entry not in MENU:
            MENU.append(entry)
    MENU.sort(key=lambda e: MENU_GROUPS.index(e.group) if e.group in MENU_GROUPS else len(MENU_GROUPS))
    for role, codes in (grants or {}).items():
        granted = DEFAULT_ROLES[role][2]
        granted.extend(c for c in codes if c not in granted)


# 等保 level 3, 三员分立: the system, security and audit administrators' powers never meet in one account.
SEPARATED_DUTIES: dict[str, set[str]] = {
    "系统管理员": {"org.manage", "user.manage", "calendar.manage"},
    "安全管理员": {"role.manage", "session.manage"},
    "审计管理员": {"log.view", "log.export"},
}


def duties_combined(codes) -> list[str]:
    """The administrator duties a set of permission codes spans; more than one breaks 三员分立."""
    codes = set(codes)
    return [duty for duty, duty_codes in SEPARATED_DUTIES.items() if codes & duty_codes]


register(
    permissions=[
        Permission("org.view", "查看组织机构", "组织机构"),
        Permission("org.manage", "维护行政区划和单位", "组织机构"),
        Permission("user.manage", "维护用户", "用户与角色"),
        Permission("role.manage", "维护角色、为用户授予角色", "用户与角色"),
        Permission("log.view", "查看登录日志和操作日志", "系统"),
        Permission("log.export", "导出登录日志和操作日志", "系统"),
        Permission("session.manage", "在线会话与强制下线", "系统"),
        Permission("personal.reveal", "查看完整的身份证号、手机号（须说明理由，记入日志）", "系统"),
    ],
    menu=[
        MenuEntry("我的任务", "core:job_list", "", "工作台"),
        MenuEntry("行政区划", "core:division_list", "org.manage", "系统管理"),
        MenuEntry("单位", "core:unit_list", "org.manage", "系统管理"),
        MenuEntry("用户", "core:user_list", "user.manage", "系统管理"),
        MenuEntry("角色", "core:role_list", "role.manage", "系统管理"),
        MenuEntry("登录日志", "core:login_log", "log.view", "系统管理"),
        MenuEntry("操作日志", "core:operation_log", "log.view", "系统管理"),
        MenuEntry("在线会话", "core:session_list", "session.manage", "系统管理"),
    ],
    grants={
        "admin": ["org.view", "org.manage", "user.manage"],
        "security_admin": ["org.view", "role.manage", "session.manage"],
        "audit_admin": ["org.view", "log.view", "log.export"],
        "supervisor": ["org.view", "personal.reveal"],
        "agency_legal": ["org.view"],
        "leader": ["org.view"],
    },
)


# ---------------------------------------------------------------- predicates of core's entities


def unit_actions(*, user, obj) -> set[str]:
    """What `user` may do with a unit (`obj` is a Unit inside the user's scope, or None for "a new one")."""
    actions = set()
    if has_permission(user, "org.view") or has_permission(user, "org.manage"):
        actions.add("view")
    if has_permission(user, "org.manage"):
        actions.add("create")
        if obj is not None:
            actions |= {"edit", "toggle"}
    return actions


def division_actions(*, user, obj) -> set[str]:
    # Divisions are national data (GB/T 2260): only a manager of the whole jurisdiction edits them.
    if has_permission(user, "org.manage") and user_data_scope(user) == "all":
        return {"view", "create", "edit", "toggle"}
    return {"view"} if has_permission(user, "org.manage") else set()


def user_actions(*, user, obj) -> set[str]:
    """`obj` is a User inside the viewer's scope (or None for a new one)."""
    actions = set()
    if has_permission(user, "user.manage"):
        actions |= {"view", "create"}
        if obj is not None:
            actions |= {"edit", "toggle", "reset_password", "unlock", "revoke_token"}
    if has_permission(user, "role.manage"):
        actions.add("view")
        if obj is None or obj.pk != user.pk:
            actions.add("grant_roles")  # nobody grants themselves roles
    return actions


def role_actions(*, user, obj) -> set[str]:
    # Roles are shared by every unit, so only a role manager with the 全部 scope defines them.
    if not has_permission(user, "role.manage") or user_data_scope(user) != "all":
        return set()
    return {"view", "create"} | ({"edit", "toggle"} if obj is not None else set())


def token_actions(*, user, obj) -> set[str]:
    """Own tokens: create and revoke. Someone else's: revoke only, for a user manager."""
    if obj is None or obj.user_id == user.pk:
        return {"create", "revoke"}
    return {"revoke"} if has_permission(user, "user.manage") else set()


def log_actions(*, user) -> set[str]:
    # Only the audit administrator reads the logs; nobody edits them (there is no such action at all).
    return {a for a, code in (("view", "log.view"), ("export", "log.export")) if has_permission(user, code)}


def session_actions(*, user, obj) -> set[str]:
    """Online sessions (等保 三级 会话管理): the security administrator lists them and forces any one out."""
    if not has_permission(user, "session.manage"):
        return set()
    return {"view"} | ({"force_logout"} if obj is not None and obj.ended_at is None else set())


def job_actions(*, user, obj) -> set[str]:
    """A background job (我的任务) is its starter's alone: no role sees another's, since its result may hold
    the rows of a file they uploaded. `obj` None: the viewer's own list."""
    if obj is None:
        return {"view"}
    if obj.created_by_id != user.pk:
        return set()
    return {"view"} | ({"download"} if obj.result_file and obj.is_finished else set())
