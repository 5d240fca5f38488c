"""The contracts between domain apps that were built apart and meet through signals and registries: each test
drives one app's service and checks what the other app recorded."""

import datetime as dt

import pytest

from fazhi.disputes.tests.conftest import agencies, apply, event  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db
D = dt.date


def test_an_incidental_review_in_a_reconsideration_reaches_the_rule_making_module(users, apply, event):  # noqa: F811
    from fazhi.disputes.models import NormativeReview
    from fazhi.disputes.services import normative_review_open
    from fazhi.rulemaking.models import IncidentalReview
    from fazhi.tracking.models import TrackedItem

    rc = event(apply(received_on=D(2025, 9, 1)), "accepted", D(2025, 9, 2))
    normative_review_open(
        by=users["supervisor"],
        reconsideration=rc,
        document_title="示例市市场监督管理局关于规范食品经营许可的通知",
        document_number="示市监发〔2024〕8号",
        issuer="示例市市场监督管理局",
        articles="第五条",
        source="applicant",
        competent=True,
        started_on=D(2025, 9, 10),
    )
    review = IncidentalReview.objects.get()
    assert review.received_on == D(2025, 9, 10) and review.clauses == "第五条"
    assert "示市监发〔2024〕8号" in review.document_ref and rc.tracking_code in review.reconsideration_label
    assert review.reconsideration_url == f"/disputes/reconsiderations/{rc.pk}/"
    assert review.unit == rc.body_unit
    # Its handling clock runs on the rule-making side (《行政复议法》第五十六条: 30 days), and only there.
    assert review.item.clocks.filter(name="handle", is_open=True).exists()
    request = NormativeReview.objects.get()
    assert review.source_review_id == request.pk and request.item_id is None
    assert TrackedItem.objects.filter(kind="normative_review").count() == 0


def test_the_rule_making_result_of_an_incidental_review_reaches_the_reconsideration(users, apply, event):  # noqa: F811
    from fazhi.disputes.selectors import normative_review_states, reconsideration_timeline
    from fazhi.disputes.services import normative_review_open
    from fazhi.rulemaking.models import IncidentalReview
    from fazhi.rulemaking.services import incidental_forward, incidental_reply

    rc = event(apply(received_on=D(2025, 9, 1)), "accepted", D(2025, 9, 2))
    request = normative_review_open(
        by=users["supervisor"],
        reconsideration=rc,
        document_title="示例市生态环境局关于扬尘管控的通知",
        issuer="示例市生态环境局",
        articles="第三条",
        source="ex_officio",
        competent=False,
        started_on=D(2025, 9, 10),
    )
    review = IncidentalReview.objects.get(source_review_id=request.pk)
    # The body said it has no power: the rule-making module forwards it within 7 working days (第五十六条).
    assert review.path == "forward" and review.item.clocks.get(name="forward").is_open
    assert normative_review_states([request])[request.pk]["path"] == "forward"
    incidental_forward(
        by=users["supervisor"], review=review, forwarded_to="示例市人民政府", forwarded_on=D(2025, 9, 12)
    )
    incidental_reply(
        by=users["supervisor"], review=review, conclusion="unlawful", text="第三条超越权限", replied_on=D(2025, 10, 20)
    )
    request.refresh_from_db()
    assert (request.status, request.result, request.transferred_to) == ("replied", "unlawful", "示例市人民政府")
    event_ = reconsideration_timeline(rc=rc).get(action="normative_concluded")
    assert "第三条超越权限" in event_.comment


def test_the_disclosure_report_counts_the_disputes_about_disclosure(org, apply):  # noqa: F811
    from fazhi.requests.registry import dispute_counts

    market = org["示例市市场监督管理局"]
    before = dispute_counts([market.pk], 2025)[market.pk]
    apply(received_on=D(2025, 9, 1), act_kind="disclosure", act="不予公开政府信息的答复")
    apply(received_on=D(2025, 9, 2))  # a penalty: not about disclosure
    after = dispute_counts([market.pk], 2025)[market.pk]
    assert after == {"reconsiderations": before["reconsiderations"] + 1, "suits": before["suits"]}


def test_the_invited_supervisors_ledger_counts_reviews_and_investigations():
    from fazhi.supervision.supervisors.selectors import ledger_columns

    columns = dict(ledger_columns())
    assert columns["source:reviews"] == "案卷评查"
    assert "source:investigation" in columns
