"""The predicates of 依法决策: who may do what with each object, in which state; every service refuses a caller the
predicate does not offer the step to, and changes nothing."""

import pytest

from fazhi.core.errors import Forbidden
from fazhi.core.models import Role
from fazhi.rulemaking import permissions as perms
from fazhi.rulemaking import selectors, services
from fazhi.rulemaking.tests import factories as fx

pytestmark = pytest.mark.django_db


def test_roles_granted_to_the_built_in_roles():
    from fazhi.core.permissions import DEFAULT_ROLES

    assert {"decision.review", "decision.organ", "normative.review", "decision.view", "normative.view"} <= set(
        DEFAULT_ROLES["supervisor"][2]
    )
    assert {"decision.manage", "normative.manage"} <= set(DEFAULT_ROLES["agency_legal"][2])
    leader = set(DEFAULT_ROLES["leader"][2])
    assert {"decision.view", "normative.view"} <= leader and not {"decision.manage", "normative.manage"} & leader
    assert not {c for c in DEFAULT_ROLES["invited_supervisor"][2] if c.startswith(("decision.", "normative."))}


def test_the_menu_group_sits_before_supervision():
    from fazhi.core.permissions import MENU, MENU_GROUPS

    assert MENU_GROUPS.index("双随机、一公开") < MENU_GROUPS.index("依法决策") < MENU_GROUPS.index("执法监督")
    assert {e.url_name for e in MENU if e.group == "依法决策"} >= {
        "rulemaking:decision_list",
        "rulemaking:normative_list",
    }


def test_the_lead_unit_works_the_steps_the_reviewer_reviews_the_organ_decides(users):
    d = fx.decision(users, to="review")
    assert perms.decision_actions(user=users["agency"], obj=d) == {"view", "file", "review_submit"}
    assert perms.decision_actions(user=users["supervisor"], obj=d) == {"view", "file"}
    services.review_submit(by=users["agency"], decision=d, reviewer_unit=fx.unit(fx.JUSTICE), today=fx.today())
    d.refresh_from_db()
    assert perms.decision_actions(user=users["supervisor"], obj=d) == {"view", "file", "review_opinion"}
    assert "review_opinion" not in perms.decision_actions(user=users["agency"], obj=d)
    assert perms.decision_actions(user=users["leader"], obj=d) == {"view", "file"}


def test_another_agency_neither_sees_nor_acts(users):
    d = fx.decision(users, to="risk")
    other = users["agency2"]
    assert perms.decision_actions(user=other, obj=d) == set()
    assert not selectors.decision_list(user=other).filter(pk=d.pk).exists()
    with pytest.raises(Forbidden):
        services.risk_assess(
            by=other,
            decision=d,
            assessor="他人",
            risk_points="点",
            measures="措施",
            level="low",
            controllable=True,
            assessed_on=fx.today(),
            today=fx.today(),
        )
    assert not d.risk_assessments.exists()
    with pytest.raises(Forbidden):
        fx.proposal(users, by="agency2")  # 生态环境局 cannot propose a decision led by 市场监管局


def test_the_reviewer_cannot_do_the_lead_units_steps_and_the_leader_nothing(users):
    d = fx.decision(users, to="expert")
    for who in ("supervisor", "leader"):
        with pytest.raises(Forbidden):
            services.expert_add(by=users[who], decision=d, name="某专家")
    assert not d.experts.exists()
    d2 = fx.decision(users, to="discussion", title="示例市公共停车场建设规划")
    with pytest.raises(Forbidden):
        services.discussion_record(by=users["agency"], decision=d2, **fx.discussion_args(d2.item.start_date))
    with pytest.raises(Forbidden):
        services.catalogue_create(by=users["agency"], organ=fx.unit(fx.GOV), year=fx.today().year + 1)


def test_the_self_scope_keeps_no_decisions(users):
    d = fx.decision(users, to="listed")
    officer = users["officer"]
    role = Role.objects.create(
        code="self_rulemaking",
        name="本人决策",
        data_scope="self",
        permissions=["decision.view", "decision.manage", "normative.view", "normative.manage"],
    )
    officer.roles.add(role)
    officer._fazhi_roles = None
    assert not selectors.decision_list(user=officer).filter(pk=d.pk).exists()
    assert "create" not in perms.decision_actions(user=officer, obj=None)
    with pytest.raises(Forbidden):
        services.decision_set_procedures(by=officer, decision=d, public_participation=True)


