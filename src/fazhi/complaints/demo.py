"""Demo complaints: ~50, from every channel and in every state, received over the last three months; then the
routing model is trained on them. Deterministic and idempotent (skipped when the demo complaints exist)."""

import datetime as dt

from django.utils import timezone

from fazhi.complaints import services
from fazhi.complaints.models import Complaint
from fazhi.core.clock import backdated
from fazhi.core.models import Unit

# (agency, category, place, party, text) — realistic, varied phrasing.
CASES = [
    (
        "示例市市场监督管理局",
        "inaction",
        "东城区人民路农贸市场",
        "",
        "农贸市场多家摊位销售注水肉，向市场监管部门反映了两次都没人来管。",
    ),
    (
        "示例市市场监督管理局",
        "misconduct",
        "西城区新华书店旁",
        "某执法人员",
        "市场监管执法人员检查我的小超市时态度恶劣，未出示执法证件，还把货架上的东西扔在地上。",
    ),
    (
        "示例市市场监督管理局",
        "profit",
        "南山县石门乡",
        "",
        "乡镇市场监管所对小餐馆小过重罚，过期一天的饮料罚款两万元，明显是完成罚款任务。",
    ),
    ("示例市市场监督管理局", "delay", "东城区", "", "去年举报的奶茶店使用过期原料，市场监管局至今未给处理结果。"),
    (
        "示例市生态环境局",
        "inaction",
        "西城区新桥镇",
        "某化工厂",
        "新桥镇化工厂夜间偷排废水，河水发黑发臭，生态环境部门接到举报后不到现场查看。",
    ),
    (
        "示例市生态环境局",
        "abuse",
        "南山县",
        "",
        "环保执法人员对我们已经整改到位的砖厂一个月内重复检查五次，影响正常生产。",
    ),
    ("示例市生态环境局", "delay", "东城区东湖街道", "", "东湖街道的搅拌站扬尘严重，反映三个月了环保部门一直没有答复。"),
    (
        "示例市城市管理综合执法局",
        "misconduct",
        "东城区人民路",
        "城管队员",
        "城管队员收缴摊贩物品时推搡老人，没有开具暂扣清单。",
    ),
    (
        "示例市城市管理综合执法局",
        "abuse",
        "西城区西园街道",
        "",
        "城管执法人员没有任何依据就拆除了我家门前经过审批的雨棚。",
    ),
    (
        "示例市城市管理综合执法局",
        "inaction",
        "东城区城关街道",
        "",
        "小区门口的烧烤摊油烟扰民到深夜，城管执法部门多次接到投诉都不处理。",
    ),
    (
        "示例市住房和城乡建设局",
        "inaction",
        "西城区",
        "某房地产公司",
        "开发商逾期交房两年，住建部门对其违规预售行为不作为。",
    ),
    (
        "示例市住房和城乡建设局",
        "delay",
        "东城区",
        "",
        "举报工地夜间违规施工噪音扰民，住建局拖了一个多月才回复说转交了。",
    ),
    (
        "示例市交通运输局",
        "misconduct",
        "火车站广场",
        "交通执法人员",
        "交通运输执法人员查处网约车时言语粗暴，威胁扣车。",
    ),
    (
        "示例市交通运输局",
        "profit",
        "高速路口",
        "",
        "交通执法在高速路口设卡专门罚货车，同一辆车一天被罚两次，怀疑有罚款指标。",
    ),
    (
        "示例市人力资源和社会保障局",
        "inaction",
        "东城区",
        "某建筑公司",
        "建筑公司拖欠农民工工资半年，向劳动保障监察投诉后被推诿，让我们自己去法院起诉。",
    ),
    (
        "示例市人力资源和社会保障局",
        "delay",
        "西城区",
        "",
        "举报用人单位不签劳动合同，人社局劳动监察受理后两个月没有任何进展。",
    ),
    (
        "示例市卫生健康委员会",
        "inaction",
        "南山县南山镇",
        "某诊所",
        "南山镇有无证诊所给人输液，卫生监督部门知道却不查处。",
    ),
    (
        "示例市卫生健康委员会",
        "misconduct",
        "东城区",
        "",
        "卫生监督员检查我们美容店时不出示证件，还要求我们购买指定的消毒产品。",
    ),
    ("示例市教育局", "inaction", "西城区", "某培训机构", "无证校外培训机构违规收费，向教育局举报后没有人来管。"),
    (
        "示例市文化旅游广电体育局",
        "abuse",
        "东城区",
        "",
        "文化市场执法人员以检查为名要求网吧停业整顿，没有出具任何书面决定。",
    ),
    (
        "示例市应急管理局",
        "inaction",
        "南山县石门乡",
        "某采石场",
        "采石场违规爆破存在安全隐患，向应急管理部门反映后没人到现场检查。",
    ),
    ("示例市自然资源和规划局", "inaction", "南山县", "", "村里有人非法占用耕地建厂房，自然资源部门知情但不制止。"),
    ("示例市农业农村局", "profit", "南山县", "", "农业执法人员检查农资店后要求交钱了事，不交就按最高额罚款。"),
    ("示例市水利局", "inaction", "南山县石门乡河段", "", "河道有人非法采砂，挖沙船日夜作业，水政执法不管。"),
    ("示例市医疗保障局", "delay", "东城区", "某药店", "举报药店串换药品骗取医保基金，医保局半年了还没有处理结果。"),
]

