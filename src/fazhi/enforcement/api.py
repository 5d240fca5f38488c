from ninja import Body, Router, Schema

from fazhi.core.tokens import PermissionAuth
from fazhi.enforcement.case_api import router as case_router
from fazhi.enforcement.checks import facts_from_payload
from fazhi.enforcement.registry_api import router as registry_router
from fazhi.enforcement.rules import check_case, rule_catalogue

router = Router(tags=["行政执法"])
# Agencies, power items and officers (the registry) live in their own module, mounted here.
router.add_router("/", registry_router)
# Cases, stages, compliance statistics and public disclosures: their own module, mounted here.
router.add_router("/", case_router)


class CheckOut(Schema):
    rule: str
    severity: str
    message: str
    citation: str


class ChecksOut(Schema):
    checks: list[CheckOut]


class RuleOut(Schema):
    rule: str
    title: str
    citation: str


@router.post("/cases/check", response=ChecksOut, summary="案件法定规则预检（不保存）", auth=PermissionAuth("case.view"))
def cases_check(request, payload: dict = Body(...)):
    """Check a case described wholly in the request against the statutory rules. Nothing is stored.
    Absent optional fields skip the rules that need them."""
    facts = facts_from_payload(payload)
    return {"checks": [f.as_dict() for f in check_case(facts)]}


@router.get("/cases/rules", response=list[RuleOut], summary="规则目录", auth=PermissionAuth("case.view"))
def rules(request):
    return rule_catalogue()
