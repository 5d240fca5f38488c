"""The 考核评价 objects of unit A for tests/test_scope.py (the demo's runs; an appeal made for unit A)."""


def build(unit) -> dict[str, list]:
    from fazhi.assessment.scoring.models import Appeal, AssessmentRun, Framework, Indicator, RunUnit

    member = RunUnit.objects.filter(unit=unit).order_by("-run__year").first()
    score = member.scores.order_by("pk").first()
    appeal = Appeal.objects.filter(score__member__unit=unit).first() or Appeal.objects.create(
        score=score, reason="测试申诉理由", filed_on=member.run.period_end
    )
    return {
        "assessment_run": [AssessmentRun.objects.order_by("pk").first().pk],
        "assessment_framework": [Framework.objects.order_by("pk").first().pk],
        "assessment_indicator": [Indicator.objects.order_by("pk").first().pk],
        "assessment_member": [member.pk],
        "assessment_score": [score.pk],
        "assessment_appeal": [appeal.pk],
    }
