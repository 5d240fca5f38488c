"""Data scope on every route that takes an object id, generated from the URL configuration and the API.

An object of unit A (示例市市场监督管理局) is read and written by two users who hold *every* permission, so that
only the data scope decides: `outsider`, of unit B (示例市生态环境局) with the 本单位及下级 scope, and `own`, of
unit A itself with the 本人 scope. They must get 404 — or 403 where the object's existence is public (a
jurisdiction-wide object such as a role, a division or the calendar, or the shared enterprise directory).

A route whose id names something this file does not know fails `test_every_id_route_is_covered`: add its
object to OBJECTS below when you add the route.
"""

import re
from dataclasses import dataclass

import pytest
from django.test import Client

from tests.test_routes import _guard, api_operations, page_patterns

pytestmark = pytest.mark.django_db

UNIT_A, UNIT_B = "示例市市场监督管理局", "示例市生态环境局"


@dataclass(frozen=True)
class Obj:
    """How a route's object is found in the demo, and what its scope class is.

    scoped — only its unit (and, with 本人, its owner) may see it: 404 for both users, read or write;
    unit — the whole unit shares it (registry, plans): 404 for the outsider; `own` of unit A may read it;
    public — existence is public (the enterprise directory): reads allowed, writes 403/404/405;
    global — one for the whole deployment (roles, divisions, calendar): reads allowed, writes 403.
    """

    kind: str
    find: str  # name of a finder in FINDERS


# Route pattern (after the /api/v1 or page prefix, ids as `{}`) -> its object. Order matters: first match wins.
OBJECTS: list[tuple[str, Obj]] = [
    # API
    (r"/assignments/\{\}", Obj("scoped", "assignment")),
    (r"/complaints/\{\}", Obj("scoped", "complaint")),
    (r"/divisions/\{\}", Obj("global", "division")),
    (r"/draws/\{\}", Obj("unit", "draw")),
    (r"/enterprises/\{\}", Obj("public", "enterprise")),
    (r"/inspection-records/\{\}", Obj("scoped", "record")),
    (r"/items/\{\}", Obj("scoped", "item")),
    (r"/plans/\{\}", Obj("unit", "plan")),
    (r"/roles/\{\}", Obj("global", "role")),
    (r"/tasks/\{\}", Obj("unit", "task")),
    (r"/tokens/\{\}", Obj("scoped", "token")),
    (r"/units/\{\}", Obj("unit", "unit")),
    (r"/users/\{\}", Obj("scoped", "user")),
    (r"/workdays/overrides/\{\}", Obj("global", "override")),
    (r"/cases/\{\}", Obj("scoped", "case")),
    (r"/disclosures/\{\}", Obj("scoped", "disclosure")),
    (r"/agencies/\{\}", Obj("unit", "agency")),
    (r"/power-items/\{\}", Obj("unit", "power_item")),
    (r"/officers/\{\}", Obj("scoped", "officer")),
    (r"/list-entries/\{\}", Obj("unit", "list_entry")),
    (r"/jobs/\{\}", Obj("scoped", "job")),
    # pages
    (r"jobs/\{\}", Obj("scoped", "job")),
    (r"notifications/\{\}", Obj("scoped", "notification")),
    (r"tokens/\{\}/revoke", Obj("scoped", "own_token")),
    (r"system/divisions/\{\}", Obj("global", "division")),
    (r"system/units/\{\}", Obj("unit", "unit")),
    (r"system/users/\{\}/tokens/\{\}", Obj("scoped", "user_and_token")),
    (r"system/users/\{\}", Obj("scoped", "user")),
    (r"system/roles/\{\}", Obj("global", "role")),
    (r"system/sessions/\{\}", Obj("scoped", "session")),
    (r"workdays/calendar/overrides/\{\}", Obj("global", "override")),
    (r"items/\{\}", Obj("scoped", "item")),
    (r"attachments/\{\}", Obj("scoped", "item_attachment")),
    (r"tasks/assignments/\{\}", Obj("scoped", "assignment")),
    (r"tasks/\{\}", Obj("unit", "task")),
    (r"enforcement/agencies/\{\}", Obj("unit", "agency")),
    (r"enforcement/power-items/\{\}", Obj("unit", "power_item")),
    (r"enforcement/officers/\{\}/certificates/\{\}", Obj("scoped", "officer_and_certificate")),
    (r"enforcement/officers/\{\}", Obj("scoped", "officer")),
    (r"enforcement/cases/\{\}", Obj("scoped", "case")),
    (r"enforcement/disclosures/\{\}", Obj("scoped", "disclosure")),
    (r"inspections/enterprises/\{\}", Obj("public", "enterprise")),
    (r"inspections/plans/\{\}", Obj("unit", "plan")),
    (r"inspections/draws/\{\}", Obj("unit", "draw")),
    (r"inspections/records/\{\}", Obj("scoped", "record")),
    (r"complaints/discipline/\{\}", Obj("scoped", "discipline")),
    (r"complaints/attachments/\{\}", Obj("scoped", "complaint_attachment")),
    (r"complaints/\{\}", Obj("scoped", "complaint")),
]

