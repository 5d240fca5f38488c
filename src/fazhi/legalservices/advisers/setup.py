"""This area's part of LegalservicesConfig.ready(): permissions, demo step, tracking kind, importer, and the
coverage figure on the division page (core's division_figures registry)."""


def _division_figures(*, user, division):
    """村（居）法律顾问 coverage of a division this year: aggregate counts only, no personal data."""
    from django.urls import reverse
    from django.utils import timezone

    from fazhi.core.division_figures import DivisionFigure
    from fazhi.legalservices.advisers.selectors import division_coverage

    year = timezone.localdate().year
    c = division_coverage(division=division, year=year)
    if c is None:
        return []
    group = f"村（居）法律顾问（{year}年）"
    url = reverse("legalservices:advisers:coverage")
    return [
        DivisionFigure(group, "村（社区）", f"{c.villages} 个"),
        DivisionFigure(group, "已配备法律顾问", f"{c.covered} 个"),
        DivisionFigure(group, "覆盖率（目标 100%）", f"{c.rate}%", light=c.light, url=url),
    ]


def setup() -> None:
    from fazhi.core.demo.build import register_demo_step
    from fazhi.core.division_figures import register_division_figures
    from fazhi.legalservices.advisers import imports, tracking_kinds  # noqa: F401  (register the importer, the kind)
    from fazhi.legalservices.advisers.permissions import register_permissions

    register_permissions()
    register_division_figures(_division_figures)
    register_demo_step("fazhi.legalservices.advisers.demo.build", order=71)
