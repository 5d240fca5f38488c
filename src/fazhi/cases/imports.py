"""Excel import of penalty cases from other systems (core.imports: template, dry run, row errors, all-or-nothing).

Each row is filed and taken through the stages its dates show, by the same services as a case handled here
(`services.case_import_row`), so an imported case passes the same validation and gets the same timeline and
the same statutory checks. The template's second sheet documents every column.
"""

from fazhi.cases.models import Case
from fazhi.core.errors import DomainError
from fazhi.core.imports import Column, Importer, choice_parser, parse_day, parse_list, parse_text, register
from fazhi.registry.models import Certificate, ListEntry


def parse_bool(value) -> bool:
    text = parse_text(value)
    if text in ("是", "1", "Y", "y", "true", "True", "TRUE"):
        return True
    if text in ("否", "0", "N", "n", "false", "False", "FALSE", ""):
        return False
    raise DomainError(f"“{text}”无效，应填“是”或“否”")


class CaseImporter(Importer):
    key = "cases"
    title = "行政处罚案件"
    permission = "case.handle"
    list_url_name = "cases:case_list"
    columns = [
        Column(
            "办案机关", "agency", True, example="示例市市场监督管理局", help="执法主体的单位全称，须在本人管辖范围内"
        ),
        Column(
            "执法事项编码", "power_item", True, example="330217001000", help="办案机关权责清单中现行的行政处罚事项编码"
        ),
        Column("案号", "number", example="示市监立〔2025〕15号", help="留空则自动编号；不能与已有案号重复"),
        Column("案由", "title", True, example="销售过期食品"),
        Column(
            "程序",
            "procedure",
            parser=choice_parser(Case.PROCEDURES),
            example="普通程序",
            help="普通程序 或 简易程序，留空为普通程序",
        ),
        Column(
            "当事人类型",
            "party_kind",
            True,
            parser=choice_parser(Case.PARTY_KINDS),
            example="法人或其他组织",
            help="自然人 或 法人或其他组织",
        ),
        Column("当事人", "party_name", True, example="示例市某某商贸有限公司"),
        Column("身份证号", "party_id_number", example="", help="当事人为自然人时必填，18 位，校验位须正确"),
        Column(
            "统一社会信用代码",
            "party_uscc",
            example="91110000600037341L",
            help="当事人为法人或其他组织时必填，18 位，GB 32100-2015 校验位须正确",
        ),
        Column(
            "执法证号",
            "handlers",
            True,
            parser=parse_list,
            example="43990000001、43990000002",
            help="承办执法人员的行政执法证号，多个用顿号分隔；须为办案机关的执法人员",
        ),
        Column("违法行为终了日期", "violation_ended_on", parser=parse_day, example="2025-02-20"),
        Column("重大执法决定", "major", parser=parse_bool, example="否", help="是/否"),
        Column(
            "立案日期",
            "filed_on",
            True,
            parser=parse_day,
            example="2025-03-03",
            help="日期可写 2025-03-05、2025/3/5 或 2025年3月5日",
        ),
        Column("告知日期", "notified_on", parser=parse_day, example="2025-03-20"),
        Column("法制审核日期", "legal_review_on", parser=parse_day, example=""),
        Column(
            "处理结果",
            "outcome",
            parser=choice_parser(Case.OUTCOMES),
            example="给予处罚",
            help="给予处罚 或 不予处罚；不予处罚须填“不予处罚清单序号”",
        ),
        Column("决定书文号", "decision_number", example="示市监罚〔2025〕15号", help="已作出决定的必填"),
        Column("决定日期", "decided_on", parser=parse_day, example="2025-04-02"),
        Column(
            "处罚种类",
            "penalty_kinds",
            parser=parse_list,
            example="警告、罚款",
            help="《行政处罚法》第九条的种类，多个用顿号分隔",
        ),
        Column("罚款金额", "fine", example="5000", help="元，大于 0"),
        Column("不予处罚清单序号", "list_entry", example="", help="办案机关不予处罚清单条目的序号（ID）"),
        Column("送达日期", "served_on", parser=parse_day, example="2025-04-03"),
        Column("公示日期", "disclosed_on", parser=parse_day, example="2025-04-08"),
        Column("执行完毕日期", "executed_on", parser=parse_day, example=""),
        Column("结案日期", "closed_on", parser=parse_day, example=""),
    ]

    def save_row(self, data, *, by, ip=None):
        from fazhi.cases.services import case_import_row
        from fazhi.registry.selectors import agency_by_name, power_item_current_by_code

        agency = agency_by_name(user=by, name=data["agency"], field="agency")
        item = power_item_current_by_code(user=by, agency=agency, code=data["power_item"], field="power_item")
        if item is None:
            raise DomainError(f"执法事项编码“{data['power_item']}”不在“{agency}”的权责清单中", field="power_item")
        officers = []
        for number in data["handlers"] or []:
            cert = Certificate.objects.filter(number=number).select_related("officer").first()
            if cert is None:
                raise DomainError(f"执法证号“{number}”不存在", field="handlers")
            officers.append(cert.officer.pk)
        entry = None
        if data.get("list_entry"):
            entry = (
                ListEntry.objects.filter(pk=data["list_entry"], agency=agency).first()
                if str(data["list_entry"]).isdigit()
                else None
            )
            if entry is None:
                raise DomainError("不予处罚清单序号不存在或不属于办案机关", field="list_entry")
        if data.get("decided_on") and not data.get("decision_number"):
            raise DomainError("已填决定日期的，决定书文号不能为空", field="decision_number")
        return case_import_row(
            by=by,
            ip=ip,
            data={
                **data,
                "agency": agency,
                "power_item": item.pk,
                "handlers": officers,
                "list_entry": entry.pk if entry else None,
                "major": bool(data.get("major")),
            },
        )


register(CaseImporter())