# Routes with an identifier that is not an object of a unit, and why.
NOT_OBJECTS = {
    "/complaints/hotline/{}": "12345 工单编号: called by the hotline system's own account, which sees every order",
    "/public/complaints/{}": "public: the tracking code plus its password is the credential",
    "/draws/{}/verification": "public verification data of a published draw",
    "system/import/{}": "an importer's key, not an object (tests/test_routes.py checks its permission)",
    "enforcement/registry-import/{}": "an importer's key, not an object",
    "inspections/enterprises/import/{}": "an upload token of the signed-in user's own",
    "enforcement/cases/{}/advance/{}": "covered by enforcement/cases/{} (same object, the stage is a word)",
}


def _template(path: str) -> str:
    path = re.sub(r"\{(int:)?[a-z_]+\}", "{}", path)
    return re.sub(r"<(int|str|slug):[a-z_]+>", "{}", path)


def _object_of(template: str) -> Obj | str | None:
    bare = template.removeprefix("/api/v1")
    for prefix, reason in NOT_OBJECTS.items():
        if bare.startswith(prefix):
            return reason
    for pattern, obj in OBJECTS:
        if re.match(pattern, bare):
            return obj
    return None


def id_routes():
    """(method or "page", template, concrete-path maker) for every route with an identifier."""
    for method, path, op in api_operations():
        guard = _guard(op)
        if "{" in path and guard is not None and guard.mode != "public":
            yield method, _template(path), path
    for path, cb in page_patterns():
        if "<" in path and getattr(cb, "fazhi_permission", None) != "public":
            yield "page", _template("/" + path).lstrip("/"), path


def test_every_id_route_is_covered():
    missing = [f"{m} {t}" for m, t, _ in id_routes() if _object_of(t) is None]
    assert missing == [], "routes with an id whose object tests/test_scope.py does not know"


