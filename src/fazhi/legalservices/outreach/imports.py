"""Excel import of the 法律明白人 roster (staff keep it in spreadsheets by village): all or nothing; the ID number
is never echoed back in previews or error lists."""

from fazhi.core.imports import Column, Importer, parse_day


class LiterateImporter(Importer):
    key = "outreach_literates"
    title = "法律明白人名册"
    permission = "outreach.edit"
    list_url_name = "legalservices:outreach:literate_list"
    unit = "人"
    columns = [
        Column("县（市、区）", "division", required=True, example="东城区", help="行政区划名称或代码"),
        Column("乡镇（街道）", "township", required=True, example="城关街道办事处"),
        Column("村（社区）", "village", required=True, example="东关社区"),
        Column("姓名", "name", required=True, example="张三"),
        Column("身份证号", "id_number", required=True, example="110105194912310021", secret=True),
        Column("手机号", "phone", example="13912345678", secret=True),
        Column("身份", "occupation", example="村干部"),
        Column("确认日期", "appointed_on", parser=parse_day, example="2026-03-01"),
    ]

    def allowed(self, user) -> bool:
        from fazhi.core.scope import has_permission
        from fazhi.legalservices.outreach.permissions import literate_actions

        return has_permission(user, self.permission) and "import" in literate_actions(user=user, obj=None)

    def save_row(self, data: dict, *, by, ip=None):
        from django.db.models import Q

        from fazhi.core.errors import DomainError
        from fazhi.core.models import Division
        from fazhi.legalservices.outreach.services import literate_save

        name = data["division"]
        division = Division.objects.filter(Q(name=name) | Q(code=name), is_active=True).first()
        if division is None:
            raise DomainError(f"没有名为“{name}”的行政区划", field="division")
        return literate_save(
            by=by,
            division=division,
            township=data["township"],
            village=data["village"],
            name=data["name"],
            id_number=data["id_number"],
            phone=data.get("phone") or "",
            occupation=data.get("occupation") or "",
            appointed_on=data.get("appointed_on"),
        )
