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
    (r"/assessment/runs/\{\}", Obj("global", "assessment_run")),
    (r"/assessment/members/\{\}", Obj("scoped", "assessment_member")),
    (r"/assessment/scores/\{\}", Obj("scoped", "assessment_score")),
    (r"/assessment/appeals/\{\}", Obj("scoped", "assessment_appeal")),
    (r"/assessment/frameworks/\{\}", Obj("global", "assessment_framework")),
    (r"/assessment/nodes/\{\}", Obj("global", "assessment_indicator")),
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
    (r"/supervision/investigations/\{\}/documents/\{\}", Obj("scoped", "investigation_and_document")),
    (r"/supervision/investigations/\{\}", Obj("scoped", "investigation")),
    (r"/supervision/investigation-referrals/\{\}", Obj("scoped", "referral")),
    (r"/supervision/accountability/proposals/\{\}", Obj("scoped", "accountability_proposal")),
    (r"/supervision/accountability/records/\{\}/documents/\{\}", Obj("scoped", "record_and_document")),
    (r"/supervision/accountability/records/\{\}", Obj("scoped", "accountability_record")),
    (r"/supervision/typical-cases/\{\}/documents/\{\}", Obj("scoped", "typical_and_document")),
    (r"/supervision/typical-cases/\{\}", Obj("scoped", "typical_case")),
    (r"/supervision/instruments/\{\}/files/\{\}", Obj("scoped", "instrument_and_file")),
    (r"/legalservices/mediation/cases/\{\}", Obj("scoped", "mediation_case")),
    (r"/legalservices/mediation/orgs/\{\}/mediators/\{\}", Obj("scoped", "mediation_org_and_mediator")),
    (r"/legalservices/mediation/orgs/\{\}", Obj("scoped", "mediation_org")),
    (r"/legalservices/advisers/opinions/\{\}", Obj("scoped", "legal_opinion")),
    (r"/legalservices/advisers/\{\}/contracts/\{\}", Obj("scoped", "legal_adviser_and_contract")),
    (r"/legalservices/advisers/\{\}", Obj("scoped", "legal_adviser")),
    (r"/supervision/instruments/\{\}", Obj("scoped", "instrument")),
    (r"/supervision/instrument-risks/\{\}", Obj("scoped", "risk")),
    (r"/documents/registers/\{\}", Obj("unit", "register")),
    (r"/assessment/oversight/campaigns/\{\}", Obj("scoped", "oversight_campaign")),
    (r"/assessment/oversight/problems/\{\}", Obj("scoped", "oversight_rectification")),
    (r"/assessment/reports/\{\}/figures/\{\}", Obj("scoped", "report_and_figure")),
    (r"/assessment/reports/\{\}", Obj("scoped", "assessment_report")),
    (r"/disclosure-requests/\{\}", Obj("scoped", "disclosure_request")),
    (r"/proposals/\{\}", Obj("scoped", "proposal")),
    (r"/supervision/reviews/rubrics/\{\}", Obj("global", "review_rubric")),
    (r"/supervision/reviews/campaigns/\{\}/reviewers/\{\}", Obj("unit", "review_campaign_and_user")),
    (r"/supervision/reviews/campaigns/\{\}/documents/\{\}", Obj("unit", "review_campaign_and_document")),
    (r"/supervision/reviews/campaigns/\{\}", Obj("unit", "review_campaign")),
    (r"/supervision/reviews/files/\{\}/sheet/lines/\{\}", Obj("scoped", "review_file_and_line")),
    (r"/supervision/reviews/files/\{\}/documents/\{\}", Obj("scoped", "review_file_and_document")),
    (r"/supervision/reviews/files/\{\}", Obj("scoped", "review_file")),
    (r"/supervision/reviews/opinions/\{\}/documents/\{\}", Obj("scoped", "review_opinion_and_document")),
    (r"/supervision/reviews/opinions/\{\}", Obj("scoped", "review_opinion")),
    (r"/rulemaking/catalogues/\{\}", Obj("public", "catalogue")),
    (r"/rulemaking/decisions/\{\}", Obj("unit", "decision")),
    (r"/rulemaking/normative/\{\}", Obj("unit", "normative")),
    (r"/rulemaking/cleanups/\{\}", Obj("public", "cleanup")),
    (r"/rulemaking/incidental-reviews/\{\}", Obj("unit", "incidental")),
    (r"/reconsiderations/\{\}/hearings/\{\}", Obj("scoped", "rc_and_hearing")),
    (r"/reconsiderations/\{\}/referrals/\{\}", Obj("scoped", "rc_and_referral")),
    (r"/reconsiderations/\{\}/documents/\{\}", Obj("scoped", "rc_and_document")),
    (r"/dispute-attachments/\{\}", Obj("scoped", "dispute_attachment")),
    (r"/reconsiderations/\{\}", Obj("scoped", "reconsideration")),
    (r"/opinions/\{\}", Obj("scoped", "opinion")),
    (r"/normative-reviews/\{\}", Obj("scoped", "normative_review")),
    (r"/committees/\{\}", Obj("unit", "committee")),
    (r"/agency-heads/\{\}", Obj("scoped", "head")),
    (r"/litigations/\{\}", Obj("scoped", "litigation")),
    (r"/court-hearings/\{\}", Obj("scoped", "court_hearing")),
    (r"/suggestions/\{\}", Obj("scoped", "suggestion")),
    (r"/supervision/invited/campaigns/\{\}", Obj("scoped", "invited_campaign")),
    (r"/supervision/invited/applications/\{\}", Obj("scoped", "invited_application")),
    (r"/supervision/invited/objections/\{\}", Obj("scoped", "invited_objection")),
    (r"/supervision/invited/supervisors/\{\}", Obj("scoped", "invited_supervisor")),
    (r"/supervision/invited/duties/\{\}", Obj("scoped", "invited_duty")),
    (r"/supervision/invited/submissions/\{\}", Obj("scoped", "invited_submission")),
    (r"/supervision/invited/trainings/\{\}", Obj("scoped", "invited_training")),
    (r"/legalservices/study/questions/\{\}", Obj("global", "study_question")),
    (r"/legalservices/study/exams/\{\}", Obj("scoped", "study_exam")),
    (r"/legalservices/study/papers/\{\}", Obj("scoped", "study_paper")),
    (r"/legalservices/study/reports/\{\}", Obj("scoped", "study_report")),
    (r"/legalservices/outreach/lists/\{\}/items/\{\}", Obj("scoped", "outreach_list_and_item")),
    (r"/legalservices/outreach/lists/\{\}", Obj("scoped", "outreach_list")),
    (r"/legalservices/outreach/activities/\{\}", Obj("scoped", "outreach_activity")),
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
    (r"supervision/accountability/investigations/\{\}/documents/\{\}", Obj("scoped", "investigation_and_document")),
    (r"supervision/accountability/investigations/\{\}", Obj("scoped", "investigation")),
    (r"supervision/accountability/referrals/\{\}", Obj("scoped", "referral")),
    (r"supervision/accountability/proposals/\{\}", Obj("scoped", "accountability_proposal")),
    (r"supervision/accountability/records/\{\}/documents/\{\}", Obj("scoped", "record_and_document")),
    (r"supervision/accountability/records/\{\}", Obj("scoped", "accountability_record")),
    (r"supervision/accountability/typical/\{\}/documents/\{\}", Obj("scoped", "typical_and_document")),
    (r"supervision/accountability/typical/\{\}", Obj("scoped", "typical_case")),
    (r"supervision/instruments/risks/\{\}", Obj("scoped", "risk")),
    (r"legalservices/mediation/orgs/\{\}/mediators/\{\}", Obj("scoped", "mediation_org_and_mediator")),
    (r"legalservices/mediation/orgs/\{\}", Obj("scoped", "mediation_org")),
    (r"legalservices/mediation/\{\}/documents/\{\}", Obj("scoped", "mediation_case_and_document")),
    (r"legalservices/mediation/\{\}", Obj("scoped", "mediation_case")),
    (r"legalservices/advisers/opinions/\{\}/documents/\{\}", Obj("scoped", "legal_opinion_and_document")),
    (r"legalservices/advisers/opinions/\{\}", Obj("scoped", "legal_opinion")),
    (r"legalservices/advisers/\{\}/contracts/\{\}", Obj("scoped", "legal_adviser_and_contract")),
    (r"legalservices/advisers/\{\}", Obj("scoped", "legal_adviser")),
    (r"supervision/instruments/\{\}/files/\{\}", Obj("scoped", "instrument_and_file")),
    (r"supervision/instruments/\{\}", Obj("scoped", "instrument")),
    (r"documents/registers/\{\}", Obj("unit", "register")),
    (r"assessment/oversight/campaigns/\{\}", Obj("scoped", "oversight_campaign")),
    (r"assessment/oversight/problems/\{\}/files/\{\}", Obj("scoped", "oversight_rectification_and_file")),
    (r"assessment/oversight/problems/\{\}", Obj("scoped", "oversight_rectification")),
    (r"assessment/oversight/clues/\{\}", Obj("scoped", "oversight_clue")),
    (r"assessment/reports/\{\}/figures/\{\}", Obj("scoped", "report_and_figure")),
    (r"assessment/reports/\{\}", Obj("scoped", "assessment_report")),
    (r"requests/proposals/\{\}/documents/\{\}", Obj("scoped", "proposal_and_document")),
    (r"requests/proposals/\{\}/units/\{\}", Obj("scoped", "proposal_and_unit")),
    (r"requests/proposals/\{\}", Obj("scoped", "proposal")),
    (r"requests/disclosure/\{\}/documents/\{\}", Obj("scoped", "disclosure_request_and_document")),
    (r"requests/disclosure/\{\}", Obj("scoped", "disclosure_request")),
    (r"supervision/reviews/rubrics/\{\}", Obj("global", "review_rubric")),
    (r"supervision/reviews/campaigns/\{\}/documents/\{\}", Obj("unit", "review_campaign_and_document")),
    (r"supervision/reviews/campaigns/\{\}", Obj("unit", "review_campaign")),
    (r"supervision/reviews/files/\{\}/documents/\{\}", Obj("scoped", "review_file_and_document")),
    (r"supervision/reviews/files/\{\}", Obj("scoped", "review_file")),
    (r"supervision/reviews/opinions/\{\}/documents/\{\}", Obj("scoped", "review_opinion_and_document")),
    (r"supervision/reviews/opinions/\{\}", Obj("scoped", "review_opinion")),
    (r"rulemaking/catalogues/\{\}", Obj("public", "catalogue")),
    (r"rulemaking/decisions/\{\}", Obj("unit", "decision")),
    (r"rulemaking/documents/\{\}", Obj("unit", "rulemaking_document")),
    (r"rulemaking/normative/\{\}", Obj("unit", "normative")),
    (r"rulemaking/cleanups/\{\}", Obj("public", "cleanup")),
    (r"rulemaking/incidental/\{\}", Obj("unit", "incidental")),
    (r"disputes/reconsiderations/\{\}/hearings/\{\}", Obj("scoped", "rc_and_hearing")),
    (r"disputes/reconsiderations/\{\}/referrals/\{\}", Obj("scoped", "rc_and_referral")),
    (r"disputes/reconsiderations/\{\}/documents/\{\}", Obj("scoped", "rc_and_document")),
    (r"disputes/reconsiderations/\{\}", Obj("scoped", "reconsideration")),
    (r"disputes/opinions/\{\}", Obj("scoped", "opinion")),
    (r"disputes/normative-reviews/\{\}", Obj("scoped", "normative_review")),
    (r"disputes/committees/\{\}", Obj("unit", "committee")),
    (r"disputes/litigations/\{\}/hearings/\{\}", Obj("scoped", "lit_and_hearing")),
    (r"disputes/litigations/\{\}", Obj("scoped", "litigation")),
    (r"disputes/heads/\{\}", Obj("scoped", "head")),
    (r"disputes/suggestions/\{\}", Obj("scoped", "suggestion")),
    (r"disputes/attachments/\{\}", Obj("scoped", "dispute_attachment")),
    (r"supervision/invited/campaigns/\{\}/documents/\{\}", Obj("scoped", "invited_campaign_document")),
    (r"supervision/invited/campaigns/\{\}", Obj("scoped", "invited_campaign")),
    (r"supervision/invited/applications/\{\}/attachments/\{\}", Obj("scoped", "invited_application_attachment")),
    (r"supervision/invited/applications/\{\}/documents/\{\}", Obj("scoped", "invited_application_document")),
    (r"supervision/invited/applications/\{\}", Obj("scoped", "invited_application")),
    (r"supervision/invited/objections/\{\}", Obj("scoped", "invited_objection")),
    (r"supervision/invited/supervisors/\{\}/documents/\{\}", Obj("scoped", "invited_supervisor_document")),
    (r"supervision/invited/supervisors/\{\}", Obj("scoped", "invited_supervisor")),
    (r"supervision/invited/duties/\{\}/attachments/\{\}", Obj("scoped", "invited_duty_attachment")),
    (r"supervision/invited/duties/\{\}", Obj("scoped", "invited_duty")),
    (r"supervision/invited/submissions/\{\}/attachments/\{\}", Obj("scoped", "invited_submission_attachment")),
    (r"supervision/invited/submissions/\{\}", Obj("scoped", "invited_submission")),
    (r"supervision/invited/trainings/\{\}", Obj("scoped", "invited_training")),
    (r"legalservices/study/questions/\{\}", Obj("global", "study_question")),
    (r"legalservices/study/exams/\{\}", Obj("scoped", "study_exam")),
    (r"legalservices/study/papers/\{\}", Obj("scoped", "study_paper")),
    (r"legalservices/study/reports/\{\}", Obj("scoped", "study_report")),
    (r"legalservices/outreach/lists/\{\}/items/\{\}", Obj("scoped", "outreach_list_and_item")),
    (r"legalservices/outreach/lists/\{\}", Obj("scoped", "outreach_list")),
    (r"legalservices/outreach/activities/\{\}/files/\{\}", Obj("scoped", "outreach_activity_and_file")),
    (r"legalservices/outreach/activities/\{\}", Obj("scoped", "outreach_activity")),
    (r"legalservices/outreach/literates/\{\}", Obj("scoped", "outreach_literate")),
    (r"assessment/scoring/units/\{\}", Obj("scoped", "assessment_member")),
    (r"assessment/scoring/scores/\{\}", Obj("scoped", "assessment_score")),
    (r"assessment/scoring/appeals/\{\}", Obj("scoped", "assessment_appeal")),
    (r"assessment/scoring/frameworks/\{\}", Obj("global", "assessment_framework")),
    (r"assessment/scoring/nodes/\{\}", Obj("global", "assessment_indicator")),
    (r"assessment/scoring/\{\}", Obj("global", "assessment_run")),
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
            # The demo's calendar overrides are rolled back: so is what the calendar cached of them, or a later
            # module in the same session would count a working day as a holiday (2055-10-01 above).
            from fazhi.workdays import calendar

            calendar.invalidate()


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
        **_rulemaking_objects(unit),
    }
    ids = {name: [obj.pk] for name, obj in found.items() if obj is not None}
    ids["user_and_token"] = [agency_user.pk, token.pk]
    if certificate:
        ids["officer_and_certificate"] = [certificate.officer_id, certificate.pk]
    if event:
        ids["item_attachment"] = [event.attachments.first().pk]
    if complaint_with_file:
        ids["complaint_attachment"] = [complaint_with_file.attachments.first().pk]
    from fazhi.documents.models import GeneratedDocument
    from fazhi.supervision.accountability.models import (
        AccountabilityProposal,
        AccountabilityRecord,
        Investigation,
        InvestigationReferral,
        TypicalCase,
    )

    investigation = Investigation.objects.filter(unit=unit).exclude(investigators=people["own"]).first()
    ids["investigation"] = [investigation.pk]
    document = GeneratedDocument.objects.filter(object_kind="investigation", object_id=investigation.pk).first()
    ids["investigation_and_document"] = [investigation.pk, document.pk]
    ids["referral"] = [InvestigationReferral.objects.filter(investigation__unit=unit).first().pk]
    ids["accountability_proposal"] = [AccountabilityProposal.objects.filter(unit=unit).first().pk]
    record = AccountabilityRecord.objects.filter(unit=unit).exclude(officers__officer__user=people["own"]).first()
    ids["accountability_record"] = [record.pk]
    record_document = GeneratedDocument.objects.filter(object_kind="accountability_record").first()
    ids["record_and_document"] = [record_document.object_id, record_document.pk]
    ids["typical_case"] = [TypicalCase.objects.filter(unit=unit).first().pk]
    typical_document = GeneratedDocument.objects.filter(object_kind="typical_case").first()
    ids["typical_and_document"] = [typical_document.object_id, typical_document.pk]
    from fazhi.assessment.scoring.tests.scope_objects import build as scoring_objects_of
    from fazhi.supervision.supervisors.tests.scope_objects import build as invited_objects_of

    for more in (
        invited_objects_of(unit),
        _instrument_ids(unit),
        _requests_ids(unit, people),
        _review_ids_of_unit_a(unit),
        _disputes_of(unit, people),
        _legalservices_ids(unit),
        _legalservices_education_ids(unit, people),
        scoring_objects_of(unit),
        _assessment_ids(unit),
    ):
        # Each area names its own objects: a name used twice would silently test one area's route with the
        # other's object.
        assert not ids.keys() & more.keys(), f"finder names used twice: {ids.keys() & more.keys()}"
        ids.update(more)
    return ids


