"""Demo 特邀行政执法监督员 (order 60): an earlier campaign whose supervisors were appointed almost a full term ago
(the demo login `monitor` among them, with observations, a problem report that became a clue and was answered,
opinions and training; their terms now run out, so the expiry reminders are open), and this year's campaign in
公示 with applicants by all three routes, one of them ineligible, and objections. Every step goes through the
services with the day it happened on. Idempotent: skipped when the demo campaigns exist."""

import datetime as dt

from django.utils import timezone

from fazhi.core.clock import backdated, office_hours
from fazhi.supervision.supervisors import rules, services
from fazhi.supervision.supervisors.models import RecruitmentCampaign
from fazhi.workdays.calendar import add_working_days

OLD_TITLE = "示例市人民政府特邀行政执法监督员招募公告（第一届）"
NEW_TITLE = "示例市人民政府{year}年特邀行政执法监督员招募公告"
ANNOUNCEMENT = (
    "为充分发挥社会监督作用，推进严格规范公正文明执法，根据《示例市人民政府特邀行政执法监督员工作办法》，"
    "现面向社会招募特邀行政执法监督员。特邀行政执法监督员主要职责是监督行政执法行为，参加行政执法现场观摩、"
    "行政执法监督检查和案卷评查等活动，反映群众对行政执法工作的意见建议，参加行政执法监督业务培训。"
)

# (name, (age this year, birth month, day), gender digit, residency, occupation, employer): ages, not birth
# years, so that the demo's people keep their ages (and eligibility) whatever year it is built in.
OLD_PEOPLE = [
    ("贺德文", (58, 3, 12), 1, 30, "律师", "湖南示例律师事务所主任"),
    ("王秀兰", (54, 9, 5), 2, 25, "退休教师", "示例市第一中学（退休）"),
    ("陈建国", (51, 1, 20), 1, 20, "个体工商户", "东城区建国百货商行"),
    ("周晓梅", (46, 6, 18), 2, 15, "企业管理人员", "示例市兴业食品有限公司行政部经理"),
]
NEW_PEOPLE = {
    "self": [
        ("李思远", (41, 4, 2), 1, 12, "律师", "示例市明理律师事务所律师"),
        ("赵雅琴", (47, 11, 23), 2, 20, "社区工作者", "西城区西园街道幸福社区居委会"),
        ("孙志强", (56, 2, 14), 1, 35, "企业负责人", "示例市宏达建材有限公司总经理"),
    ],
    "unit": [
        ("钱卫东", (50, 8, 9), 1, 18, "人大代表", "示例市第十七届人大代表、示例市农机合作社理事长"),
        # Ineligible: a serving civil servant (招募条件: 不是在职的国家公职人员).
        ("吴晓明", (38, 5, 30), 1, 10, "公务员", "南山县石门乡人民政府科员"),
    ],
    "invite": [
        ("郑丽娟", (43, 12, 1), 2, 16, "政协委员", "示例市政协委员、示例市妇幼保健院副主任医师"),
    ],
}


def _id_number(birth: dt.date, n: int, gender: int) -> str:
    """A valid 居民身份证号 (GB 11643) of 长沙县 (430121) for the demo people."""
    from stdnum.cn import ric

    seq = f"{(n * 7) % 100:02d}{gender if gender == 1 else 2}"
    body = f"430121{birth:%Y%m%d}{seq}"
    return body + ric.calc_check_digit(body + "0")


def _born(age_month_day: tuple[int, int, int]) -> dt.date:
    age, month, day = age_month_day
    return dt.date(timezone.localdate().year - age, month, day)


def _data(person, n: int, *, functionary: bool = False) -> dict:
    name, age_month_day, gender, residency, occupation, employer = person
    birth = _born(age_month_day)
    return {
        "name": name,
        "id_number": _id_number(birth, n, gender),
        "phone": f"139073{n:05d}",
        "address": f"湖南省示例市东城区人民路{n + 10}号",
        "residency_years": residency,
        "occupation": occupation,
        "employer": employer,
        "is_functionary": functionary,
        "has_sanctions": False,
        "statement": f"{name}，{occupation}。热心公益，愿意参与行政执法监督工作。",
    }


def _appointment_day(today: dt.date, term: int) -> dt.date:
    """The day of appointment that makes a term of `term` years end 40 days from today (inside the reminder)."""
    anniversary = today + dt.timedelta(days=40)
    try:
        return anniversary.replace(year=anniversary.year - term)
    except ValueError:
        return dt.date(anniversary.year - term, 2, 28)


