"""Excel import of the enforcement registry: agencies, power items with their discretion tiers, officers with
their certificates. Built on `fazhi.core.imports` (template, dry run, all-or-nothing, row errors).

An importer here keeps state between the rows of one file (the power item a continuation row belongs to),
so each run uses a fresh instance: `importer_for(key)`, never a shared one.
"""

import io

from openpyxl import load_workbook

from fazhi.core.errors import DomainError
from fazhi.core.imports import (
    Column,
    Importer,
    choice_parser,
    parse_day,
    parse_list,
    parse_text,
    register_job_importer,
    template_xlsx,
)
from fazhi.core.normalize import clean_text
from fazhi.registry import selectors, services
from fazhi.registry.models import Agency, DiscretionTier, PowerItem
from fazhi.registry.permissions import registry_actions

YES = {"是", "y", "Y", "yes", "YES", "true", "TRUE", "1", "√", "重大"}
NO = {"否", "n", "N", "no", "NO", "false", "FALSE", "0", ""}


def parse_bool(value) -> bool:
    text = clean_text(value)
    if text in YES:
        return True
    if text in NO:
        return False
    raise DomainError(f"“{text}”无效，应为“是”或“否”")


def parse_amount(value) -> str:
    """Amounts are checked by the service (non-negative, min ≤ max); here only the text is normalised."""
    return clean_text(value).replace(",", "").replace("，", "").removesuffix("元")


class RegistryImporter(Importer):
    """The registry's pages and import jobs ask the one predicate (the 本人 scope keeps no registry)."""

    unit = "行"

    def allowed(self, user) -> bool:
        return "manage" in registry_actions(user=user)


class AgencyImporter(RegistryImporter):
    key = "agencies"
    title = "执法主体"
    permission = "registry.manage"
    list_url_name = "registry:agency_list"
    columns = [
        Column(
            "单位全称", "unit", True, example="示例市市场监督管理局", help="须是组织机构中已有的单位（全称或唯一简称）"
        ),
        Column(
            "主体资格",
            "legal_status",
            True,
            parser=choice_parser(Agency.LEGAL_STATUSES),
            example="法定",
            help="法定、授权、委托",
        ),
        Column("委托机关", "entrusting_agency", example="", help="主体资格为“委托”时必填：委托机关的单位全称"),
        Column("管辖范围", "jurisdiction", example="示例市行政区域内"),
        Column("执法领域", "domains", parser=parse_list, example="市场监管、食品安全", help="多个用顿号分隔"),
    ]
    notes: list[str] = []

    def save_row(self, data, *, by, ip=None):
        unit = selectors.unit_for_agency_by_name(user=by, name=data["unit"], field="unit")
        entrusting = (
            selectors.agency_by_name(user=by, name=data["entrusting_agency"], field="entrusting_agency")
            if data["entrusting_agency"]
            else None
        )
        return services.agency_save(
            by=by,
            unit=unit,
            legal_status=data["legal_status"],
            entrusting_agency=entrusting,
            jurisdiction=data["jurisdiction"] or "",
            domains=data["domains"] or [],
            ip=ip,
        )


ITEM_FIELDS = ("name", "kind", "agency", "major", "effective_from")
BASIS_FIELDS = ("law", "article", "clause", "text")
TIER_FIELDS = (
    "level",
    "tier_name",
    "circumstances",
    "penalty_kinds",
    "fine_min",
    "fine_max",
    "multiple_min",
    "multiple_max",
)