def _legalservices_ids(unit) -> dict[str, list]:
    """A mediation organisation guided by unit A with a concluded case (and its 调解协议书), an adviser engaged by
    unit A and an answered legal opinion of unit A (and its 法律意见书)."""
    from fazhi.legalservices.advisers import services as advisers
    from fazhi.legalservices.mediation import services as mediation

    org = mediation.org_create(
        by=None, name="范围测试人民调解委员会", kind="industry", unit=unit, division=unit.division
    )
    mediator = mediation.mediator_add(by=None, org=org, name="范调解")
    case = mediation.case_register(
        by=None, org=org, kind="contract", source="walk_in", applicant="范甲", respondent="范乙", facts="范围测试。"
    )
    case = mediation.case_close(by=None, case=case, outcome="success", agreement="范围测试协议。")
    adviser = advisers.adviser_create(by=None, kind="government", name="范顾问", firm="范围测试所", unit=unit)
    import datetime as dt

    contract = advisers.contract_create(
        by=None, adviser=adviser, start=dt.date(2020, 1, 1), end=dt.date(2099, 12, 31), unit=unit
    )
    opinion = advisers.opinion_request(
        by=None, unit=unit, kind="contract", subject="范围测试合同", question="范围测试？"
    )
    advisers.opinion_route(by=None, opinion=opinion, adviser=adviser)
    opinion = advisers.opinion_answer(by=None, opinion=opinion, text="范围测试意见。")
    return {
        "mediation_org": [org.pk],
        "mediation_org_and_mediator": [org.pk, mediator.pk],
        "mediation_case": [case.pk],
        "mediation_case_and_document": [case.pk, case.document_id],
        "legal_adviser": [adviser.pk],
        "legal_adviser_and_contract": [adviser.pk, contract.pk],
        "legal_opinion": [opinion.pk],
        "legal_opinion_and_document": [opinion.pk, opinion.document_id],
    }