# state per case index; two passes over CASES make 50 complaints.
STATES = [
    "received",
    "assigned",
    "assigned_yellow",
    "assigned_red",
    "replied",
    "returned",
    "answered",
    "closed_satisfied",
    "closed_basic",
    "reopened",
    "closed_reopened",
    "out_of_scope",
    "merged",
]
CHANNELS = ["web", "web", "hotline", "api", "email", "clue"]


def build_complaints(*, units: dict, users: dict) -> None:
    if Complaint.objects.filter(submit_token__startswith="demo:").exists():
        return
    from fazhi.tracking.services import item_change_deadline
    from fazhi.workdays.calendar import add_working_days

    supervisor, monitor = users["supervisor"], users["monitor"]
    now = timezone.now()
    today = timezone.localdate()
    legal = {u.unit_id: u for u in _agency_users()}
    made = []
    for n in range(50):
        agency_name, category, place, party, text = CASES[n % len(CASES)]
        agency = Unit.objects.get(name=agency_name)
        state = STATES[n % len(STATES)]
        channel = CHANNELS[n % len(CHANNELS)]
        received_at = now - dt.timedelta(days=(n * 37) % 88, hours=n % 9)
        variant = "" if n < len(CASES) else "（再次反映）"
        kwargs = dict(
            category=category,
            description=text + variant,
            place=place,
            party=party,
            received_at=received_at,
            submit_token=f"demo:{n}",
        )
        with backdated(received_at):
            if channel == "hotline":
                complaint, _ = services.hotline_upsert(
                    by=supervisor,
                    work_order_no=f"HL{20250000 + n:08d}",
                    received_at=received_at,
                    content=text + variant,
                    caller_name="市民" + "张王李赵刘陈杨黄"[n % 8] + "先生",
                    caller_phone=f"1380731{n:04d}",
                    handling_unit=agency_name,
                    category=category,
                )
                complaint.place, complaint.party, complaint.submit_token = place, party, f"demo:{n}"
                complaint.save(update_fields=["place", "party", "submit_token"])
            elif channel == "clue":
                complaint = services.clue_register(
                    by=monitor, category=category, description=text + variant, place=place, party=party
                )
                Complaint.objects.filter(pk=complaint.pk).update(received_at=received_at, submit_token=f"demo:{n}")
            else:
                complaint, _ = services.complaint_submit(
                    channel="email" if channel == "email" else channel,
                    name="市民" + "张王李赵刘陈杨黄"[n % 8],
                    phone=f"1390731{n:04d}",
                    email=f"citizen{n}@example.com",
                    consent=True,
                    anonymous=(n % 11 == 5),
                    **kwargs,
                )
        made.append(complaint)
        # Each later step of the complaint about a working day after the one before (capped at now).
        with backdated(received_at + dt.timedelta(hours=3), step=dt.timedelta(days=1, hours=2)):
            _advance(
                complaint,
                state,
                agency=agency,
                supervisor=supervisor,
                legal=legal,
                made=made,
                today=today,
                item_change_deadline=item_change_deadline,
                add_working_days=add_working_days,
            )
    transfer_target = Complaint.objects.filter(submit_token="demo:2").first()
    if transfer_target is not None:
        t = services.discipline_transfer(
            by=supervisor,
            complaint=transfer_target,
            organ="示例市纪委监委",
            reason="演示数据：反映执法人员以检查为名索要财物，涉嫌违纪。",
        )
        services.discipline_follow_up(by=supervisor, transfer=t, follow_up="纪委监委已受理，正在初步核实。")
    try:
        from fazhi.complaints.routing import train

        train()
    except (ImportError, ValueError) as exc:  # the demo still works with power-list suggestions only
        import logging

        logging.getLogger(__name__).warning("routing model not trained: %s", exc)


