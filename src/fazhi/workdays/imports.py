"""Excel import of a year's holiday schedule through the generic importer of fazhi.core.imports
(upload, dry-run preview, all-or-nothing write, error list): columns 日期 | 类型（休息/上班）| 名称."""

from fazhi.core import imports
from fazhi.core.imports import Column, Importer, parse_day
from fazhi.workdays.forms import parse_is_working_day


class CalendarImporter(Importer):
    key = "calendar"
    title = "节假日安排"
    permission = "calendar.manage"
    list_url_name = "workdays:override_list"
    columns = [
        Column(
            "日期",
            "date",
            True,
            parser=parse_day,
            example="2027-10-01",
            help="2027-10-01、2027/10/1 或 2027年10月1日；2000 至 2060 年",
        ),
        Column(
            "类型",
            "is_working_day",
            True,
            parser=parse_is_working_day,
            example="休息",
            help="休息（节假日）或 上班（调休上班的周末）",
        ),
        Column("名称", "name", True, example="国庆节", help="例：春节、国庆节、国庆节调休上班"),
    ]

    def save_row(self, data, *, by, ip=None):
        from fazhi.workdays.services import override_import_row

        return override_import_row(
            by=by, date=data["date"], is_working_day=data["is_working_day"], name=data["name"], ip=ip
        )


imports.register(CalendarImporter())