def build(*, units, users) -> None:
    if RecruitmentCampaign.objects.filter(title=OLD_TITLE).exists():
        return
    today = timezone.localdate()
    justice = units["justice"]
    supervisor, monitor = users["supervisor"], users["monitor"]
    old = _old_campaign(today=today, justice=justice, supervisor=supervisor, monitor=monitor)
    record = old["monitor"]
    _monitor_work(today=today, record=record, supervisor=supervisor, monitor=monitor, users=users, units=units)
    _new_campaign(today=today, justice=justice, supervisor=supervisor)
    services.term_expiry_scan(today=today)


def _at(day: dt.date, n: int = 0):
    return backdated(office_hours(day, n))


def _old_campaign(*, today, justice, supervisor, monitor) -> dict:
    term = rules.conf()["TERM_YEARS"]
    appoint_on = _appointment_day(today, term)
    apply_from, apply_until = appoint_on - dt.timedelta(days=60), appoint_on - dt.timedelta(days=30)
    with _at(apply_from - dt.timedelta(days=3)):
        campaign = services.campaign_create(
            by=supervisor,
            title=OLD_TITLE,
            year=apply_from.year,
            quota=10,
            apply_from=apply_from,
            apply_until=apply_until,
            announcement=ANNOUNCEMENT,
            organiser=justice,
        )
        campaign = services.campaign_publish(by=supervisor, campaign=campaign, today=apply_from - dt.timedelta(days=3))
    applications = []
    for n, person in enumerate(OLD_PEOPLE, start=1):
        day = apply_from + dt.timedelta(days=n * 3)
        with _at(day, n):
            application, _ = services.application_submit_public(
                campaign=campaign, data=_data(person, n), consent=True, today=day, submit_token=f"demo-old:{n}"
            )
        applications.append(application)
    # The demo login `monitor` was recommended by his unit.
    monitor_person = (monitor.name, (60, 7, 1), 1, 40, "退休干部", "示例市老干部活动中心（退休）")
    with _at(apply_until - dt.timedelta(days=1), 7):
        mine = services.application_enter(
            by=supervisor,
            campaign=campaign,
            route="unit",
            data=_data(monitor_person, 9) | {"recommender": "示例市老干部局"},
            today=apply_until - dt.timedelta(days=1),
        )
    applications.append(mine)
    review_day = apply_until + dt.timedelta(days=1)
    for n, application in enumerate(applications):
        with _at(review_day, n):
            services.application_review(
                by=supervisor, application=application, passed=True, reason="符合招募条件", today=review_day
            )
    start = apply_until + dt.timedelta(days=2)
    with _at(start):
        campaign = services.campaign_publicity_start(by=supervisor, campaign=campaign, today=start)
    found = {}
    for n, application in enumerate(applications):
        with _at(appoint_on, n):
            account = monitor if application.pk == mine.pk else None
            supervisor_record, _ = services.supervisor_appoint(
                by=None if account else supervisor, application=application, today=appoint_on, account=account
            )
        found["monitor" if account else application.name] = supervisor_record
    with _at(appoint_on + dt.timedelta(days=1)):
        services.campaign_close(by=supervisor, campaign=campaign, today=appoint_on + dt.timedelta(days=1))
    # Reviews of last year, and one who resigned.
    last_year = today.year - 1
    review_day = dt.date(today.year, 1, 15) if today > dt.date(today.year, 1, 15) else today
    for n, (key, grade) in enumerate((("monitor", "excellent"), ("贺德文", "competent"), ("王秀兰", "competent"))):
        with _at(review_day, n):
            services.annual_review_record(
                by=supervisor,
                supervisor=found[key],
                year=last_year,
                grade=grade,
                comment="积极参加现场观摩和培训，反映问题客观具体。" if grade == "excellent" else "",
                today=review_day,
            )
    resign_day = today - dt.timedelta(days=120)
    with _at(resign_day):
        services.supervisor_end(
            by=supervisor,
            supervisor=found["周晓梅"],
            ending="resigned",
            reason="本人因工作调动到外地，书面申请辞去特邀行政执法监督员。",
            today=resign_day,
        )
    return found


