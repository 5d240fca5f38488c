"""Excel import of a mediation ledger (调解台账) through fazhi.core.imports: template, dry run, errors by row and
column, all or nothing. Each row goes through the same services as the pages (register, then close when the row
has an outcome); imported agreements are on paper already, so no 调解协议书 is generated for them."""

from fazhi.core import imports
from fazhi.core.imports import Column, Importer, parse_day, parse_text


class MediationLedgerImporter(Importer):
    key = "mediation-ledger"
    title = "矛盾纠纷调解台账"
    permission = "mediation.manage"
    list_url_name = "legalservices:mediation:case_list"
    unit = "件"
    columns = [
        Column("调解组织", "org", True, example="南山镇人民调解委员会", help="须已登记的调解组织全称"),
        Column("纠纷类型", "kind", True, example="邻里纠纷", help="婚姻家庭纠纷、邻里纠纷、合同纠纷等"),
        Column("来源", "source", True, example="当事人申请（来访）", help="来访、网格排查、法院委派、12345 等"),
        Column("申请人", "applicant", True, example="张三"),
        Column("被申请人", "respondent", True, example="李四"),
        Column("纠纷简要情况", "facts", True, example="因宅基地排水沟发生争执。"),
        Column("涉及金额", "amount", example="2000", help="元，可空"),
        Column("受理日期", "received_on", True, parser=parse_day, example="2026-03-02"),
        Column("委派法院", "court_name", example="", help="来源为法院委派时必填"),
        Column("调解结果", "outcome", example="调解成功", help="调解成功 / 调解不成功；空为仍在调解"),
        Column("调结日期", "closed_on", parser=parse_day, example="2026-03-10"),
        Column("协议内容", "agreement", example="李四于3月底前疏通排水沟。", help="调解成功时必填"),
        Column("后续途径", "next_channel", example="", help="调解不成功时必填：诉讼、仲裁、行政裁决、信访"),
    ]

    def save_row(self, data, *, by, ip=None):
        from fazhi.legalservices.mediation import selectors, services

        org = selectors.org_ref(user=by, name=data["org"], field="org")
        case = services.case_register(
            by=by,
            org=org,
            kind=data["kind"],
            source=data["source"],
            applicant=data["applicant"],
            respondent=data["respondent"],
            facts=data["facts"],
            amount=data["amount"] or 0,
            received_on=data["received_on"],
            court_name=data["court_name"],
            imported=True,
        )
        if parse_text(data["outcome"]) or data["closed_on"] or data["agreement"] or data["next_channel"]:
            case = services.case_close(
                by=by,
                case=case,
                outcome=parse_text(data["outcome"]),
                closed_on=data["closed_on"] or None,
                agreement=data["agreement"],
                next_channel=data["next_channel"],
                make_document=False,
            )
        return case


imports.register(MediationLedgerImporter())