class PowerItemImporter(RegistryImporter):
    """One row per discretion tier. The first row of an item carries the item columns and its first legal
    basis; the rows below it with the same 事项编码 (or 事项编码 left blank) add further tiers and bases."""

    key = "power-items"
    title = "权责清单事项"
    permission = "registry.manage"
    list_url_name = "registry:power_item_list"
    columns = [
        Column("事项编码", "code", example="330217001000", help="首行必填；同一事项的后续行可重复或留空"),
        Column(
            "事项名称", "name", example="对生产经营不符合食品安全标准的食品的行政处罚", help="首行必填，后续行可留空"
        ),
        Column(
            "事项类型",
            "kind",
            parser=choice_parser(PowerItem.KINDS),
            example="行政处罚",
            help="首行必填：" + "、".join(label for _, label in PowerItem.KINDS),
        ),
        Column("实施主体", "agency", example="示例市市场监督管理局", help="首行必填：执法主体的单位全称"),
        Column("重大执法决定", "major", parser=parse_bool, example="否", help="是 / 否（是：决定前须法制审核）"),
        Column("生效日期", "effective_from", parser=parse_day, example="2025-01-01", help="为空取导入当日"),
        Column(
            "法律法规名称", "law", example="《中华人民共和国食品安全法》", help="首行必填；后续行填写则追加一条依据"
        ),
        Column("条", "article", example="第一百二十四条"),
        Column("款/项", "clause", example="第一款第（一）项"),
        Column("条文", "text", example="违反本法规定，有下列情形之一，……"),
        Column(
            "裁量阶次",
            "level",
            parser=parse_text,
            example="一般",
            help="轻微、一般、较重、严重、其他；一行一个阶次，不设阶次的事项留空",
        ),
        Column("阶次名称", "tier_name", example="", help="本部门自定的阶次名称，可空"),
        Column("适用情形", "circumstances", example="货值金额不足一万元，初次违法"),
        Column(
            "处罚种类",
            "penalty_kinds",
            parser=parse_list,
            example="警告、罚款",
            help="多个用顿号分隔：《行政处罚法》第九条所列种类",
        ),
        Column("罚款下限（元）", "fine_min", parser=parse_amount, example="50000"),
        Column("罚款上限（元）", "fine_max", parser=parse_amount, example="80000"),
        Column("违法所得倍数下限", "multiple_min", parser=parse_amount, example=""),
        Column("违法所得倍数上限", "multiple_max", parser=parse_amount, example=""),
    ]
    notes = [
        "权责清单事项：一行一个裁量阶次。同一事项占连续多行：",
        "· 首行填写事项编码、事项名称、事项类型、实施主体、重大执法决定、生效日期，以及第一条执法依据和第一个阶次；",
        "· 后续行的事项列（编码、名称、类型、主体等）可重复填写或留空，只填阶次列即追加一个阶次；"
        "填写“法律法规名称”和“条”则追加一条执法依据；",
        "· 事项编码在该实施主体下已存在时，导入生成该事项的新版本（旧版本保留，已办案件仍适用旧版本）。",
    ]

    def __init__(self):
        self._head: PowerItem | None = None
        self._head_code = ""
        self._head_failed = False

    @staticmethod
    def _basis(data) -> list[dict]:
        if not (data["law"] or data["article"] or data["clause"] or data["text"]):
            return []
        return [
            {
                "law": data["law"] or "",
                "article": data["article"] or "",
                "clause": data["clause"] or "",
                "text": data["text"] or "",
            }
        ]

    @staticmethod
    def _tier(data) -> list[dict]:
        if not any(data[f] for f in TIER_FIELDS):
            return []
        return [
            {
                "level": data["level"] or "",
                "name": data["tier_name"] or "",
                "circumstances": data["circumstances"] or "",
                "penalty_kinds": data["penalty_kinds"] or [],
                "fine_min": data["fine_min"],
                "fine_max": data["fine_max"],
                "multiple_min": data["multiple_min"],
                "multiple_max": data["multiple_max"],
            }
        ]

    @staticmethod
    def _field(name: str) -> str:
        """A service field ("tiers.0.name", "legal_bases") as the column it came from."""
        parts = name.split(".")
        if parts[0] == "tiers" and len(parts) == 3:
            return "tier_name" if parts[2] == "name" else parts[2]
        if parts[0] == "legal_bases":
            return parts[2] if len(parts) == 3 else "law"
        return name

    def save_row(self, data, *, by, ip=None):
        code = data["code"] or ""
        continuation = not code or code == self._head_code
        try:
            if continuation:
                return self._continue(data, by=by, ip=ip)
            return self._start(data, by=by, ip=ip)
        except DomainError as exc:
            raise DomainError(exc.message, field=self._field(exc.field)) from None

    def _start(self, data, *, by, ip):
        self._head, self._head_code, self._head_failed = None, data["code"], True
        for f, label in (("name", "事项名称"), ("kind", "事项类型"), ("agency", "实施主体")):
            if not data[f]:
                raise DomainError(f"事项首行的{label}必填", field=f)
        agency = selectors.agency_by_name(user=by, name=data["agency"], field="agency")
        current = selectors.power_item_current_by_code(user=by, agency=agency, code=data["code"])
        item = services.power_item_save(
            by=by,
            agency=agency,
            code=data["code"],
            name=data["name"],
            kind=data["kind"],
            major=bool(data["major"]),
            legal_bases=self._basis(data),
            tiers=self._tier(data),
            effective_from=data["effective_from"],
            instance=current,
            ip=ip,
        )
        self._head, self._head_failed = item, False
        return item

    def _continue(self, data, *, by, ip):
        if self._head is None:
            if self._head_failed:
                raise DomainError(f"所属事项“{self._head_code}”的首行有错误，本行未导入", field="code")
            raise DomainError("事项编码必填（第一行须是事项首行）", field="code")
        bases, tiers = self._basis(data), self._tier(data)
        if not bases and not tiers:
            raise DomainError("续行须填写裁量阶次或执法依据", field="level")
        return services.power_item_extend(by=by, item=self._head, legal_bases=bases, tiers=tiers, ip=ip)