def _monitor_work(*, today, record, supervisor, monitor, users, units) -> None:
    from fazhi.cases.selectors import case_list
    from fazhi.inspections.selectors import record_list

    market = units["示例市市场监督管理局"]
    case = case_list(user=supervisor).filter(agency__unit=market).order_by("id").first()
    records = record_list(user=supervisor).filter(agency__unit=market)
    inspection = (
        records.filter(inspected_on__lte=today - dt.timedelta(days=25)).order_by("-inspected_on", "-id").first()
        or records.order_by("id").first()
    )
    steps = []
    if case is not None:
        steps.append(("observation", "case", case.pk, 40, "东城区人民路农贸市场"))
    if inspection is not None:
        steps.append(("inspection", "inspection_record", inspection.pk, 25, "被检查企业经营场所"))
    for n, (kind, link_kind, link_id, ago, place) in enumerate(steps):
        day = today - dt.timedelta(days=ago)
        with _at(day - dt.timedelta(days=2), n):
            duty = services.duty_assign(
                by=supervisor,
                supervisor=record,
                kind=kind,
                link_kind=link_kind,
                link_id=link_id,
                planned_on=day,
                place=place,
                note="请提前十分钟到场，观摩执法人员亮证、告知、取证等执法全过程，如实记录。",
                today=day - dt.timedelta(days=2),
            )
        with _at(day + dt.timedelta(days=1), n):
            services.duty_record(
                by=monitor,
                duty=duty,
                observed_on=day,
                findings="执法人员两人到场，主动出示执法证件，告知当事人陈述申辩权利，现场检查笔录记录完整，执法记录仪全程开启。",
                opinion="建议对经营者加强普法宣传，检查结束后当场反馈检查结果。",
                today=day + dt.timedelta(days=1),
            )
    if case is not None:
        planned = add_working_days(today, 3)
        with _at(today, 5):
            services.duty_assign(
                by=supervisor,
                supervisor=record,
                kind="observation",
                link_kind="case",
                link_id=case.pk,
                planned_on=planned,
                place="示例市市场监督管理局执法大队",
                note="观摩该案听证会，重点关注程序是否规范。",
                today=today,
            )
    with _at(today - dt.timedelta(days=15), 2):
        services.duty_self_record(
            by=monitor,
            kind="observation",
            subject="城管执法局占道经营集中整治",
            observed_on=today - dt.timedelta(days=15),
            findings="执法队员对占道摊点先劝导后处理，文明规范，未发现暴力执法。个别队员未佩戴执法记录仪。",
            opinion="建议执法记录仪人手一台并全程开启。",
            today=today - dt.timedelta(days=15),
        )
    _monitor_submissions(today=today, supervisor=supervisor, monitor=monitor, market=market, users=users)
    _trainings(today=today, supervisor=supervisor)


def _monitor_submissions(*, today, supervisor, monitor, market, users) -> None:
    from fazhi.complaints import services as complaint_services
    from fazhi.complaints.selectors import complaint_get

    # The clue's own dates are the complaint app's (received now): the whole loop happens today.
    with _at(today, 1):
        problem = services.submission_create(
            by=monitor,
            kind="problem",
            category="misconduct",
            agency=market,
            place="西城区新华路集贸市场",
            party="市场监管执法人员",
            occurred_on=today - dt.timedelta(days=3),
            content="现场观摩时发现，西城区新华路集贸市场检查中有执法人员未出示执法证件即开始检查，当事人询问时态度生硬。",
            today=today,
        )
    clue = complaint_get(user=supervisor, pk=problem.clue_id)
    with _at(today, 2):
        clue = complaint_services.complaint_assign(
            by=supervisor, complaint=clue, agency=market, comment="请核实特邀监督员反映的问题并按期答复。"
        )
        complaint_services.complaint_reply(
            by=users["agency"],
            complaint=clue,
            findings="经调取执法记录仪视频核实，反映情况属实：当日一名执法人员未出示证件即开始检查。",
            measures="已对该执法人员批评教育并在全局通报，重申执法检查必须先亮证、后检查。",
        )
        complaint_services.complaint_approve(by=supervisor, complaint=clue, comment="答复属实、措施具体，同意。")
    with _at(today - dt.timedelta(days=10), 1):
        answered = services.submission_create(
            by=monitor,
            kind="opinion",
            content="建议在政府网站公开各执法部门的行政执法投诉举报电话，方便群众反映问题。",
            today=today - dt.timedelta(days=10),
        )
    with _at(today - dt.timedelta(days=7), 2):
        services.submission_answer(
            by=supervisor,
            submission=answered,
            answer="感谢建议。各执法部门投诉举报电话已统一为12345热线，并将在公开平台“投诉举报”栏目集中公布。",
            today=today - dt.timedelta(days=7),
        )
    with _at(today - dt.timedelta(days=2), 4):
        services.submission_create(
            by=monitor,
            kind="opinion",
            content="建议在涉企检查中推行“扫码入企”，检查结束后由企业对检查人员评价。",
            today=today - dt.timedelta(days=2),
        )


