"""Permissions of 学法用法: codes, menu, grants, and one `<entity>_actions` predicate per entity.

- `study.view`: 会前学法 records, examinations and results, 年终述法 reports inside one's data scope;
- `study.manage`: the question bank, examinations (create, enrol, open, close), 会前学法 records (司法局, 监督人员);
- `study.report`: submit the 年终述法 reports of one's own unit's leaders (部门法制员);
- `study.take`: sit the examinations one is enrolled in (every cadre and officer; only one's own papers).
"""

from fazhi.core.permissions import MenuEntry, Permission, register
from fazhi.legalservices.study import rules

GROUP = "公共法律服务与普法"


def register_permissions() -> None:
    register(
        permissions=[
            Permission("study.view", "查看学法考法记录、考试成绩、年终述法", GROUP),
            Permission("study.manage", "管理题库、组织考试、登记会前学法", GROUP),
            Permission("study.report", "报送本单位领导年终述法", GROUP),
            Permission("study.take", "参加在线考试", GROUP),
        ],
        menu=[
            MenuEntry("我的考试", "legalservices:study:my_exams", "study.take", GROUP),
            MenuEntry("考试与成绩", "legalservices:study:exam_list", "study.view", GROUP),
            MenuEntry("题库", "legalservices:study:question_list", "study.manage", GROUP),
            MenuEntry("会前学法", "legalservices:study:session_list", "study.view", GROUP),
            MenuEntry("年终述法", "legalservices:study:report_list", "study.view", GROUP),
        ],
        grants={
            "supervisor": ["study.view", "study.manage", "study.take"],
            "agency_legal": ["study.view", "study.report", "study.take"],
            "officer": ["study.take"],
            "leader": ["study.view", "study.take"],
        },
    )


def _scope_reaches(user, unit) -> bool:
    from fazhi.core.scope import user_data_scope

    scope = user_data_scope(user)
    if scope == "all":
        return True
    if unit is None or user.unit_id is None or scope == "self":
        return False
    if scope == "subtree":
        return unit.path.startswith(user.unit.path)
    return unit.pk == user.unit_id


def may_manage(user) -> bool:
    from fazhi.core.scope import has_permission, user_data_scope

    return has_permission(user, "study.manage") and user_data_scope(user) != "self"


def question_actions(*, user, obj=None) -> set[str]:
    """The question bank is one for the whole deployment: `study.manage` adds and imports questions and reads
    each one; changing or withdrawing a question that every unit's papers draw from needs the 全部 data scope too
    (the Justice Bureau keeps the bank). A withdrawn (停用) question is no longer drawn; papers already drawn keep
    it, and it can be put back."""
    from fazhi.core.scope import user_data_scope

    if not may_manage(user):
        return set()
    actions = {"view", "create", "import"}
    if obj is not None and user_data_scope(user) == "all":
        actions |= {"edit", "deactivate" if obj.is_active else "activate"}
    return actions


def exam_actions(*, user, obj) -> set[str]:
    """An examination (None: the list / a new one). Managers of the organising unit run it; viewers see results."""
    from fazhi.core.scope import has_permission

    actions = {"view"} if has_permission(user, "study.view") else set()
    if obj is None:
        return actions | ({"create"} if may_manage(user) else set())
    if may_manage(user) and _scope_reaches(user, obj.unit):
        actions.add("view")
        if obj.status != rules.CLOSED:
            actions.add("enrol")
        if obj.status == rules.DRAFT:
            actions.add("open")
        if obj.status == rules.OPEN:
            actions.add("close")
    return actions


def paper_actions(*, user, obj, now=None) -> set[str]:
    """A candidate's paper: its owner sits it while the exam is open; viewers of the unit read the result."""
    from django.utils import timezone

    from fazhi.core.scope import has_permission

    actions = set()
    if has_permission(user, "study.view") and _scope_reaches(user, obj.unit):
        actions.add("view")
    if obj.user_id == user.pk and has_permission(user, "study.take"):
        actions.add("view")
        now = now or timezone.now()
        exam = obj.exam
        if obj.status == rules.ASSIGNED and exam.status == rules.OPEN and exam.opens_at <= now <= exam.closes_at:
            actions.add("start")
        if obj.status == rules.STARTED:
            actions |= {"answer", "submit"}
    return actions


def session_actions(*, user, obj=None) -> set[str]:
    from fazhi.core.scope import has_permission

    actions = {"view"} if has_permission(user, "study.view") else set()
    if may_manage(user) and (obj is None or _scope_reaches(user, obj.unit)):
        actions |= {"view", "create", "edit"} if obj is None else {"view", "edit", "delete"}
    return actions


def report_actions(*, user, obj=None) -> set[str]:
    from fazhi.core.scope import has_permission

    actions = {"view"} if has_permission(user, "study.view") else set()
    submitter = has_permission(user, "study.report") or may_manage(user)
    if obj is None:
        return actions | ({"create"} if submitter and user.unit_id else set())
    if submitter and _scope_reaches(user, obj.unit):
        actions |= {"view", "edit"}
    return actions