class OfficerImporter(RegistryImporter):
    key = "officers"
    title = "执法人员"
    permission = "registry.manage"
    list_url_name = "registry:officer_list"
    columns = [
        Column("姓名", "name", True, example="张三"),
        Column("身份证号", "id_number", True, example="110101199003070038", help="18 位，GB 11643 校验"),
        Column("所属执法主体", "agency", True, example="示例市市场监督管理局", help="执法主体的单位全称"),
        Column("职务/岗位", "post", example="执法大队队员"),
        Column("执法证编号", "cert_number", example="43990020250001", help="填写则须同时填写有效期起止"),
        Column("发证机关", "cert_issuer", example="示例市人民政府"),
        Column("有效期起", "cert_valid_from", parser=parse_day, example="2025-01-01"),
        Column("有效期止", "cert_valid_to", parser=parse_day, example="2030-12-31"),
    ]
    notes = ["身份证号已登记的人员不能重复导入；人员调动请在执法人员页面修改所属执法主体。"]

    def save_row(self, data, *, by, ip=None):
        agency = selectors.agency_by_name(user=by, name=data["agency"], field="agency")
        officer = services.officer_save(
            by=by, agency=agency, name=data["name"], id_number=data["id_number"], post=data["post"] or "", ip=ip
        )
        has_cert = data["cert_number"] or data["cert_valid_from"] or data["cert_valid_to"]
        if has_cert:
            if not data["cert_number"]:
                raise DomainError("填写了有效期时须填写执法证编号", field="cert_number")
            try:
                services.certificate_save(
                    by=by,
                    officer=officer,
                    number=data["cert_number"],
                    issuer=data["cert_issuer"] or "",
                    valid_from=data["cert_valid_from"],
                    valid_to=data["cert_valid_to"],
                    ip=ip,
                )
            except DomainError as exc:
                raise DomainError(exc.message, field=f"cert_{exc.field}") from None
        return officer


IMPORTERS: dict[str, type[Importer]] = {
    "agencies": AgencyImporter,
    "power-items": PowerItemImporter,
    "officers": OfficerImporter,
}


for _key, _cls in IMPORTERS.items():
    register_job_importer(f"registry:{_key}", _cls)  # a fresh importer for each job, as for each page


def importer_for(key: str) -> Importer | None:
    cls = IMPORTERS.get(key)
    return cls() if cls else None


def registry_template_xlsx(importer: Importer) -> bytes:
    """The core template plus this importer's own notes on the 说明 sheet (and for power items a second
    example row showing a continuation row)."""
    book = load_workbook(io.BytesIO(template_xlsx(importer)))
    notes = book["说明"]
    row = notes.max_row + 2
    for line in getattr(importer, "notes", []):
        notes.cell(row=row, column=1, value=line)
        row += 1
    if isinstance(importer, PowerItemImporter):
        sheet = book.worksheets[0]
        example = {
            "level": DiscretionTier.LEVELS[2][1],
            "circumstances": "货值金额一万元以上或者两次以上违法",
            "penalty_kinds": "罚款、没收违法所得",
            "fine_min": "80000",
            "fine_max": "100000",
        }
        for c, col in enumerate(importer.columns, start=1):
            sheet.cell(row=3, column=c, value=example.get(col.field, ""))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