def _trainings(*, today, supervisor) -> None:
    from fazhi.supervision.supervisors.selectors import supervisors_serving

    for n, (ago, topic, hours) in enumerate(
        ((200, "行政执法监督基础知识与特邀监督员履职要求", 4), (30, "《行政处罚法》重点条文解读与执法案卷评查实务", 3))
    ):
        day = today - dt.timedelta(days=ago)
        with _at(day, n):
            services.training_create(
                by=supervisor,
                topic=topic,
                held_on=day,
                hours=hours,
                place="示例市司法局三楼会议室",
                attendees=list(supervisors_serving(user=supervisor, on=day)),
                today=day,
            )


def _new_campaign(*, today, justice, supervisor) -> None:
    """This year's campaign, now in 公示 (which began on the last working day before today)."""
    start = add_working_days(today, -1)
    apply_from, apply_until = start - dt.timedelta(days=30), start - dt.timedelta(days=3)
    title = NEW_TITLE.format(year=today.year)
    with _at(apply_from - dt.timedelta(days=2)):
        campaign = services.campaign_create(
            by=supervisor,
            title=title,
            year=today.year,
            quota=8,
            apply_from=apply_from,
            apply_until=apply_until,
            announcement=ANNOUNCEMENT,
            organiser=justice,
        )
        campaign = services.campaign_publish(by=supervisor, campaign=campaign, today=apply_from - dt.timedelta(days=2))
    made = []
    n = 20
    for route, people in NEW_PEOPLE.items():
        for person in people:
            n += 1
            day = apply_from + dt.timedelta(days=n - 20)
            functionary = person[0] == "吴晓明"
            with _at(day, n):
                if route == "self":
                    application, _ = services.application_submit_public(
                        campaign=campaign, data=_data(person, n), consent=True, today=day, submit_token=f"demo-new:{n}"
                    )
                else:
                    extra = {"recommender": "示例市人大常委会办公室"} if route == "unit" else {}
                    application = services.application_enter(
                        by=supervisor,
                        campaign=campaign,
                        route=route,
                        data=_data(person, n, functionary=functionary) | extra,
                        today=day,
                    )
                    if route == "invite":
                        services.application_invite_reply(
                            by=supervisor,
                            application=application,
                            accepted=True,
                            note="本人电话回复同意应聘",
                            today=day + dt.timedelta(days=2),
                        )
            made.append(application)
    review_day = apply_until + dt.timedelta(days=1)
    for k, application in enumerate(made):
        application.refresh_from_db()
        with _at(review_day, k):
            if application.eligible:
                services.application_review(
                    by=supervisor, application=application, passed=True, reason="符合招募条件", today=review_day
                )
            else:
                services.application_review(
                    by=supervisor,
                    application=application,
                    passed=False,
                    reason="；".join(x["message"] for x in application.eligibility),
                    today=review_day,
                )
    with _at(start):
        campaign = services.campaign_publicity_start(by=supervisor, campaign=campaign, today=start)
    candidates = {a.name: a for a in campaign.applications.filter(status="publicized")}
    with _at(start, 3):
        answered = services.objection_submit_public(
            campaign=campaign,
            application_id=candidates["孙志强"].pk,
            content="反映孙志强所在公司曾因产品质量问题被市场监管部门行政处罚，是否适合担任特邀监督员？",
            today=start,
            submit_token="demo-objection:1",
        )
        services.objection_answer(
            by=supervisor,
            objection=answered,
            answer="经核查，该公司所受处罚对象为企业而非本人，且已整改完毕，不影响本人报名条件，异议不成立。",
            upheld=False,
            today=start,
        )
    with _at(today, 2):
        services.objection_submit_public(
            campaign=campaign,
            application_id=candidates["赵雅琴"].pk,
            content="反映赵雅琴长期不在本社区居住，居住年限可能不符合条件，请核实。",
            today=today,
            submit_token="demo-objection:2",
        )
