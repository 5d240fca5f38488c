"""Demo suggestions, proposals and disclosure requests: a session of the 人民代表大会 and one of the 政协 with items in
every state (one returned as wrongly assigned and reassigned, co-units with and without their view, an extension
with consent, replies A/B/C, a dissatisfied rating answered by a new reply, a secret one), and disclosure requests
in every state (awaiting confirmation, running, yellow, red, 补正, consultation, extension, every kind of answer,
deemed abandoned, withdrawn, one carried over from last year). All dates relative to today; deterministic and
idempotent (skipped when the demo session exists)."""

import datetime as dt

from django.utils import timezone

from fazhi.core.clock import backdated, office_hours
from fazhi.core.demo.build import demo_legal_officer
from fazhi.core.models import Division, Unit
from fazhi.requests import rules, services
from fazhi.requests.models import DisclosureRequest, Session
from fazhi.tracking.selectors import yellow_until
from fazhi.workdays.calendar import add_working_days, is_working_day

SUGGESTIONS = [
    # (state, lead unit, co-units, title, text)
    (
        "registered",
        None,
        [],
        "关于加强校园周边食品安全监管的建议",
        "校园周边小餐饮、流动摊点较多，建议加大联合执法和日常巡查力度。",
    ),
    (
        "assigned_green",
        "示例市市场监督管理局",
        [],
        "关于规范农贸市场计量器具管理的建议",
        "部分农贸市场电子秤缺斤短两问题时有发生，建议推行智慧计量监管，定期强制检定。",
    ),
    (
        "assigned_yellow",
        "示例市交通运输局",
        [],
        "关于优化城区公交线网的建议",
        "新建小区公交覆盖不足，建议优化线网并增设接驳线路。",
    ),
    (
        "assigned_red",
        "示例市住房和城乡建设局",
        [],
        "关于加快老旧小区加装电梯的建议",
        "老旧小区老年人出行困难，建议简化加装电梯审批，加大财政补助。",
    ),
    (
        "return_requested",
        "示例市教育局",
        [],
        "关于整治网约车非法营运的建议",
        "城区网约车非法营运问题突出，建议加强执法。",
    ),
    (
        "reassigned",
        "示例市文化旅游广电体育局",
        [],
        "关于规范商业综合体消防安全管理的建议",
        "大型商业综合体消防通道堵塞现象较多，建议开展专项检查。",
    ),
    (
        "co_pending",
        "示例市生态环境局",
        ["示例市城市管理综合执法局"],
        "关于治理餐饮油烟扰民的建议",
        "居民区餐饮油烟扰民投诉多，建议生态环境和城管部门联合治理。",
    ),
    (
        "co_given_draft",
        "示例市市场监督管理局",
        ["示例市卫生健康委员会"],
        "关于加强医疗美容机构监管的建议",
        "非法医美乱象频发，建议市场监管和卫健部门加强联合监管。",
    ),
    (
        "extended",
        "示例市自然资源和规划局",
        [],
        "关于盘活城区闲置土地的建议",
        "城区存量闲置土地较多，建议分类处置、盘活利用。",
    ),
    (
        "extension_requested",
        "示例市水利局",
        [],
        "关于推进中小河流综合治理的建议",
        "部分中小河流防洪标准偏低，建议纳入综合治理规划。",
    ),
    (
        "approved",
        "示例市人力资源和社会保障局",
        [],
        "关于加强新就业形态劳动者权益保障的建议",
        "外卖骑手等新就业形态劳动者社会保险覆盖不足，建议完善政策。",
    ),
    (
        "replied",
        "示例市市场监督管理局",
        [],
        "关于推行“双随机、一公开”跨部门联合抽查的建议",
        "同一企业一年内被多个部门重复检查，建议推行跨部门联合抽查，减少对企业的干扰。",
    ),
    (
        "done_late_b",
        "示例市应急管理局",
        [],
        "关于加强小微企业安全生产培训的建议",
        "小微企业安全生产培训薄弱，建议开展免费培训。",
    ),
    (
        "done_c",
        "示例市农业农村局",
        [],
        "关于建设冷链物流中心的建议",
        "农产品冷链物流设施不足，建议规划建设区域冷链物流中心。",
    ),
    (
        "rereplied",
        "示例市城市管理综合执法局",
        [],
        "关于规范共享单车停放的建议",
        "共享单车乱停乱放影响市容，建议划定停放区并加强执法。",
    ),
    (
        "rereplying",
        "示例市医疗保障局",
        [],
        "关于扩大门诊慢特病保障范围的建议",
        "部分慢性病患者门诊费用负担较重，建议扩大保障病种。",
    ),
    (
        "secret",
        "示例市住房和城乡建设局",
        [],
        "关于某重点项目拆迁补偿问题的建议",
        "涉及具体项目补偿方案和个人信息，建议妥善处理。",
    ),
]
PROPOSALS = [
    (
        "replied_a",
        "示例市市场监督管理局",
        [],
        "关于打造“放心消费”示范街区的提案",
        "建议在重点商圈创建放心消费示范街区，推行无理由退货承诺。",
    ),
    (
        "assigned_green",
        "示例市生态环境局",
        [],
        "关于加强建筑工地扬尘治理的提案",
        "建筑工地扬尘污染仍较突出，建议推行在线监测和差异化管控。",
    ),
]
DEPUTIES = [
    ("王建国", "东城区代表团", "13807310001"),
    ("李秀英", "西城区代表团", "13807310002"),
    ("张伟", "南山县代表团", "13807310003"),
    ("刘洋", "东城区代表团", "13807310004"),
    ("陈静", "市直代表团", "13807310005"),
]
MEMBERS = [("赵敏", "民盟界别", "13907310011"), ("孙磊", "经济界别", "13907310012")]