def _legalservices_education_ids(unit, people) -> dict[str, list]:
    """普法 and 学法用法 objects of unit A: its responsibility list and an item, an activity with a photo, a 法律明白人,
    a 年终述法 report, and an exam of its own with one paper (of the legal officer, not the 本人 user)."""
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from fazhi.core.models import Division, User
    from fazhi.legalservices.outreach import services as outreach
    from fazhi.legalservices.outreach.models import OutreachActivity, OutreachDutyList
    from fazhi.legalservices.study import services as study
    from fazhi.legalservices.study.models import ExamPaper, StudyLawReport, StudyQuestion
    from fazhi.registry.demo import id_number

    duty_list = OutreachDutyList.objects.get(unit=unit, year=timezone.localdate().year)
    activity = OutreachActivity.objects.filter(unit=unit).first()
    photo = outreach.activity_attach(by=None, activity=activity, files=[SimpleUploadedFile("现场.pdf", b"%PDF-1.4 z")])
    person = outreach.literate_save(
        by=None,
        unit=unit,
        division=Division.objects.get(code="439900"),
        township="城关街道办事处",
        village="东关社区",
        name="范围测试",
        id_number=id_number(9977),
    )
    now = timezone.now()
    exam = study.exam_create(
        by=None,
        unit=unit,
        title="范围测试考试",
        kind="pre_appointment",
        year=now.year,
        subjects=["宪法"],
        single_count=1,
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=1),
    )
    study.exam_enrol(by=None, exam=exam, users=[User.objects.get(username="agency")])
    return {
        "outreach_list": [duty_list.pk],
        "outreach_list_and_item": [duty_list.pk, duty_list.items.first().pk],
        "outreach_activity": [activity.pk],
        "outreach_activity_and_file": [activity.pk, photo[0].pk],
        "outreach_literate": [person.pk],
        "study_exam": [exam.pk],
        "study_question": [StudyQuestion.objects.filter(is_active=True).first().pk],
        "study_paper": [ExamPaper.objects.get(exam=exam).pk],
        "study_report": [StudyLawReport.objects.filter(unit=unit).first().pk],
    }


