"""This area's part of AssessmentConfig.ready(): permissions, demo step, tracking kinds, link kind."""


def _problem_link(user, pk: int):
    """Link kind "oversight_problem": a 督察 problem (through one of its rectifications the viewer may see)."""
    from django.urls import reverse

    from fazhi.assessment.oversight.models import OversightRectification
    from fazhi.assessment.oversight.selectors import rectification_scope_q
    from fazhi.core.errors import NotFound
    from fazhi.supervision.links import Linked

    qs = OversightRectification.objects.select_related("problem", "unit").filter(problem_id=pk)
    if user is not None:
        qs = qs.filter(rectification_scope_q(user))
    rect = qs.order_by("id").first()
    if rect is None:
        raise NotFound()
    return Linked(
        "oversight_problem",
        pk,
        f"督察问题：{rect.problem.description[:60]}",
        reverse("assessment:oversight:problem_detail", args=[rect.pk]),
        rect.unit_id,
    )


def setup() -> None:
    from fazhi.assessment.oversight import tracking_kinds  # noqa: F401  (registers the item kind)
    from fazhi.assessment.oversight.permissions import register_permissions
    from fazhi.core.demo.build import register_demo_step
    from fazhi.supervision.links import LinkKind, register_link_kind

    register_permissions()
    register_link_kind(LinkKind("oversight_problem", "法治督察问题", _problem_link))
    register_demo_step("fazhi.assessment.oversight.demo.build", order=84)