def build_requests(*, units: dict, users: dict) -> None:
    today = timezone.localdate()
    division = Division.objects.get(code="439900")
    if Session.objects.filter(division=division, term=18, meeting=5, body="npc").exists():
        return
    supervisor = users["supervisor"]
    _proposals(today=today, division=division, supervisor=supervisor, users=users)
    _disclosures(today=today, users=users)


# ---------------------------------------------------------------- proposals


def _legal(unit: Unit, users: dict):
    for name in ("agency", "agency2"):
        if users[name].unit_id == unit.pk:
            return users[name]
    return demo_legal_officer(unit)


def _at(day: dt.date, n: int = 0):
    return backdated(office_hours(day, n), step=dt.timedelta(minutes=17))


def _working_before(today: dt.date, n: int) -> dt.date:
    """The day n working days before today (the start of a period of n working days ending today)."""
    day = today
    while n > 0:
        day -= dt.timedelta(days=1)
        if is_working_day(day):
            n -= 1
    return day


def _yellow_start(today: dt.date, rule) -> dt.date:
    """A start whose period ends within the yellow window (today … N working days on): searched, not guessed."""
    until = yellow_until(today)
    for back in range(1, 400):
        start = today - dt.timedelta(days=back)
        if today <= rules.period_end(rule, start) <= until:
            return start
    return today - dt.timedelta(days=85)


