"""The demo step builds what the brief lists, through the services: an investigation in progress on a demo case, one
concluded with a referral to 纪检监察, a record with an exemption, one with 通报批评, a published typical case."""

import pytest

from fazhi.core.demo.build import build_demo
from fazhi.supervision.accountability.models import (
    AccountabilityOfficer,
    AccountabilityProposal,
    AccountabilitySanction,
    Investigation,
    InvestigationReferral,
    TypicalCase,
)

pytestmark = pytest.mark.django_db


def test_demo_builds_every_kind_of_record_once():
    build_demo()
    open_ = Investigation.objects.filter(status="open").select_related("unit").get()
    assert open_.unit.name == "示例市市场监督管理局" and open_.case_id and open_.notice_number
    assert set(open_.steps.values_list("kind", flat=True)) == {"file_review", "interview", "statement"}
    assert open_.investigators.filter(username="monitor").exists()
    referral = InvestigationReferral.objects.get()
    assert referral.investigation.conclusion == "substantiated" and referral.status == "pending"
    assert referral.follow_ups.count() == 1 and referral.letter_number
    assert AccountabilityOfficer.objects.filter(exempt=True, record__status="decided").count() == 1
    assert AccountabilitySanction.objects.filter(kind="public_criticism").exists()
    assert AccountabilityProposal.objects.filter(status="pending", source_kind="investigation").count() == 1
    # The instruments demo issues a 决定书 (责令改正) about a case: its signal proposed a record here too.
    assert AccountabilityProposal.objects.filter(status="pending", source_kind="instrument").exists()
    typical = TypicalCase.objects.get(status="published")
    assert typical.public_party == "王某" and "139****0000" in typical.public_summary
    for name in typical.officer_names:
        assert name not in typical.public_summary
    assert Investigation.objects.filter(conclusion="unsubstantiated").count() == 1
    # Idempotent: a second build adds nothing.
    build_demo()
    assert Investigation.objects.count() == 4 and TypicalCase.objects.count() == 1
