"""The demo, with its published password, goes only into the embedded default database."""

import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from fazhi.core.models import User

pytestmark = pytest.mark.django_db


@override_settings(DATABASE_URL="postgres://db.example/fazhi", DEFAULT_DATABASE_URL="sqlite:///var/fazhi.sqlite3")
def test_demo_refuses_an_external_database_unless_forced(monkeypatch):
    built = []
    monkeypatch.setattr("fazhi.core.management.commands.demo.build_demo", lambda: built.append(1) or ["ok"])
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert built == [] and "未加载演示数据" in out.getvalue()
    call_command("demo", "--force", stdout=out)
    assert built == [1]


@override_settings(DATABASE_URL="sqlite:///var/fazhi.sqlite3", DEFAULT_DATABASE_URL="sqlite:///var/fazhi.sqlite3")
def test_demo_loads_into_the_embedded_database(monkeypatch):
    built = []
    monkeypatch.setattr("fazhi.core.management.commands.demo.build_demo", lambda: built.append(1) or ["ok"])
    call_command("demo", stdout=io.StringIO())
    assert built == [1]


def test_demo_steps_are_registered_by_the_apps_in_order():
    from fazhi.core.demo.build import DEMO_STEPS

    paths = [step for _, step in DEMO_STEPS]
    assert paths == [
        "fazhi.tracking.demo.build_tasks",
        "fazhi.registry.demo.build_registry",
        "fazhi.inspections.demo.build_inspections",
        "fazhi.cases.demo.build_cases",
        "fazhi.complaints.demo.build_complaints",
        "fazhi.disputes.demo.build_disputes",
        "fazhi.rulemaking.demo.build",
        "fazhi.requests.demo.build_requests",
        "fazhi.supervision.supervisors.demo.build",
        "fazhi.supervision.reviews.demo.build",
        "fazhi.supervision.instruments.demo.build",
        "fazhi.supervision.accountability.demo.build",
        "fazhi.legalservices.mediation.demo.build",
        "fazhi.legalservices.advisers.demo.build",
        "fazhi.legalservices.outreach.demo.build",
        "fazhi.legalservices.study.demo.build",
        "fazhi.assessment.oversight.demo.build",
        "fazhi.assessment.scoring.demo.build",
        "fazhi.assessment.reports.demo.build",
    ]
    assert User.objects.filter(username__in=["secadmin", "auditor"]).count() == 2