def _proposals(*, today, division, supervisor, users) -> None:
    opened = today - dt.timedelta(days=150)
    npc = services.session_create(
        by=None, body="npc", division=division, term=18, meeting=5, year=opened.year, opened_on=opened
    )
    cppcc = services.session_create(
        by=None,
        body="cppcc",
        division=division,
        term=13,
        meeting=5,
        year=opened.year,
        opened_on=opened - dt.timedelta(days=1),
    )
    between = services.session_create(by=None, body="npc", division=division, term=18, meeting=0, year=today.year)
    registered = opened + dt.timedelta(days=4)
    assigned = opened + dt.timedelta(days=12)
    for i, (state, lead, co, title, text) in enumerate(SUGGESTIONS, start=1):
        joint = (
            [DEPUTIES[i % len(DEPUTIES)], DEPUTIES[(i + 2) % len(DEPUTIES)]]
            if i % 3 == 0
            else [DEPUTIES[i % len(DEPUTIES)]]
        )
        recent = state in RECENT
        _proposal(
            state,
            session=between if recent else npc,
            number=f"{i:04d}",
            lead=lead,
            co=co,
            title=title,
            text=text,
            proposers=joint,
            registered=today - dt.timedelta(days=40) if recent else registered,
            assigned=RECENT[state](today) if recent else assigned,
            today=today,
            supervisor=supervisor,
            users=users,
        )
    for i, (state, lead, co, title, text) in enumerate(PROPOSALS, start=1):
        recent = state in RECENT
        _proposal(
            state,
            session=cppcc,
            number=f"{i:04d}",
            lead=lead,
            co=co,
            title=title,
            text=text,
            proposers=[MEMBERS[i % len(MEMBERS)]],
            registered=registered,
            assigned=RECENT[state](today) if recent else assigned,
            today=today,
            supervisor=supervisor,
            users=users,
        )


# Items raised between sessions, assigned recently: still running, or replied a few days ago (the rating link valid).
RECENT = {
    "assigned_green": lambda today: today - dt.timedelta(days=20),
    "replied": lambda today: today - dt.timedelta(days=30),
    "replied_a": lambda today: today - dt.timedelta(days=30),
}


