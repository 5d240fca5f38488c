"""督办 demo: a supervision task assigned to seven agencies, its deadlines chosen so the inbox shows every colour."""

import datetime as dt

from django.utils import timezone

from fazhi.core.demo.build import demo_legal_officer
from fazhi.core.models import User


def build_tasks(*, units: dict, users: dict) -> None:
    from fazhi.core.clock import backdated, office_hours
    from fazhi.tracking.models import SupervisionTask
    from fazhi.tracking.services import (
        assignment_accept,
        assignment_report,
        item_change_deadline,
        task_assign,
        task_create,
    )
    from fazhi.workdays.calendar import add_working_days

    today = timezone.localdate()
    supervisor = users["supervisor"]
    title = "行政执法“三项制度”落实情况自查"
    if SupervisionTask.objects.filter(title=title).exists():
        return
    # The task went out three weeks ago; each unit's later steps follow days apart (the timelines read as work).
    started = office_hours(today - dt.timedelta(days=21), 1)
    with backdated(started, step=dt.timedelta(days=3, hours=5)):
        task = task_create(
            by=supervisor,
            title=title,
            basis="《法治政府建设实施纲要（2021—2025年）》",
            deadline=today + dt.timedelta(days=60),
            description="各执法部门对照“三项制度”要求开展自查，报送自查报告和整改清单。",
        )
        # Deadlines chosen so that the inbox shows every colour (relative to the day the demo is built).
        plan = [
            ("示例市市场监督管理局", add_working_days(today, 10), None),
            ("示例市生态环境局", add_working_days(today, 1), None),
            ("示例市城市管理综合执法局", add_working_days(today, 15), "red"),
            ("示例市住房和城乡建设局", add_working_days(today, 20), None),
            ("示例市交通运输局", add_working_days(today, 2), None),
            ("示例市卫生健康委员会", add_working_days(today, 30), "accepted"),
            ("示例市教育局", add_working_days(today, 25), "submitted"),
        ]
        agency_user = {u.unit_id: u for u in User.objects.filter(roles__code="agency_legal")}
        for unit_name, deadline, state in plan:
            a = task_assign(
                by=supervisor,
                task=task,
                unit=units[unit_name],
                deadline=deadline,
                requirement="报送自查报告、问题清单和整改措施。",
            )
            reporter = agency_user.get(a.unit_id) or demo_legal_officer(a.unit)
            if state == "red":
                item_change_deadline(
                    item=a.item, by=supervisor, deadline=today - dt.timedelta(days=3), reason="演示数据：模拟已超期事项"
                )
                a.deadline = today - dt.timedelta(days=3)
                a.save(update_fields=["deadline"])
            if state in ("submitted", "accepted"):
                assignment_report(by=reporter, assignment=a, progress=50, text="已完成自查，正在整理材料。")
                assignment_report(by=reporter, assignment=a, progress=100, text="自查报告已报送。", submit=True)
            if state == "accepted":
                assignment_accept(by=supervisor, assignment=a, comment="材料齐全，验收通过。")
            if unit_name == "示例市市场监督管理局":
                assignment_report(by=reporter, assignment=a, progress=40, text="已召开专题会议部署自查。")
