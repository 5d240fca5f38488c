"""Drafting a bulletin or an annual report from the page runs as a job (我的任务): counting every metric over a
province's data takes seconds, so the page hands it to the worker and shows its progress; the user may leave and
come back (issue 10). The page checks first (services.*_generate_check), so a refusal is shown beside its field
and only work that can succeed is queued."""

from django.urls import reverse

from fazhi.core.jobs import Outcome, job_progress, job_start

JOB_KIND = "assessment_report"
LABELS = {"bulletin": "生成季度通报草稿", "annual": "生成年度报告草稿", "regenerate": "重新生成报告数据"}


def report_job_start(*, by, action: str, params: dict, ip=None):
    """Queue `action` ("bulletin": unit, year, quarter; "annual": unit, year; "regenerate": report) for `by`."""
    return job_start(JOB_KIND, by=by, label=LABELS[action], params={"action": action, "ip": ip, **params})


def report_job_run(job, params: dict) -> Outcome:
    from fazhi.assessment.reports import selectors, services
    from fazhi.core.models import Unit

    by, ip = job.created_by, params.get("ip")
    job_progress(job, 0, 2, "正在统计各项数据并撰写草稿")
    action = params["action"]
    if action == "bulletin":
        report = services.bulletin_generate(
            by=by, issuer=Unit.objects.get(pk=params["unit"]), year=params["year"], quarter=params["quarter"], ip=ip
        )
    elif action == "annual":
        report = services.annual_generate(by=by, unit=Unit.objects.get(pk=params["unit"]), year=params["year"], ip=ip)
    else:
        report = services.regenerate(by=by, report=selectors.report_get(user=by, pk=params["report"]), ip=ip)
    job_progress(job, 2, 2, "草稿已生成")
    return Outcome(
        message=f"已生成《{report.title}》（人工修改过的章节保留）",
        summary={"url": reverse("assessment:reports:report_detail", args=[report.pk]), "url_label": "打开报告"},
    )