def _proposal(
    state, *, session, number, lead, co, title, text, proposers, registered, assigned, today, supervisor, users
):
    lines = "\n".join("，".join(p) for p in proposers)
    with _at(registered):
        p = services.proposal_register(
            by=supervisor,
            session=session,
            number=number,
            title=title,
            text=text,
            proposers=lines,
            registered_on=registered,
            today=today,
        )
    if state == "registered":
        return
    if state == "assigned_yellow":
        assigned = _yellow_start(today, rules.reply_rule(p.kind))
    lead_unit = Unit.objects.get(name=lead)
    co_units = [Unit.objects.get(name=n) for n in co]
    if state in ("return_requested",):
        assigned = today - dt.timedelta(days=1)
        while not is_working_day(assigned):
            assigned -= dt.timedelta(days=1)
    if state == "co_pending":
        assigned = today - dt.timedelta(days=9)
    with _at(assigned):
        p = services.proposal_assign(
            by=supervisor,
            proposal=p,
            lead_unit=lead_unit,
            co_units=co_units,
            on=assigned,
            comment="请认真研究办理，按期答复代表。",
            today=today,
        )
    legal = _legal(lead_unit, users)
    if state in ("assigned_green", "assigned_yellow", "assigned_red", "co_pending"):
        return
    row = p.units.get(role="lead", active=True)
    if state == "return_requested":
        with _at(assigned, 3):
            services.proposal_return_request(
                by=legal,
                row=row,
                reason="所提事项属于交通运输部门职责，建议改由市交通运输局办理。",
                on=assigned,
                today=today,
            )
        return
    if state == "reassigned":
        on = add_working_days(assigned, 2)
        with _at(on):
            services.proposal_return_request(
                by=legal,
                row=row,
                reason="消防安全监管不属于本局职责，建议交消防救援机构和商务部门办理。",
                on=on,
                today=today,
            )
        on2 = add_working_days(on, 1)
        with _at(on2):
            services.proposal_return_decide(
                by=supervisor,
                row=row,
                accept=True,
                new_unit=Unit.objects.get(name="示例市商务局"),
                comment="同意退回，改由市商务局主办。",
                on=on2,
                today=today,
            )
        return
    if state == "co_given_draft":
        on = assigned + dt.timedelta(days=20)
        co_row = p.units.get(role="co")
        with _at(on):
            services.proposal_co_view_submit(
                by=_legal(co_row.unit, users),
                row=co_row,
                text="卫健部门负责医疗美容机构执业资质审核，将配合开展联合检查。",
                on=on,
                today=today,
            )
        with _at(on + dt.timedelta(days=3)):
            services.proposal_reply_save(
                by=legal,
                proposal=p,
                classification="B",
                text="我局将会同卫健部门开展医疗美容行业专项整治，列入年度监管计划逐步推进。",
                contact="市场监管局法规科 0731-88880001",
            )
        return
    if state in ("extended", "extension_requested"):
        on = assigned + dt.timedelta(days=60)
        with _at(on):
            services.proposal_extension_request(
                by=legal, proposal=p, months=3, reason="涉及多个部门和规划调整，处理难度大。", on=on, today=today
            )
        if state == "extended":
            with _at(on + dt.timedelta(days=2)):
                services.proposal_extension_decide(
                    by=supervisor,
                    proposal=p,
                    approve=True,
                    comment="同意延期至六个月。",
                    on=on + dt.timedelta(days=2),
                    today=today,
                )
        return
    classification = {"done_c": "C", "replied": "A", "replied_a": "A", "secret": "A"}.get(state, "B")
    c_reason = "受土地和资金条件限制，近期暂不具备建设条件，将在下一轮规划中统筹考虑。" if classification == "C" else ""
    reply_on = assigned + dt.timedelta(days=100 if state == "done_late_b" else 60)
    if state in RECENT:
        reply_on = today - dt.timedelta(days=2)
    with _at(reply_on - dt.timedelta(days=5)):
        p.refresh_from_db()
        reply = services.proposal_reply_save(
            by=legal,
            proposal=p,
            classification=classification,
            c_reason=c_reason,
            text=f"关于“{title}”，我单位高度重视，经研究，现将办理情况答复如下：已制定工作方案，明确责任分工和时间节点。",
            contact="办公室 0731-88880000",
        )
    if state == "secret":
        with _at(reply_on - dt.timedelta(days=4)):
            services.proposal_secret_set(by=supervisor, proposal=p, secret=True, reason="涉及个人隐私和具体补偿方案")
    with _at(reply_on - dt.timedelta(days=2)):
        reply = services.proposal_reply_approve(
            by=legal, reply=reply, signer="局长 王某", on=reply_on - dt.timedelta(days=2), today=today
        )
    if state == "approved":
        return
    with _at(reply_on):
        reply = services.proposal_reply_issue(by=legal, reply=reply, on=reply_on, today=today)
    if state in ("replied", "replied_a"):
        return
    p.refresh_from_db()
    lead_proposer = p.proposers.get(is_lead=True)
    rate_on = reply_on + dt.timedelta(days=7)
    dissatisfied = state in ("rereplied", "rereplying")
    with _at(rate_on):
        services.proposal_rating_record(
            by=supervisor,
            proposal=p,
            proposer=lead_proposer,
            attitude="satisfied",
            result="dissatisfied" if dissatisfied else ("basic" if classification == "C" else "satisfied"),
            comment="问题没有实质解决，希望进一步研究。" if dissatisfied else "",
            on=rate_on,
            today=today,
        )
    if not dissatisfied or state == "rereplying":
        return
    again = rate_on + dt.timedelta(days=20)
    p.refresh_from_db()
    with _at(again - dt.timedelta(days=2)):
        reply2 = services.proposal_reply_save(
            by=legal,
            proposal=p,
            classification="A",
            contact="办公室 0731-88880000",
            text="经重新研究，已在主要街道划定停放区 120 处，并建立企业约谈机制。",
        )
        reply2 = services.proposal_reply_approve(
            by=legal, reply=reply2, signer="局长 王某", on=again - dt.timedelta(days=2), today=today
        )
    with _at(again):
        services.proposal_reply_issue(by=legal, reply=reply2, on=again, today=today)
    with _at(again + dt.timedelta(days=5)):
        p.refresh_from_db()
        services.proposal_rating_record(
            by=supervisor,
            proposal=p,
            proposer=lead_proposer,
            attitude="satisfied",
            result="basic",
            on=again + dt.timedelta(days=5),
            today=today,
        )


