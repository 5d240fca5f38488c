"""Excel import of the adviser roster (法律顾问名册) through fazhi.core.imports: template, dry run, errors by row and
column, all or nothing. A row registers the adviser (or finds him by 执业证号) and, with dates, his contract — a
village's second contract for an overlapping period is refused with the row and the column."""

from fazhi.core import imports
from fazhi.core.imports import Column, Importer, parse_day


class AdviserRosterImporter(Importer):
    key = "adviser-roster"
    title = "法律顾问名册"
    permission = "adviser.manage"
    list_url_name = "legalservices:advisers:adviser_list"
    unit = "人"
    columns = [
        Column("类别", "kind", True, example="村（居）法律顾问", help="政府法律顾问、公职律师、村（居）法律顾问"),
        Column("姓名", "name", True, example="谭律师"),
        Column("律师事务所或工作单位", "firm", example="湖南南山律师事务所"),
        Column("执业证号", "license_no", example="14399202010123456"),
        Column("联系电话", "phone", example="13907430000"),
        Column("聘用单位", "unit", True, example="南山县南山镇人民政府", help="单位全称"),
        Column("村（社区）", "village", example="石桥村", help="村（居）法律顾问必填；重名时写“乡镇全称/村名”"),
        Column("合同起始日", "start", parser=parse_day, example="2026-01-01"),
        Column("合同终止日", "end", parser=parse_day, example="2026-12-31"),
    ]

    def save_row(self, data, *, by, ip=None):
        from fazhi.core.errors import DomainError
        from fazhi.core.models import Unit
        from fazhi.legalservices.advisers import selectors, services
        from fazhi.legalservices.advisers.models import LegalAdviser

        unit = Unit.objects.filter(name=data["unit"], is_active=True).first()
        if unit is None:
            raise DomainError(f"单位“{data['unit']}”不存在", field="unit")
        adviser = None
        if data["license_no"]:
            adviser = LegalAdviser.objects.filter(
                license_no=data["license_no"], is_active=True, name=data["name"]
            ).first()
        if adviser is None:
            adviser = services.adviser_create(
                by=by,
                kind=data["kind"],
                name=data["name"],
                firm=data["firm"],
                license_no=data["license_no"],
                phone=data["phone"],
                unit=unit,
            )
        village = selectors.village_ref(user=by, name=data["village"], field="village") if data["village"] else None
        if data["start"] or data["end"]:
            if not data["start"]:
                raise DomainError("请填写合同起始日", field="start")
            if not data["end"]:
                raise DomainError("请填写合同终止日", field="end")
            services.contract_create(
                by=by, adviser=adviser, start=data["start"], end=data["end"], village=village, unit=unit
            )
        elif village is not None:
            raise DomainError("填写村（社区）的，须同时填写合同起止日", field="start")
        return adviser


imports.register(AdviserRosterImporter())