def test_normative_steps_by_role_and_state(users):
    doc = fx.normative(users, to="drafting")
    agency, sup = users["agency"], users["supervisor"]
    assert perms.normative_actions(user=agency, obj=doc) == {"view", "edit", "submit"}
    assert perms.normative_actions(user=sup, obj=doc) == {"view"}
    assert perms.normative_actions(user=users["agency2"], obj=doc) == set()
    services.normative_submit(by=agency, document=doc, reviewing_unit=fx.unit(fx.JUSTICE), today=fx.today())
    doc.refresh_from_db()
    assert perms.normative_actions(user=sup, obj=doc) == {"view", "review", "extend"}
    assert perms.normative_actions(user=agency, obj=doc) == {"view"}
    with pytest.raises(Forbidden):
        services.normative_review(by=agency, document=doc, opinion="lawful", text="自审")
    with pytest.raises(Forbidden):
        services.normative_review(by=users["leader"], document=doc, opinion="lawful", text="领导审")
    doc.refresh_from_db()
    assert doc.review_opinion == ""


def test_registration_by_the_justice_bureau_publication_by_either(users):
    doc = fx.normative(users, to="deliberated")
    with pytest.raises(Forbidden):
        services.normative_register(by=users["agency"], document=doc, prefix="示市监规")
    services.normative_register(by=users["supervisor"], document=doc, prefix="示市监规")
    doc.refresh_from_db()
    assert perms.normative_actions(user=users["agency"], obj=doc) == {"view", "publish"}
    assert perms.normative_actions(user=users["supervisor"], obj=doc) == {"view", "publish"}
    with pytest.raises(Forbidden):
        services.normative_publish(by=users["agency2"], document=doc)


def test_cleanup_entries_decided_by_the_drafting_unit_or_the_organiser(users):
    doc = fx.normative(users, to="published")
    campaign = services.cleanup_create(
        by=users["supervisor"], title="清理", organiser=fx.unit(fx.GOV), year=fx.today().year
    )
    services.cleanup_add_documents(by=users["supervisor"], campaign=campaign)
    entry = campaign.entries.get(document=doc)
    assert perms.cleanup_entry_actions(user=users["agency"], obj=entry) == {"decide"}
    assert perms.cleanup_entry_actions(user=users["supervisor"], obj=entry) == {"decide"}
    assert perms.cleanup_entry_actions(user=users["agency2"], obj=entry) == set()
    with pytest.raises(Forbidden):
        services.cleanup_decide(by=users["agency2"], campaign=campaign, entry=entry, result="keep", reason="无")
    with pytest.raises(Forbidden):
        services.cleanup_publish(by=users["agency"], campaign=campaign)
    assert perms.cleanup_actions(user=users["agency"], obj=campaign) == {"view"}


def test_incidental_review_the_maker_answers_the_bureau_handles(users):
    doc = fx.normative(users, to="published")
    review = services.incidental_review_receive(
        document=doc,
        reconsideration_label="复议案件",
        received_on=fx.today(),
        requested_by_unit=fx.unit(fx.JUSTICE),
        path="handle",
    )
    assert perms.incidental_actions(user=users["supervisor"], obj=review) == {"view", "notify"}
    assert perms.incidental_actions(user=users["agency"], obj=review) == {"view"}
    assert perms.incidental_actions(user=users["agency2"], obj=review) == set()
    services.incidental_notify(by=users["supervisor"], review=review, notified_on=fx.today())
    review.refresh_from_db()
    assert perms.incidental_actions(user=users["agency"], obj=review) == {"view", "answer"}
    with pytest.raises(Forbidden):
        services.incidental_conclude(by=users["agency"], review=review, conclusion="lawful", text="合法")
    with pytest.raises(Forbidden):
        services.incidental_review_receive(
            document_ref="文件",
            reconsideration_label="案件",
            received_on=fx.today(),
            requested_by_unit=fx.unit(fx.JUSTICE),
            by=users["agency"],
        )