def _instrument_ids(unit) -> dict[str, list]:
    """监督文书 of unit A (the demo addresses several to it), a file of one, a risk proposal, a 发文字号 register."""
    from fazhi.documents.models import GeneratedDocument
    from fazhi.documents.services import register_create
    from fazhi.supervision.instruments.models import Instrument, RiskProposal

    ids = {}
    inst = Instrument.objects.filter(recipient=unit).exclude(status__in=("draft", "dismissed")).order_by("pk").first()
    if inst is not None:
        ids["instrument"] = [inst.pk]
        doc = GeneratedDocument.objects.filter(object_kind="instrument", object_id=inst.pk).first()
        if doc is not None:
            ids["instrument_and_file"] = [inst.pk, doc.attachment_id]
    risk = RiskProposal.objects.filter(unit=unit).first()
    if risk is not None:
        ids["risk"] = [risk.pk]
    register = register_create(by=None, unit=unit, doc_type="范围测试文种", year=2100, prefix="范测")
    ids["register"] = [register.pk]
    return ids


def _assessment_ids(unit) -> dict[str, list]:
    """法治督察 and reports: a campaign (of the Justice Bureau, which covers unit A), a rectification of unit A with
    an evidence file, a clue on one of its problems, unit A's draft annual report and one of its figures."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from fazhi.assessment.oversight.models import OversightClue, OversightRectification, OversightReport
    from fazhi.assessment.reports.models import AssessmentReport
    from fazhi.core.attachments import attachment_store

    rect = OversightRectification.objects.filter(unit=unit).order_by("pk").first()
    report = OversightReport.objects.filter(rectification=rect, attachments__isnull=False).first()
    if report is None:
        report = OversightReport.objects.create(rectification=rect, text="范围测试")
        report.attachments.add(attachment_store(file=SimpleUploadedFile("佐证.pdf", b"%PDF-1.4 z"), by=None))
    clue = OversightClue.objects.filter(problem__rectifications__unit=unit).first()
    annual = AssessmentReport.objects.get(kind="annual", unit=unit)
    return {
        "oversight_campaign": [rect.problem.campaign_id],
        "oversight_rectification": [rect.pk],
        "oversight_rectification_and_file": [rect.pk, report.attachments.first().pk],
        "oversight_clue": [clue.pk],
        "assessment_report": [annual.pk],
        "report_and_figure": [annual.pk, annual.figures.first().pk],
    }


def _requests_ids(unit, people) -> dict[str, list]:
    """A proposal of unit A that involves no unit of B (with its reply document and its lead unit's share), and a
    disclosure request addressed to unit A with a document."""
    from fazhi.core.models import Unit
    from fazhi.documents.models import GeneratedDocument
    from fazhi.requests.models import DisclosureRequest, Proposal

    unit_b = Unit.objects.get(name=UNIT_B)
    documents = GeneratedDocument.objects.filter(object_kind="proposal")
    proposal = (
        Proposal.objects.filter(lead_unit=unit, pk__in=documents.values("object_id"))
        .exclude(units__unit__path__startswith=unit_b.path)
        .exclude(created_by=people["own"])
        .first()
    )
    request = (
        DisclosureRequest.objects.filter(agency=unit)
        .filter(pk__in=GeneratedDocument.objects.filter(object_kind="disclosure_request").values("object_id"))
        .exclude(created_by=people["own"])
        .first()
    )
    ids = {}
    if proposal is not None:
        ids["proposal"] = [proposal.pk]
        ids["proposal_and_document"] = [proposal.pk, documents.filter(object_id=proposal.pk).first().pk]
        ids["proposal_and_unit"] = [proposal.pk, proposal.units.first().pk]
    if request is not None:
        ids["disclosure_request"] = [request.pk]
        ids["disclosure_request_and_document"] = [
            request.pk,
            GeneratedDocument.objects.filter(object_kind="disclosure_request", object_id=request.pk).first().pk,
        ]
    return ids


def _review_ids_of_unit_a(unit) -> dict[str, list]:
    """A case-file review of unit A alone (the demo's campaigns also review unit B), scored, published, with its
    documents and its 评查意见."""
    from fazhi.supervision.reviews.tests.factories import finished_campaign

    campaign = finished_campaign(agency_units=[unit])
    file = campaign.files.order_by("position").first()
    line = file.final_sheet.lines.first()
    opinion = campaign.opinions.first()
    documents = {
        kind: _first_document(kind, obj.pk)
        for kind, obj in (("review_campaign", campaign), ("review_file", file), ("review_opinion", opinion))
    }
    return {
        "review_rubric": [campaign.rubric_id],
        "review_campaign": [campaign.pk],
        "review_campaign_and_user": [campaign.pk, campaign.reviewers.first().user_id],
        "review_campaign_and_document": [campaign.pk, documents["review_campaign"]],
        "review_file": [file.pk],
        "review_file_and_line": [file.pk, line.pk],
        "review_file_and_document": [file.pk, documents["review_file"]],
        "review_opinion": [opinion.pk],
        "review_opinion_and_document": [opinion.pk, documents["review_opinion"]],
    }


def _first_document(kind: str, pk: int) -> int:
    from fazhi.documents.selectors import documents_for

    return documents_for(object_kind=kind, object_id=pk).first().pk


def _rulemaking_objects(unit) -> dict:
    """A decision led, a normative document drafted and an incidental review of a document made by unit A."""
    from fazhi.documents.models import GeneratedDocument
    from fazhi.rulemaking.models import (
        CleanupCampaign,
        DecisionCatalogue,
        IncidentalReview,
        MajorDecision,
        NormativeDocument,
    )

    normative = NormativeDocument.objects.filter(drafting_unit=unit, issuer=unit).first()
    return {
        "catalogue": DecisionCatalogue.objects.first(),
        "decision": MajorDecision.objects.filter(lead_unit=unit).first(),
        "normative": normative,
        "rulemaking_document": GeneratedDocument.objects.filter(
            object_kind="normative_document",
            object_id__in=NormativeDocument.objects.filter(drafting_unit=unit, issuer=unit),
        ).first(),
        "cleanup": CleanupCampaign.objects.first(),
        "incidental": IncidentalReview.objects.filter(maker_unit=unit).first(),
    }


def _disputes_of(unit, people) -> dict[str, list]:
    """Disputes where unit A is the respondent, defendant or addressee (the demo's), none of them the 本人 user's."""
    from fazhi.disputes.models import (
        AgencyHead,
        Committee,
        CommitteeReferral,
        CourtHearing,
        Litigation,
        NormativeReview,
        OpinionLetter,
        Reconsideration,
        ReconsiderationHearing,
        Suggestion,
    )
    from fazhi.documents.models import GeneratedDocument

    mine = Reconsideration.objects.filter(respondent_unit=unit).exclude(created_by=people["own"])
    rc = mine.first()
    hearing = ReconsiderationHearing.objects.filter(reconsideration__in=mine).first()
    referral = CommitteeReferral.objects.filter(reconsideration__in=mine).first()
    document = GeneratedDocument.objects.filter(object_kind="reconsideration", object_id__in=mine.values("pk")).first()
    court = CourtHearing.objects.filter(litigation__defendant_unit=unit).first()
    with_file = mine.filter(attachments__isnull=False).first()
    found = {
        "reconsideration": [rc.pk] if rc else None,
        "rc_and_hearing": [hearing.reconsideration_id, hearing.pk] if hearing else None,
        "rc_and_referral": [referral.reconsideration_id, referral.pk] if referral else None,
        "rc_and_document": [document.object_id, document.pk] if document else None,
        "opinion": [o.pk for o in OpinionLetter.objects.filter(agency_unit=unit)[:1]],
        "normative_review": [n.pk for n in NormativeReview.objects.filter(reconsideration__in=mine)[:1]],
        "committee": [c.pk for c in Committee.objects.all()[:1]],
        "litigation": [lit.pk for lit in Litigation.objects.filter(defendant_unit=unit)[:1]],
        "court_hearing": [court.pk] if court else None,
        "lit_and_hearing": [court.litigation_id, court.pk] if court else None,
        "head": [h.pk for h in AgencyHead.objects.filter(agency__unit=unit)[:1]],
        "suggestion": [x.pk for x in Suggestion.objects.filter(agency_unit=unit)[:1]],
        "dispute_attachment": [with_file.attachments.first().pk] if with_file else None,
    }
    return {name: ids for name, ids in found.items() if ids}


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