# ---------------------------------------------------------------- the demo and the two users


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The whole demo, built once for this module inside a transaction rolled back at its end."""
    from django.db import transaction

    from fazhi.core.demo.build import build_demo
    from fazhi.core.models import Role, Unit, User
    from fazhi.core.permissions import PERMISSION_CODES

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            build_demo()
            people = {}
            for username, unit_name, scope in (("outsider", UNIT_B, "subtree"), ("own", UNIT_A, "self")):
                role = Role.objects.create(
                    code=f"everything_{scope}",
                    name=f"全部权限（{scope}）",
                    data_scope=scope,
                    permissions=sorted(PERMISSION_CODES),
                )
                user = User.objects.create(
                    username=username, name=username, unit=Unit.objects.get(name=unit_name), must_change_password=False
                )
                user.roles.add(role)
                people[username] = user
            yield {"ids": _find_all(people), "people": people}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _find_all(people) -> dict[str, list]:
    """One object of unit A per finder (ids in URL order), none of them the 本人 user's own."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from fazhi.cases.models import Case, Disclosure
    from fazhi.complaints.models import Complaint, DisciplineTransfer
    from fazhi.core.attachments import attachment_store
    from fazhi.core.models import ApiToken, Division, Job, Notification, Role, Unit, User, UserSession
    from fazhi.core.services import token_create
    from fazhi.inspections.models import Draw, Enterprise, InspectionRecord, Plan
    from fazhi.registry.models import Agency, Certificate, ListEntry, Officer, PowerItem
    from fazhi.tracking.models import TaskAssignment, TimelineEvent, TrackedItem
    from fazhi.workdays.models import CalendarOverride

    unit = Unit.objects.get(name=UNIT_A)
    agency_user = User.objects.get(username="agency")
    token, _ = token_create(user=agency_user)
    override = CalendarOverride.objects.first() or CalendarOverride.objects.create(
        date=timezone.localdate().replace(year=2055, month=10, day=1), is_working_day=False, name="国庆节"
    )
    session = UserSession.objects.create(session_key="scope-test-session-key", user=agency_user)
    item_ids = TrackedItem.objects.filter(unit=unit).exclude(person=people["own"]).exclude(action_user=people["own"])
    item = item_ids.first()
    event = TimelineEvent.objects.filter(item__unit=unit, attachments__isnull=False).first()
    if event is None and item is not None:
        event = item.events.order_by("seq").first()
        event.attachments.add(attachment_store(file=SimpleUploadedFile("材料.pdf", b"%PDF-1.4 x"), by=agency_user))
    complaint = Complaint.objects.filter(agency=unit).exclude(created_by=people["own"]).first()
    complaint_with_file = Complaint.objects.filter(agency=unit, attachments__isnull=False).first()
    if complaint_with_file is None and complaint is not None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from fazhi.core.attachments import attachment_store

        complaint_with_file = complaint
        complaint.attachments.add(attachment_store(file=SimpleUploadedFile("照片.pdf", b"%PDF-1.4 y"), by=None))
    certificate = Certificate.objects.filter(officer__agency__unit=unit).first()
    found = {
        "assignment": TaskAssignment.objects.filter(unit=unit).first(),
        "complaint": complaint,
        "division": Division.objects.get(code="439900"),
        "draw": Draw.objects.filter(plan__agency__unit=unit).first(),
        "enterprise": Enterprise.objects.first(),
        "record": InspectionRecord.objects.filter(agency__unit=unit).exclude(created_by=people["own"]).first(),
        "item": item,
        "plan": Plan.objects.filter(agency__unit=unit).first(),
        "role": Role.objects.get(code="leader"),
        "task": _task_of_unit_a_only(unit),
        "token": token,
        "own_token": ApiToken.objects.filter(user=agency_user).first(),
        "unit": unit,
        "user": agency_user,
        "override": override,
        "case": Case.objects.filter(agency__unit=unit).exclude(handlers__user=people["own"]).first(),
        "disclosure": Disclosure.objects.filter(case__agency__unit=unit).first(),
        "agency": Agency.objects.get(unit=unit),
        "power_item": PowerItem.objects.filter(agency__unit=unit).first(),
        "officer": Officer.objects.filter(agency__unit=unit).exclude(user=people["own"]).first(),
        "list_entry": ListEntry.objects.filter(agency__unit=unit).first(),
        "notification": Notification.objects.filter(recipient=agency_user).first()
        or Notification.objects.create(recipient=agency_user, title="测试通知", dedup_key="scope-test"),
        "session": session,
        "discipline": DisciplineTransfer.objects.filter(complaint__agency=unit).first(),
        "job": Job.objects.create(kind="enterprise_import", label="导入市场主体", created_by=agency_user, unit=unit),
    }
    ids = {name: [obj.pk] for name, obj in found.items() if obj is not None}
    ids["user_and_token"] = [agency_user.pk, token.pk]
    if certificate:
        ids["officer_and_certificate"] = [certificate.officer_id, certificate.pk]
    if event:
        ids["item_attachment"] = [event.attachments.first().pk]
    if complaint_with_file:
        ids["complaint_attachment"] = [complaint_with_file.attachments.first().pk]
    return ids