def _agency_users():
    from fazhi.core.models import User

    return User.objects.filter(roles__code="agency_legal", is_active=True).select_related("unit")


def _replier(agency: Unit, legal: dict):
    from fazhi.core.demo.build import demo_legal_officer

    return legal.get(agency.pk) or demo_legal_officer(agency)


def _advance(complaint, state, *, agency, supervisor, legal, made, today, item_change_deadline, add_working_days):
    if state == "received":
        return
    if state == "out_of_scope":
        services.complaint_out_of_scope(
            by=supervisor,
            complaint=complaint,
            reason="反映的是民事纠纷，不属于行政执法投诉",
            transferred_to="所在街道人民调解委员会",
        )
        return
    if state == "merged":
        primary = next(
            (
                c
                for c in made[:-1]
                if c.status not in ("merged", "out_of_scope", "closed")
                and c.description[:12] == complaint.description[:12]
            ),
            None,
        )
        if primary is not None:
            services.complaint_merge(by=supervisor, primary=primary, duplicate=complaint)
        return
    services.complaint_assign(by=supervisor, complaint=complaint, agency=agency, comment="请依法调查核实并按期答复。")
    complaint.refresh_from_db()
    if state in ("assigned_yellow", "assigned_red"):
        due = add_working_days(today, 1) if state == "assigned_yellow" else today - dt.timedelta(days=3)
        item_change_deadline(item=complaint.item, by=supervisor, deadline=due, reason="演示数据：模拟临期或超期")
        return
    if state == "assigned":
        return
    replier = _replier(agency, legal)
    services.complaint_reply(
        by=replier,
        complaint=complaint,
        findings="经现场核查，投诉反映的情况基本属实。",
        measures="已责令当事执法人员改正，对其批评教育，并向投诉人说明情况。",
    )
    if state == "replied":
        return
    if state == "returned":
        services.complaint_return(by=supervisor, complaint=complaint, reason="答复未说明处理依据，请补充后重新答复。")
        return
    services.complaint_approve(by=supervisor, complaint=complaint, comment="答复内容完整，同意。")
    if state == "answered":
        return
    satisfaction = {"closed_satisfied": "satisfied", "closed_basic": "basic"}.get(state, "dissatisfied")
    services.complaint_rate(
        complaint=complaint,
        satisfaction=satisfaction,
        comment="" if satisfaction != "dissatisfied" else "问题没有根本解决",
    )
    if state == "closed_reopened":
        services.complaint_review_close(
            by=supervisor, complaint=complaint, comment="经复核，原答复依法有据，予以维持。"
        )
