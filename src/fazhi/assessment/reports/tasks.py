"""Periodic jobs of 通报与年度报告: the quarter's bulletin drafts once a quarter has ended, and in the new year the
drafts of every government's and department's annual report (due 1 March). Both idempotent: an existing draft is
refreshed, a submitted or published report is left alone."""

import logging

from django.tasks import task
from django.utils import timezone

from fazhi.core.errors import DomainError

log = logging.getLogger(__name__)


def bulletin_issuers():
    from fazhi.core.models import Unit

    # The Justice Bureau at the top of each jurisdiction (supervised by no one) issues the bulletin.
    return Unit.objects.filter(kind="justice", is_active=True, supervising_unit__isnull=True)


def bulletin_drafts(today=None) -> int:
    from fazhi.assessment.reports import rules, services
    from fazhi.assessment.reports.models import AssessmentReport

    today = today or timezone.localdate()
    year, quarter = rules.previous_quarter(today)
    made = 0
    for issuer in bulletin_issuers():
        existing = AssessmentReport.objects.filter(kind=rules.BULLETIN, unit=issuer, year=year, quarter=quarter).first()
        if existing is not None:
            continue  # drafted once by the job; a person regenerates it from the page
        try:
            services.bulletin_generate(by=None, issuer=issuer, year=year, quarter=quarter, today=today)
            made += 1
        except DomainError as exc:
            log.warning("bulletin draft for %s skipped: %s", issuer, exc.message)
    return made


def annual_drafts(today=None) -> int:
    """From 1 January: a draft of last year's report for each government and department that has none yet."""
    from fazhi.assessment.reports import rules, services
    from fazhi.assessment.reports.models import AssessmentReport
    from fazhi.core.models import Unit

    today = today or timezone.localdate()
    year = today.year - 1
    if today > rules.annual_deadline(year):
        return 0
    have = set(AssessmentReport.objects.filter(kind=rules.ANNUAL, year=year).values_list("unit_id", flat=True))
    units = Unit.objects.filter(is_active=True, kind__in=("government", "agency"), parent__kind="government")
    units = list(units) + list(Unit.objects.filter(is_active=True, kind="government", parent__isnull=True))
    counts = services._Counts()
    made = 0
    for unit in units:
        if unit.pk in have:
            continue
        services.annual_generate(by=None, unit=unit, year=year, today=today, counts=counts)
        have.add(unit.pk)
        made += 1
    return made


@task()
def bulletin_drafts_task() -> dict:
    return {"drafted": bulletin_drafts()}


@task()
def annual_drafts_task() -> dict:
    return {"drafted": annual_drafts()}