# ---------------------------------------------------------------- disclosure requests

REQUESTS = [
    # (state, agency, applicant kind, org type, name, content)
    ("unconfirmed", "示例市市场监督管理局", "person", "", "周明", "2025年度本市食品安全抽检计划及抽检结果汇总"),
    ("green", "示例市市场监督管理局", "organisation", "legal", "示例律师事务所", "某商标侵权案件的行政处罚决定书"),
    ("yellow", "示例市住房和城乡建设局", "person", "", "吴刚", "某小区规划许可及竣工验收备案材料"),
    ("red", "示例市住房和城乡建设局", "person", "", "郑丽", "2024年度保障性住房分配名单及审核标准"),
    ("correction", "示例市生态环境局", "person", "", "冯强", "工厂的环评"),
    ("corrected", "示例市市场监督管理局", "organisation", "business", "示例食品有限公司", "本公司被检查记录"),
    (
        "consulting",
        "示例市市场监督管理局",
        "person",
        "",
        "何琳",
        "某连锁超市的行政许可申请材料（含营业执照和经营场所信息）",
    ),
    (
        "extended",
        "示例市自然资源和规划局",
        "organisation",
        "research",
        "示例大学城市规划研究所",
        "近三年国土空间规划调整的论证材料",
    ),
    ("disclosed", "示例市市场监督管理局", "person", "", "林涛", "2025年市场监管领域行政处罚裁量基准"),
    ("partial", "示例市生态环境局", "organisation", "charity", "示例环保公益协会", "某化工厂排污许可证及执行报告"),
    ("withheld", "示例市生态环境局", "person", "", "罗斌", "某企业的环境信用评价原始材料"),
    ("not_exist", "示例市住房和城乡建设局", "person", "", "高峰", "1985年某街道房屋普查原始登记表"),
    ("not_held", "示例市市场监督管理局", "person", "", "谢婷", "某药品注册批件"),
    ("repeat", "示例市市场监督管理局", "person", "", "周明", "2025年度本市食品安全抽检计划"),
    ("petition", "示例市生态环境局", "person", "", "韩雪", "要求查处楼下饭店油烟扰民并答复处理结果"),
    ("abandoned", "示例市住房和城乡建设局", "person", "", "唐亮", "你们单位的有关文件材料"),
    ("withdrawn", "示例市自然资源和规划局", "organisation", "other", "示例村股份经济合作社", "本村集体土地征收批复"),
    (
        "carried",
        "示例市市场监督管理局",
        "organisation",
        "business",
        "示例商贸有限公司",
        "上年度电子商务平台专项检查通报",
    ),
]


def _disclosures(*, today, users) -> None:
    for i, (state, agency_name, kind, org_type, name, content) in enumerate(REQUESTS):
        agency = Unit.objects.get(name=agency_name)
        legal = _legal(agency, users)
        if state == "unconfirmed":
            with _at(today):
                services.disclosure_submit_public(
                    agency=agency,
                    applicant_kind=kind,
                    name=name,
                    id_number="430102199003071234",
                    phone="13907319901",
                    content=content,
                    consent=True,
                    submit_token=f"demo:{i}",
                    today=today,
                )
            continue
        received = _received_for(state, today)
        with _at(received):
            r, _ = services.disclosure_register(
                by=legal,
                agency=agency,
                applicant_kind=kind,
                org_type=org_type,
                applicant_name=name,
                content=content,
                channel=("window", "post", "online", "fax", "letter")[i % 5],
                received_on=received,
                phone=f"1390731{i:04d}",
                address="湖南省示例市东城区人民路1号",
                form_wanted="电子邮件",
                today=today,
            )
        DisclosureRequest.objects.filter(pk=r.pk).update(submit_token=f"demo:{i}")
        _advance(r, state, received=received, legal=legal, today=today)


