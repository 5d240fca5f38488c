"""Builders for this area's tests: cases of two agencies (made through the cases services, registry rows with the
cases tests' helpers), and investigations, records and typical cases made through this area's services."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from fazhi.cases import services as case_services
from fazhi.cases.tests import case_factories as cf
from fazhi.core.models import Role, Unit, User
from fazhi.supervision.accountability import services

MARKET, ECOLOGY = cf.MARKET, cf.ECOLOGY
PARTY, PARTY_ID = "王建国", "110105198503120039"
PDF = b"%PDF-1.4\n" + b"0" * 64
REASON = "风险预警显示该案罚款金额超出裁量基准上限，开展专项监督调查。"
FINDINGS = "该案罚款金额超出所适用裁量阶次上限，未经集体讨论，问题属实。"


def today() -> dt.date:
    return timezone.localdate()


def ago(days: int) -> dt.date:
    return today() - dt.timedelta(days=days)


def pdf(name: str = "笔录.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF)


def world(org, users) -> dict:
    """市场监管局 with two officers (陈执法 linked to the `officer` login) and a case against a natural person;
    生态环境局 with two officers and a case against an organisation."""
    m = cf.market(org, users)
    case = case_services.case_file(
        by=users["agency"],
        **cf.case_kwargs(
            m,
            party_kind="person",
            party_name=PARTY,
            party_id_number=PARTY_ID,
            party_uscc="",
            filed_on=ago(60),
            violation_ended_on=ago(70),
        ),
    )
    eco = cf.agency(org[ECOLOGY])
    eco_item = cf.power_item(eco)
    e1, e2 = cf.officer(eco, "李环保"), cf.officer(eco, "周环保")
    eco_case = case_services.case_file(
        by=users["agency2"],
        agency=eco,
        power_item=eco_item.pk,
        title="超标排放水污染物",
        party_kind="organisation",
        party_name="示例市新桥化工有限公司",
        party_uscc=cf.ORG_USCC,
        filed_on=ago(50),
        handlers=[e1.pk, e2.pk],
        violation_ended_on=ago(55),
    )
    return {
        **m,
        "case": case,
        "market": org[MARKET],
        "ecology": org[ECOLOGY],
        "eco_case": eco_case,
        "e1": e1,
        "e2": e2,
    }


def second_supervisor(org) -> User:
    """Another 监督人员 of the Justice Bureau (so that a team can be made without the invited supervisor)."""
    user = User.objects.create(
        username="supervisor2", name="孙监督", unit=org["示例市司法局"], must_change_password=False
    )
    user.roles.add(Role.objects.get(code="supervisor"))
    return user


def open_investigation(users, case, *, team=None, **kwargs):
    data = {
        "by": users["supervisor"],
        "basis_kind": "case",
        "basis_id": case.pk,
        "title": "罚款超出裁量基准问题",
        "reason": REASON,
        "investigators": team or [users["supervisor"].pk, users["monitor"].pk],
    }
    data.update(kwargs)
    return services.investigation_open(**data)


def with_step(users, investigation, **kwargs):
    data = {
        "by": users["supervisor"],
        "investigation": investigation,
        "kind": "file_review",
        "done_on": today(),
        "text": "调阅全部案卷，核对裁量阶次和罚款金额。",
    }
    data.update(kwargs)
    services.investigation_step_record(**data)
    investigation.refresh_from_db()
    return investigation


def concluded(users, case, *, conclusion="substantiated", propose=True):
    investigation = with_step(users, open_investigation(users, case))
    services.investigation_conclude(
        by=users["supervisor"],
        investigation=investigation,
        conclusion=conclusion,
        findings=FINDINGS,
        measures="责令改正，追究有关人员责任。",
        propose=propose,
    )
    investigation.refresh_from_db()
    return investigation


def proposal_for(users, w):
    from fazhi.supervision.accountability.models import AccountabilityProposal

    investigation = concluded(users, w["case"])
    return AccountabilityProposal.objects.get(source_kind="investigation", source_id=investigation.pk)


def record_for(users, w, **kwargs):
    data = {
        "by": users["supervisor"],
        "case_id": w["case"].pk,
        "officers": [w["o1"].pk, w["o2"].pk],
        "reason": "处罚决定在行政复议中被撤销，依法倒查责任。",
    }
    data.update(kwargs)
    return services.record_open(**data)


def decided(users, w, *, exempt_first=False):
    record = record_for(users, w)
    first = (
        {
            "officer": w["o1"].pk,
            "exempt": True,
            "exemption_ground": "law_unclear",
            "exemption_reason": "上位法修订，条款衔接不明确",
        }
        if exempt_first
        else {"officer": w["o1"].pk, "fault": "gross", "responsibilities": ["public_criticism", "certificate"]}
    )
    services.record_decide(
        by=users["supervisor"],
        record=record,
        outcomes=[first, {"officer": w["o2"].pk, "fault": "ordinary", "responsibilities": ["criticism"]}],
        decision="对主办人员通报批评；对协办人员批评教育。",
        decision_organ="示例市市场监督管理局",
        decision_on=today(),
    )
    record.refresh_from_db()
    return record


TYPICAL = {
    "title": "执法人员超出裁量基准罚款典型案例",
    "summary": "某局执法人员陈执法、王执法在查处王某销售过期食品一案中，罚款金额超出裁量基准上限，且未听取当事人陈述申辩。"
    "当事人拨打13907310000反映。",
    "lesson": "行政处罚必须严格执行裁量基准，保障当事人陈述申辩的权利。",
    "handling": "责令改正原处罚决定，对主办人员通报批评，对协办人员批评教育。",
}


def typical(users, w, **kwargs):
    data = {"by": users["supervisor"], "case_id": w["case"].pk, **TYPICAL}
    data.update(kwargs)
    return services.typical_mark(**data)


def unit(name: str) -> Unit:
    return Unit.objects.get(name=name)
