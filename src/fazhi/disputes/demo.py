"""Demo disputes: reconsiderations in every state (some correcting the demo's penalty cases, with their 决定书),
suits with hearings and the heads' appearance, judicial and procuratorial suggestions, the committee and the heads'
lists. Dates are relative to the day the demo is built and go through the services, so clocks, timelines and
documents are the real ones. Idempotent."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fazhi.core.clock import backdated, office_hours
from fazhi.disputes import services
from fazhi.disputes.models import AgencyHead, Committee, Litigation, Reconsideration, Suggestion
from fazhi.registry.models import Agency
from fazhi.workdays.calendar import add_working_days

MARKET, ECOLOGY, CITY = "示例市市场监督管理局", "示例市生态环境局", "示例市城市管理综合执法局"
PERSONS = [
    ("王建国", "110105198503120039"),
    ("李秀英", "11010519491231002X"),
    ("张伟", "430102199201010061"),
    ("刘芳", "430103198807080074"),
]
ORGS = [
    ("示例市东湖食品商行", "91110000600037341L"),
    ("示例市新桥化工有限公司", "91439900MA4L000109"),
    ("示例市城关餐饮管理有限公司", "91439900MA4L00021D"),
]
HEADS = {
    MARKET: [
        ("周建华", "局长", "principal"),
        ("吴立新", "副局长", "deputy"),
        ("陈志强", "党组成员、副局长（分管法制）", "in_charge"),
    ],
    ECOLOGY: [("孙海峰", "局长", "principal"), ("郑丽", "副局长", "deputy")],
    CITY: [("马骏", "局长", "principal"), ("何平", "副局长", "in_charge")],
}
PDF = b"%PDF-1.4\n% demo\n"


def _person(i: int) -> dict:
    name, number = PERSONS[i % len(PERSONS)]
    return {"kind": "person", "name": name, "id_number": number, "phone": f"1390731{1000 + i:04d}"}


def _org(i: int) -> dict:
    name, code = ORGS[i % len(ORGS)]
    return {"kind": "organisation", "name": name, "uscc": code, "phone": f"0731-8{100000 + i:06d}"}


def build_disputes(*, units: dict, users: dict) -> list[str]:
    if Reconsideration.objects.filter(act__contains="（演示）").exists():
        return []
    today = timezone.localdate()
    agencies = {a.unit.name: a for a in Agency.objects.filter(unit__name__in=(MARKET, ECOLOGY, CITY))}
    if len(agencies) < 3:
        return []
    sup = users["supervisor"]
    legal = {MARKET: users.get("agency"), ECOLOGY: users.get("agency2")}
    if CITY not in legal or legal.get(CITY) is None:
        from fazhi.core.demo.build import demo_legal_officer

        legal[CITY] = demo_legal_officer(agencies[CITY].unit)
    heads = _heads(agencies, legal)
    _committee(sup, today)
    made = _reconsiderations(sup, agencies, today, users)
    made += _litigations(agencies, legal, heads, today)
    made += _suggestions(agencies, legal, today)
    return made


def _heads(agencies, legal) -> dict:
    out = {}
    for name, rows in HEADS.items():
        for person, post, kind in rows:
            head = AgencyHead.objects.filter(agency=agencies[name], name=person).first() or services.head_save(
                by=legal[name], agency=agencies[name], name=person, post=post, kind=kind
            )
            out.setdefault(name, []).append(head)
    return out


def _committee(sup, today):
    if Committee.objects.exists():
        return
    committee = services.committee_save(
        by=sup,
        name="示例市人民政府行政复议委员会",
        term_from=dt.date(today.year - 1, 1, 1),
        term_to=dt.date(today.year + 2, 12, 31),
    )
    for name, kind, org in (
        ("李明", "official", "示例市司法局局长（主任委员）"),
        ("钱文华", "scholar", "示例大学法学院教授"),
        ("赵志远", "expert", "示例市食品药品检验所高级工程师"),
        ("孙丽", "lawyer", "湖南示例律师事务所律师"),
        ("黄晓东", "official", "示例市市场监督管理局法规科科长"),
    ):
        services.committee_member_add(by=sup, committee=committee, name=name, kind=kind, organisation=org)


def _case_of(agency_name: str, n: int, *, before: dt.date):
    """The n-th demo penalty case of the agency decided at least five days before `before` (None: there is none)."""
    from fazhi.cases.models import Case

    cases = list(
        Case.objects.filter(agency__unit__name=agency_name, decided_on__lte=before - dt.timedelta(days=5)).order_by(
            "id"
        )
    )
    return cases[n % len(cases)] if cases else None


def _wd(day: dt.date, n: int) -> dt.date:
    return add_working_days(day, n)


def _at(day: dt.date, n: int):
    return backdated(office_hours(day, n))


def _register(sup, agencies, today, n, *, name=MARKET, applicant=None, ago=30, case=None, **kw):
    received = today - dt.timedelta(days=ago)
    data = {
        "applicant": applicant or _person(n),
        "respondent": agencies[name],
        "act": kw.pop("act", "罚款5000元的行政处罚决定（演示）"),
        "known_on": kw.pop("known_on", received - dt.timedelta(days=20)),
        "received_on": received,
        "channel": kw.pop("channel", "window"),
        "request": kw.pop("request", "请求撤销该行政处罚决定"),
        "facts": kw.pop("facts", "申请人认为被申请人认定事实不清、适用依据错误，处罚明显不当。"),
    }
    if case is not None:
        data["case"] = case
        data["act"] = f"{case.decision_number or case.number}行政处罚决定（演示）"
        data["act_number"] = case.decision_number
        data["act_date"] = case.decided_on
        data["known_on"] = min(max(case.served_on or case.decided_on, received - dt.timedelta(days=40)), received)
        if case.fine is not None:
            data["amount"] = case.fine
    data.update(kw)
    with _at(received, n):
        return services.reconsideration_register(by=sup, **data)


def _ev(sup, rc, kind, on, n, **kw):
    with _at(on, n):
        services.reconsideration_event(by=sup, reconsideration=rc, kind=kind, on=on, **kw)
    return Reconsideration.objects.get(pk=rc.pk)


def _reconsiderations(sup, agencies, today, users) -> list[str]:
    made = []
    # 1. Just received online (受理审查), with its materials.
    with _at(today, 1):
        rc, _ = services.reconsideration_apply_online(
            applicant=_person(1),
            respondent_name=MARKET,
            act="罚款3000元并没收违法所得的行政处罚决定（演示）",
            known_on=today - dt.timedelta(days=12),
            request="请求撤销该行政处罚决定",
            facts="执法人员检查时未出示执法证件，且未告知陈述申辩权利，程序违法。",
            consent=True,
            files=[SimpleUploadedFile("行政处罚决定书.pdf", PDF)],
            submit_token="demo:online-1",
        )
    made.append(rc.tracking_code)
    # 2. 补正中: notice two working days after receipt.
    received = _wd(today - dt.timedelta(days=10), 0)
    rc = _register(sup, agencies, today, 2, ago=(today - received).days, applicant=_org(0), channel="post")
    notice = min(_wd(rc.received_on, 2), today)
    rc = _ev(
        sup,
        rc,
        "correction_requested",
        notice,
        2,
        reason="1. 行政处罚决定书复印件；2. 营业执照复印件；3. 写明具体的行政复议请求",
    )
    made.append(rc.tracking_code)
    # 3. Accepted, copy sent, answer pending (ordinary).
    rc = _register(sup, agencies, today, 3, ago=18, case=_case_of(MARKET, 0, before=today - dt.timedelta(days=18)))
    rc = _ev(sup, rc, "accepted", _wd(rc.received_on, 3), 3)
    rc = _ev(sup, rc, "copied", min(_wd(rc.accepted_on, 2), today), 3)
    made.append(rc.tracking_code)
    # 4. Simple procedure (2,000 yuan), accepted; 5. suspended; 6. extended with a hearing and a committee referral.
    rc = _register(
        sup,
        agencies,
        today,
        4,
        name=CITY,
        ago=12,
        amount=2000,
        procedure="simple",
        act="罚款2000元的行政处罚决定（演示）",
    )
    rc = _ev(sup, rc, "accepted", _wd(rc.received_on, 1), 4)
    made.append(rc.tracking_code)
    rc = _register(
        sup, agencies, today, 5, name=ECOLOGY, ago=40, applicant=_org(1), act="责令停产整治的行政处罚决定（演示）"
    )
    rc = _ev(sup, rc, "accepted", _wd(rc.received_on, 2), 5)
    rc = _ev(
        sup,
        rc,
        "suspended",
        rc.accepted_on + dt.timedelta(days=10),
        5,
        ground="8",
        reason="本案审理需以另一行政诉讼案件的审理结果为依据",
    )
    made.append(rc.tracking_code)
    rc = _register(
        sup,
        agencies,
        today,
        6,
        ago=62,
        case=_case_of(MARKET, 1, before=today - dt.timedelta(days=62)),
        applicant=_org(2),
    )
    rc = _ev(sup, rc, "accepted", _wd(rc.received_on, 2), 6)
    rc = _ev(sup, rc, "copied", _wd(rc.accepted_on, 3), 6)
    rc = _ev(sup, rc, "answered", _wd(rc.copy_received_on, 6), 6, reason="原处罚决定认定事实清楚、证据确凿，请求维持。")
    with _at(rc.answered_on, 6):
        hearing = services.reconsideration_hearing_add(
            by=sup,
            reconsideration=rc,
            notice_on=rc.answered_on,
            held_on=_wd(rc.answered_on, 6),
            place="示例市司法局行政复议听证室",
            matters="违法所得的认定和罚款幅度",
        )
    if hearing.held_on <= today:
        head = AgencyHead.objects.filter(agency=rc.respondent, kind="in_charge").first()
        with _at(hearing.held_on, 6):
            services.reconsideration_hearing_record(
                by=sup, hearing=hearing, head_attended=True, head=head, record="双方就违法所得数额进行了质证"
            )
    with _at(hearing.held_on, 7):
        referral = services.reconsideration_refer(
            by=sup, reconsideration=rc, ground="1", referred_on=min(hearing.held_on, today)
        )
        services.referral_opinion(
            by=sup,
            referral=referral,
            opinion="建议核实违法所得计算方法后依法处理",
            opinion_on=min(hearing.held_on + dt.timedelta(days=2), today),
        )
    rc = _ev(
        sup,
        rc,
        "extended",
        min(rc.accepted_on + dt.timedelta(days=55), today),
        6,
        days=30,
        reason="案情复杂，需委托检验机构复核检测结论",
        approver="示例市司法局行政复议科科长 何某",
    )
    made.append(rc.tracking_code)
    # 7–10. Decided: corrections of the demo penalty cases (with 决定书, served, published), upheld and rejected.
    for n, (name, case_n, outcome, redo, reasons) in enumerate(
        [
            (MARKET, 2, "annulled", True, "被申请人认定违法所得的主要证据不足，且未依法告知听证权利。"),
            (ECOLOGY, 0, "varied", False, "申请人违法情节较轻并已及时改正，罚款数额明显不当，依法予以变更。"),
            (MARKET, 3, "upheld", False, "原处罚决定认定事实清楚，证据确凿，适用依据正确，程序合法，内容适当。"),
            (CITY, 0, "rejected", False, "被申请人已在受理前履行了相应法定职责。"),
            (MARKET, 4, "unlawful", False, "被申请人未依法送达，程序轻微违法但对申请人权利不产生实际影响。"),
        ],
        start=7,
    ):
        ago = 60 + n * 2
        case = _case_of(name, case_n, before=today - dt.timedelta(days=ago))
        rc = _register(sup, agencies, today, n, name=name, ago=ago, case=case)
        rc = _ev(sup, rc, "accepted", _wd(rc.received_on, 2), n)
        rc = _ev(sup, rc, "copied", _wd(rc.accepted_on, 3), n)
        rc = _ev(sup, rc, "answered", _wd(rc.copy_received_on, 5), n, reason="被申请人提交了书面答复和全部证据材料。")
        decided = min(rc.accepted_on + dt.timedelta(days=45), today)
        rc = _ev(sup, rc, "decided", decided, n, outcome=outcome, redo=redo, reason=reasons)
        rc = _ev(sup, rc, "served", min(decided + dt.timedelta(days=3), today), n)
        if outcome in ("annulled", "varied", "upheld"):
            with _at(rc.served_on, n):
                services.reconsideration_publish(
                    by=sup, reconsideration=rc, today=min(rc.served_on + dt.timedelta(days=2), today)
                )
        if outcome == "annulled":
            with _at(decided, n):
                services.opinion_issue(
                    by=sup,
                    reconsideration=rc,
                    agency=rc.respondent,
                    content="你局在办理同类案件中存在未依法告知听证权利的情况，请全面自查并规范行政处罚程序。",
                    issued_on=decided,
                    received_on=min(decided + dt.timedelta(days=2), today),
                )
        made.append(rc.tracking_code)
    # 12. Refused: not this body's jurisdiction, the competent body named.
    rc = _register(
        sup, agencies, today, 12, name=CITY, ago=20, act="不予受理工伤认定申请的决定（演示）", act_kind="other"
    )
    rc = _ev(
        sup,
        rc,
        "refused",
        _wd(rc.received_on, 3),
        12,
        ground="jurisdiction",
        reason="被申请的行政行为不是被申请人作出，不属于本机关管辖",
        competent_body="示例市东城区人民政府",
    )
    made.append(rc.tracking_code)
    # 13. Terminated (settled and withdrawn); 14. mediated.
    rc = _register(sup, agencies, today, 13, ago=70, applicant=_person(2))
    rc = _ev(sup, rc, "accepted", _wd(rc.received_on, 2), 13)
    rc = _ev(
        sup,
        rc,
        "terminated",
        rc.accepted_on + dt.timedelta(days=20),
        13,
        ground="1",
        reason="申请人与被申请人自愿达成和解，申请人撤回申请，经审查准予撤回",
    )
    made.append(rc.tracking_code)
    rc = _register(sup, agencies, today, 14, name=ECOLOGY, ago=75, applicant=_person(3))
    rc = _ev(sup, rc, "accepted", _wd(rc.received_on, 2), 14)
    rc = _ev(
        sup,
        rc,
        "decided",
        rc.accepted_on + dt.timedelta(days=30),
        14,
        outcome="mediated",
        reason="经调解，被申请人同意分期缴纳罚款，申请人放弃其他请求",
    )
    made.append(rc.tracking_code)
    # 15. Filed after its period (flagged with 第二十条, registered all the same); 16. forwarded by the agency.
    rc = _register(sup, agencies, today, 15, ago=3, known_on=today - dt.timedelta(days=90), applicant=_person(0))
    made.append(rc.tracking_code)
    rc = _register(
        sup,
        agencies,
        today,
        16,
        name=CITY,
        ago=2,
        channel="forwarded",
        submitted_on=today - dt.timedelta(days=9),
        forwarded_on=today - dt.timedelta(days=2),
        act_on_the_spot=True,
        procedure="simple",
        act="当场作出的罚款200元的行政处罚决定（演示）",
        amount=200,
    )
    made.append(rc.tracking_code)
    # 17. A normative document put to 附带审查 (the case is suspended meanwhile).
    rc = _register(sup, agencies, today, 17, ago=35, applicant=_org(0))
    rc = _ev(sup, rc, "accepted", _wd(rc.received_on, 1), 17)
    with _at(rc.accepted_on + dt.timedelta(days=3), 17):
        services.normative_review_open(
            by=sup,
            reconsideration=rc,
            document_title="示例市市场监督管理局关于进一步规范食品摊贩经营行为的通知",
            document_number="示市监发〔2024〕12号",
            issuer="示例市市场监督管理局",
            articles="第六条、第九条",
            source="applicant",
            competent=True,
            started_on=rc.accepted_on + dt.timedelta(days=3),
        )
    made.append(rc.tracking_code)
    # 18. Nobody acted in the review period: deemed accepted by the daily job.
    rc = _register(sup, agencies, today, 18, name=ECOLOGY, ago=14, applicant=_person(1))
    services.reconsiderations_deem(today=today)
    made.append(rc.tracking_code)
    return made


def _litigations(agencies, legal, heads, today) -> list[str]:
    made = []
    plans = [
        # name, n, filed ago, plaintiff, act, hearings (days after service, head?), judgment
        (
            MARKET,
            1,
            150,
            _person(0),
            "罚款5000元的行政处罚决定（演示）",
            [(40, "absent"), (70, "principal")],
            "annulled",
        ),
        (MARKET, 2, 40, _org(0), "责令停业整顿的行政处罚决定（演示）", [(25, "deputy")], None),
        (ECOLOGY, 3, 120, _org(1), "罚款20万元的行政处罚决定（演示）", [(45, "principal")], "dismissed_claim"),
        (CITY, 4, 90, _person(2), "强制拆除违法建筑的决定（演示）", [(30, "staff")], "unlawful"),
        (CITY, 5, 20, _person(3), "没收违法所得的行政处罚决定（演示）", [], None),
    ]
    for name, n, ago, plaintiff, act, hearings, judgment in plans:
        by = legal[name]
        filed = today - dt.timedelta(days=ago)
        served = min(filed + dt.timedelta(days=5), today)
        with _at(served, n):
            lit = services.litigation_register(
                by=by,
                court="示例市东城区人民法院" if name != ECOLOGY else "示例市中级人民法院",
                case_number=f"（{filed.year}）湘99{n:02d}行初{100 + n}号",
                plaintiff={k: v for k, v in plaintiff.items() if k != "phone"},
                defendant=agencies[name],
                act=act,
                filed_on=filed,
                served_on=served,
                known_on=filed - dt.timedelta(days=40),
            )
        defence = _wd(served, 8)
        if defence <= today:
            with _at(defence, n):
                services.litigation_defence(by=by, litigation=lit, on=defence)
        for days, who in hearings:
            held = served + dt.timedelta(days=days)
            with _at(min(held - dt.timedelta(days=5), today), n):
                hearing = services.court_hearing_add(
                    by=by,
                    litigation=lit,
                    held_on=held,
                    summons_received_on=held - dt.timedelta(days=5),
                    head_summoned=who == "principal",
                )
            if held > today:
                continue
            kwargs = {"lawyer_name": "湖南示例律师事务所 孙律师"}
            if who in ("principal", "deputy"):
                kwargs["head"] = next(h for h in heads[name] if h.kind == who)
            elif who == "absent":
                kwargs |= {
                    "staff_name": "市场监管局法规科 张法制",
                    "absence_ground": "3",
                    "absence_reason": "局长参加省政府食品安全专项督查，副局长带队处置突发食品安全事件",
                    "files": [SimpleUploadedFile("不能出庭情况说明.pdf", PDF)],
                }
            else:
                kwargs |= {
                    "staff_name": "城管执法局法制科 王某",
                    "absence_ground": "4",
                    "absence_reason": "负责人因公出差",
                    "files": [SimpleUploadedFile("出差审批单.pdf", PDF)],
                }
            with _at(held, n):
                services.court_hearing_record(by=by, hearing=hearing, **kwargs)
        if judgment:
            on = min(served + dt.timedelta(days=max(d for d, _ in hearings) + 20), today)
            with _at(on, n):
                services.litigation_judgment(
                    by=by,
                    litigation=lit,
                    kind=judgment,
                    judgment_on=on,
                    served_on=min(on + dt.timedelta(days=3), today),
                )
            lit = Litigation.objects.get(pk=lit.pk)
            appeal = lit.item.clocks.get(name="appeal")
            if appeal.deadline < today:
                with _at(appeal.deadline + dt.timedelta(days=1), n):
                    services.litigation_effective(by=by, litigation=lit)
        made.append(lit.case_number)
    return made


def _suggestions(agencies, legal, today) -> list[str]:
    made = []
    plans = [
        (
            MARKET,
            "judicial",
            "示例市中级人民法院",
            "示法建〔{y}〕5号",
            80,
            False,
            None,
            "行政处罚决定书对违法所得的认定说理不充分，建议加强法制审核和文书说理。",
            30,
        ),
        (
            ECOLOGY,
            "procuratorial",
            "示例市人民检察院",
            "示检行公建〔{y}〕7号",
            20,
            False,
            None,
            "辖区内某化工企业长期超标排放，请依法履行监督管理职责。",
            None,
        ),
        (
            ECOLOGY,
            "procuratorial",
            "示例市人民检察院",
            "示检行公建〔{y}〕11号",
            6,
            True,
            None,
            "某养殖场粪污直排导致河道污染持续扩大，请立即依法处置。",
            None,
        ),
        (
            CITY,
            "judicial",
            "示例市东城区人民法院",
            "东法建〔{y}〕2号",
            75,
            False,
            30,
            "强制拆除前未依法催告和听取陈述申辩，建议规范强制执行程序。",
            None,
        ),
    ]
    for n, (name, kind, issuer, number, ago, urgent, days, content, replied_after) in enumerate(plans, start=1):
        received = today - dt.timedelta(days=ago)
        by = legal[name]
        with _at(received, n):
            s = services.suggestion_register(
                by=by,
                kind=kind,
                issuer=issuer,
                number=number.format(y=received.year),
                agency=agencies[name],
                content=content,
                received_on=received,
                urgent=urgent,
                days=days,
                litigation=Litigation.objects.filter(defendant_unit=agencies[name].unit).order_by("id").first(),
            )
        if replied_after is not None:
            on = min(received + dt.timedelta(days=replied_after), today)
            with _at(on, n):
                services.suggestion_reply(
                    by=by,
                    suggestion=s,
                    reply="已组织全局法制审核人员专题培训，修订行政处罚文书制作规范。",
                    replied_on=on,
                    files=[SimpleUploadedFile("整改报告.pdf", PDF)],
                )
        made.append(Suggestion.objects.get(pk=s.pk).number)
    return made