def _received_for(state: str, today: dt.date) -> dt.date:
    if state == "green":
        return _working_before(today, 3)
    if state == "yellow":
        return _yellow_start(today, rules.answer_rule())
    if state in ("red", "abandoned"):
        return _working_before(today, 35)
    if state == "carried":
        return dt.date(today.year - 1, 12, 15)
    if state in ("correction", "consulting"):
        return _working_before(today, 6)
    if state == "corrected":
        return _working_before(today, 10)
    return _working_before(today, 30)


def _event(r, legal, kind, on, today, n=0, **kwargs):
    with _at(on, n):
        return services.disclosure_event(by=legal, request=r, kind=kind, on=on, today=today, **kwargs)


def _advance(r, state, *, received, legal, today):
    wd = lambda n: add_working_days(received, n)  # noqa: E731
    if state in ("green", "yellow", "red"):
        return
    if state == "correction":
        _event(r, legal, "correction_requested", wd(2), today, reason="请写明所需环评文件对应的企业名称和项目名称。")
        return
    if state == "corrected":
        _event(r, legal, "correction_requested", wd(1), today, reason="请说明所需检查记录的检查年度和检查部门。")
        _event(r, legal, "correction_received", wd(4), today, reason="申请人补正：2025年度市场监管局的检查记录。")
        return
    if state == "consulting":
        _event(
            r,
            legal,
            "consultation_started",
            wd(3),
            today,
            party="third_party",
            party_name="示例连锁超市有限公司",
            reason="申请公开的信息涉及企业商业秘密。",
        )
        return
    if state == "extended":
        _event(
            r,
            legal,
            "consultation_started",
            wd(2),
            today,
            party="agency",
            party_name="示例市住房和城乡建设局",
            reason="所申请信息由两机关共同制作。",
        )
        _event(r, legal, "consultation_ended", wd(9), today, reason="住建局同意公开。")
        _event(r, legal, "extended", wd(20), today, days=10, reason="申请信息量大，需要逐项检索和区分处理。")
        return
    if state == "abandoned":
        _event(r, legal, "correction_requested", wd(2), today, days=5, reason="请写明所需文件的名称或文号。")
        on = add_working_days(wd(2), 6)
        _event(r, legal, "abandoned", on, today, reason="申请人逾期未补正。")
        return
    if state == "withdrawn":
        _event(r, legal, "withdrawn", wd(4), today, reason="申请人书面申请撤回。")
        return
    answers = {
        "disclosed": {"answer": "disclosed"},
        "partial": {
            "answer": "partial",
            "reason": "执行报告中涉及企业生产工艺的部分属于商业秘密，不予公开（第十五条）。",
        },
        "withheld": {
            "answer": "withheld",
            "ground": "third_party",
            "reason": "经征求第三方意见，第三方不同意公开且理由合理。",
        },
        "not_exist": {"answer": "not_exist"},
        "not_held": {
            "answer": "not_held",
            "competent_body": "湖南省药品监督管理局（联系电话 0731-00000000）",
            "reason": "药品注册批件由省级药品监督管理部门负责。",
        },
        "repeat": {"answer": "repeat"},
        "petition": {
            "answer": "not_processed",
            "ground": "petition",
            "reason": "所提内容属于投诉举报，已转12345热线办理。",
        },
        "carried": {"answer": "disclosed"},
    }[state]
    on = min(today, wd(15 if state != "carried" else 18))
    _event(r, legal, "answered", on, today, **answers)
    if state in ("disclosed", "partial", "withheld", "carried"):
        _event(r, legal, "delivered", min(today, add_working_days(on, 1)), today, n=3, method="邮寄")