def _task_of_unit_a_only(unit):
    """The demo's task also goes to unit B; this one goes to unit A alone."""
    import datetime as dt

    from django.utils import timezone

    from fazhi.core.models import User
    from fazhi.tracking.services import task_assign, task_create

    supervisor = User.objects.get(username="supervisor")
    deadline = timezone.localdate() + dt.timedelta(days=30)
    task = task_create(by=supervisor, title="范围测试任务", basis="测试", deadline=deadline)
    task_assign(by=supervisor, task=task, unit=unit, deadline=deadline)
    return task


def _concrete(template_path: str, ids: list) -> str:
    it = iter(ids)
    path = re.sub(r"\{(int:)?[a-z_]*(id|pk)\}", lambda m: str(next(it)), template_path)
    path = re.sub(r"<int:[a-z_]+>", lambda m: str(next(it)), path)
    path = re.sub(r"\{[a-z_:]+\}", "x", path)
    path = re.sub(r"<(str|slug):[a-z_]+>", "x", path)
    return path if path.startswith("/") else "/" + path


def _client(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def _cases(world):
    for method, template, raw in id_routes():
        obj = _object_of(template)
        if not isinstance(obj, Obj):
            continue
        ids = world["ids"].get(obj.find)
        assert ids, f"the demo has no {obj.find} of {UNIT_A}: {template}"
        yield method, template, obj, _concrete(raw, ids)


def _call(client, method, path):
    if method == "page":
        return client.get(path), client.post(path)
    return (client.generic(method, path, data="{}", content_type="application/json"),)


def _nowhere(path: str) -> str:
    """The same route for an object that does not exist."""
    return re.sub(r"/\d+(?=/|$)", "/999999", path)


def _hidden(client, method, path) -> list[str]:
    """Problems if the object is not hidden: each answer must be the one a nonexistent object gets (404; or
    405 / 422 when the method or the body is refused before any lookup; the same redirect), and nothing
    that only an existing object could get — a success, a 403, a field error."""
    problems = []
    for r, blank in zip(_call(client, method, path), _call(client, method, _nowhere(path)), strict=True):
        same = (r.status_code, r.headers.get("Location")) == (blank.status_code, blank.headers.get("Location"))
        if not same:
            problems.append(f"{r.status_code} (nonexistent: {blank.status_code})")
    return problems


def test_another_units_user_finds_nothing(world):
    outsider = _client(world["people"]["outsider"])
    failures = []
    for method, template, obj, path in _cases(world):
        if obj.kind in ("scoped", "unit"):
            failures += [f"{method} {template}: {p}" for p in _hidden(outsider, method, path)]
            continue
        for r in _call(outsider, method, path):
            # A page's POST may just render the page again; the API's writes must be refused.
            if r.status_code >= 500 or (method in ("POST", "PUT", "PATCH", "DELETE") and r.status_code < 400):
                failures.append(f"{method} {template} ({obj.kind}): {r.status_code}")
    assert failures == [], "unit B reached unit A's objects:\n" + "\n".join(failures)


def test_the_self_scope_user_finds_only_his_own(world):
    own = _client(world["people"]["own"])
    failures = []
    for method, template, obj, path in _cases(world):
        if obj.kind == "scoped":  # the unit's shared registry and plans are his unit's, and read by him
            failures += [f"{method} {template}: {p}" for p in _hidden(own, method, path)]
    assert failures == [], "the 本人 scope reached others' objects of its unit:\n" + "\n".join(failures)
