"""Demo data of the enforcement registry: agencies, power lists with discretion tiers, officers, certificates,
training. Deterministic (dates relative to the day the demo is built) and idempotent (natural keys).
"""

import datetime as dt

from django.utils import timezone
from stdnum.cn import ric

from fazhi.core.models import Unit
from fazhi.registry.models import Agency, Certificate, ListEntry, Officer, PowerItem
from fazhi.registry.services import (
    agency_save,
    certificate_save,
    certificates_expiry_scan,
    list_entry_save,
    officer_save,
    power_item_save,
    training_record_save,
)

FOOD = "《中华人民共和国食品安全法》"
PRODUCT = "《中华人民共和国产品质量法》"
AIR = "《中华人民共和国大气污染防治法》"
WATER = "《中华人民共和国水污染防治法》"
CITY = "《城市市容和环境卫生管理条例》"
ROAD = "《城市道路管理条例》"
PENALTY_LAW = "《中华人民共和国行政处罚法》"

DOMAINS = {
    "市场监督管理局": ["市场监管", "食品安全", "产品质量", "特种设备"],
    "生态环境局": ["生态环境保护", "大气污染防治", "水污染防治"],
    "城市管理综合执法局": ["市容环境卫生", "市政公用", "城乡规划"],
    "住房和城乡建设局": ["建筑市场", "房地产市场"],
    "交通运输局": ["道路运输", "交通工程"],
    "人力资源和社会保障局": ["劳动保障监察"],
    "卫生健康委员会": ["医疗卫生", "公共卫生"],
    "教育局": ["教育"],
    "文化旅游广电体育局": ["文化市场", "旅游市场"],
    "商务局": ["商贸流通"],
    "应急管理局": ["安全生产"],
    "自然资源和规划局": ["自然资源", "国土空间规划"],
    "农业农村局": ["农业综合执法"],
    "水利局": ["水政监察"],
    "医疗保障局": ["医疗保障基金监管"],
}


def _basis(law, article, clause="", text=""):
    return {"law": law, "article": article, "clause": clause, "text": text}


def _tier(level, circumstances, kinds, fine=(None, None), multiple=(None, None), name=""):
    return {
        "level": level,
        "name": name,
        "circumstances": circumstances,
        "penalty_kinds": kinds,
        "fine_min": fine[0],
        "fine_max": fine[1],
        "multiple_min": multiple[0],
        "multiple_max": multiple[1],
    }


# (agency unit, code, name, kind, major, bases, tiers)
POWER_ITEMS = [
    (
        "示例市市场监督管理局",
        "330217124000",
        "对生产经营不符合食品安全标准的食品等行为的行政处罚",
        "penalty",
        True,
        [
            _basis(
                FOOD,
                "第一百二十四条",
                "第一款",
                "违反本法规定，有下列情形之一，尚不构成犯罪的，由县级以上人民政府食品安全监督管理部门没收违法所得和违法"
                "生产经营的食品、食品添加剂，并可以没收用于违法生产经营的工具、设备、原料等物品；违法生产经营的食品、"
                "食品添加剂货值金额不足一万元的，并处五万元以上十万元以下罚款；货值金额一万元以上的，并处货值金额十倍"
                "以上二十倍以下罚款；情节严重的，吊销许可证……",
            )
        ],
        [
            _tier(
                "ordinary",
                "货值金额不足一万元，初次违法，及时停止并召回",
                ["没收违法所得", "没收非法财物", "罚款"],
                fine=(50000, 70000),
            ),
            _tier(
                "serious",
                "货值金额不足一万元，两次以上违法或者拒不召回",
                ["没收违法所得", "没收非法财物", "罚款"],
                fine=(70000, 100000),
            ),
            _tier(
                "grave",
                "货值金额一万元以上（按货值金额倍数计罚），情节严重的吊销许可证",
                ["没收违法所得", "没收非法财物", "罚款", "吊销许可证件"],
                multiple=(10, 20),
            ),
        ],
    ),
    (
        "示例市市场监督管理局",
        "330217126000",
        "对食品生产经营者未按规定建立并执行进货查验记录等制度的行政处罚",
        "penalty",
        False,
        [
            _basis(
                FOOD,
                "第一百二十六条",
                "第一款",
                "违反本法规定，有下列情形之一的，由县级以上人民政府食品安全监督管理部门责令改正，给予警告；拒不改正的，"
                "处五千元以上五万元以下罚款；情节严重的，责令停产停业，直至吊销许可证……",
            )
        ],
        [
            _tier("minor", "首次发现，责令改正后及时改正", ["警告"]),
            _tier("ordinary", "责令改正后拒不改正", ["罚款"], fine=(5000, 20000)),
            _tier("serious", "拒不改正且造成不良影响", ["罚款"], fine=(20000, 50000)),
            _tier("grave", "情节严重", ["责令停产停业", "吊销许可证件"]),
        ],
    ),
    (
        "示例市市场监督管理局",
        "330217049000",
        "对生产、销售不符合保障人体健康和人身、财产安全的国家标准、行业标准的产品的行政处罚",
        "penalty",
        True,
        [
            _basis(
                PRODUCT,
                "第四十九条",
                "",
                "生产、销售不符合保障人体健康和人身、财产安全的国家标准、行业标准的产品的，责令停止生产、销售，没收违法"
                "生产、销售的产品，并处违法生产、销售产品（包括已售出和未售出的产品，下同）货值金额等值以上三倍以下的"
                "罚款；有违法所得的，并处没收违法所得；情节严重的，吊销营业执照……",
            )
        ],
        [
            _tier(
                "ordinary",
                "货值金额较小，主动停止销售（倍数为货值金额倍数）",
                ["没收非法财物", "罚款", "没收违法所得"],
                multiple=(1, 1.5),
            ),
            _tier(
                "serious",
                "货值金额较大或者造成一定危害后果（倍数为货值金额倍数）",
                ["没收非法财物", "罚款", "没收违法所得"],
                multiple=("1.5", "2.5"),
            ),
            _tier(
                "grave",
                "造成人身伤害或者重大财产损失（倍数为货值金额倍数）",
                ["没收非法财物", "罚款", "没收违法所得", "吊销许可证件"],
                multiple=("2.5", 3),
            ),
        ],
    ),
    (
        "示例市市场监督管理局",
        "330217110000",
        "食品生产经营监督检查",
        "inspection",
        False,
        [
            _basis(
                FOOD,
                "第一百一十条",
                "",
                "县级以上人民政府食品安全监督管理部门履行食品安全监督管理职责，有权采取下列措施，"
                "对生产经营者遵守本法的情况进行监督检查……",
            )
        ],
        [],
    ),
    (
        "示例市市场监督管理局",
        "330217035000",
        "食品经营许可",
        "licence",
        False,
        [_basis(FOOD, "第三十五条", "第一款", "国家对食品生产经营实行许可制度……")],
        [],
    ),
    (
        "示例市生态环境局",
        "330220099000",
        "对未依法取得排污许可证排放大气污染物等行为的行政处罚",
        "penalty",
        True,
        [
            _basis(
                AIR,
                "第九十九条",
                "",
                "违反本法规定，有下列行为之一的，由县级以上人民政府生态环境主管部门责令改正或者限制生产、停产整治，并处"
                "十万元以上一百万元以下的罚款；情节严重的，报经有批准权的人民政府批准，责令停业、关闭：（一）未依法取得"
                "排污许可证排放大气污染物的；（二）超过大气污染物排放标准或者超过重点大气污染物排放总量控制指标排放大气"
                "污染物的；（三）通过逃避监管的方式排放大气污染物的。",
            )
        ],
        [
            _tier("ordinary", "超标倍数小于 0.5 倍，及时整改", ["罚款"], fine=(100000, 400000)),
            _tier("serious", "超标倍数 0.5 倍以上 1 倍以下，或者一年内再次违法", ["罚款"], fine=(400000, 700000)),
            _tier(
                "grave",
                "超标 1 倍以上或者通过逃避监管的方式排放",
                ["罚款", "责令停产停业", "责令关闭"],
                fine=(700000, 1000000),
            ),
        ],
    ),
    (
        "示例市生态环境局",
        "330220083000",
        "对超标或者超总量排放水污染物等行为的行政处罚",
        "penalty",
        True,
        [
            _basis(
                WATER,
                "第八十三条",
                "",
                "违反本法规定，有下列行为之一的，由县级以上人民政府环境保护主管部门责令改正或者责令限制生产、停产整治，"
                "并处十万元以上一百万元以下的罚款；情节严重的，报经有批准权的人民政府批准，责令停业、关闭……",
            )
        ],
        [
            _tier("ordinary", "超标倍数小于 0.5 倍", ["罚款"], fine=(100000, 400000)),
            _tier("grave", "超标 1 倍以上或者私设暗管", ["罚款", "责令停产停业", "责令关闭"], fine=(700000, 1000000)),
        ],
    ),
    (
        "示例市生态环境局",
        "330220029000",
        "排污单位现场检查",
        "inspection",
        False,
        [
            _basis(
                AIR,
                "第二十九条",
                "",
                "生态环境主管部门及其环境执法机构和其他负有大气环境保护监督管理职责的部门，"
                "有权通过现场检查监测、自动监测、遥感监测、远红外摄像等方式，对排放大气污染物的企业事业单位和其他生产"
                "经营者进行监督检查……",
            )
        ],
        [],
    ),
    (
        "示例市城市管理综合执法局",
        "330219034000",
        "对随意倾倒、抛撒或者堆放垃圾等行为的行政处罚",
        "penalty",
        False,
        [
            _basis(
                CITY,
                "第三十四条",
                "",
                "有下列行为之一者，城市人民政府市容环境卫生行政主管部门或者其委托的单位除责令其"
                "纠正违法行为、采取补救措施外，可以并处警告、罚款……",
            )
        ],
        [
            _tier("minor", "初次违法，当场改正", ["警告"]),
            _tier("ordinary", "拒不改正", ["罚款"], fine=(50, 200)),
            _tier("serious", "多次违法或者影响较大", ["罚款"], fine=(200, 500)),
        ],
    ),
    (
        "示例市城市管理综合执法局",
        "330219042000",
        "对擅自占用或者挖掘城市道路的行政处罚",
        "penalty",
        False,
        [
            _basis(
                ROAD,
                "第四十二条",
                "",
                "违反本条例第二十七条规定，或者有下列行为之一的，由市政工程行政主管部门或者其他有关部门责令限期改正，"
                "可以处以2万元以下的罚款；造成损失的，应当依法承担赔偿责任……",
            )
        ],
        [
            _tier("ordinary", "占用面积较小，限期内改正", ["罚款"], fine=(500, 5000)),
            _tier("serious", "占用面积较大或者逾期不改正", ["罚款"], fine=(5000, 20000)),
        ],
    ),
]

LIST_ENTRIES = [
    (
        "示例市市场监督管理局",
        "330217126000",
        "exempt",
        "初次未按规定建立进货查验记录，危害后果轻微并及时改正的（首违不罚）",
        f"{PENALTY_LAW}第三十三条第一款",
    ),
    (
        "示例市市场监督管理局",
        None,
        "mitigate",
        "主动消除或者减轻违法行为危害后果的",
        f"{PENALTY_LAW}第三十二条第（一）项",
    ),
    (
        "示例市生态环境局",
        None,
        "mitigate",
        "配合生态环境主管部门查处违法行为有立功表现的",
        f"{PENALTY_LAW}第三十二条第（三）项",
    ),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "强",
    "磊",
    "洋",
    "艳",
    "勇",
    "军",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "建华",
    "志强",
    "海燕",
    "晓东",
    "丽华",
    "文斌",
    "春梅",
]
POSTS = ["执法大队大队长", "执法大队队员", "法制审核员", "执法科科长", "执法队员"]
PLACES = ["430102", "430103", "430104", "430105", "430111", "430121", "430202", "430302", "430602"]


def id_number(seq: int) -> str:
    """A GB 11643 number with a correct check digit, derived from `seq` (demo only, fictitious people)."""
    place = PLACES[seq % len(PLACES)]
    birth = dt.date(1985, 1, 1) + dt.timedelta(days=(seq * 397) % 5400)
    body = f"{place}{birth:%Y%m%d}{seq % 100:02d}{seq % 10}"
    return body + ric.calc_check_digit(body + "0")


def _agency_units() -> list[Unit]:
    return list(Unit.objects.filter(kind="agency", is_active=True).order_by("path", "sort_order", "id"))


def _domains(unit: Unit) -> list[str]:
    for suffix, names in DOMAINS.items():
        if unit.name.endswith(suffix) or suffix in unit.name:
            return names
    return []


def build_agencies() -> dict[str, Agency]:
    agencies = {}
    for unit in _agency_units():
        agency = Agency.objects.filter(unit=unit).first()
        if agency is None:
            # Branches of city agencies (分局) act by authorisation of law (派出机构); the rest by law.
            branch = unit.parent is not None and unit.parent.kind == "agency"
            agency = agency_save(
                by=None,
                unit=unit,
                legal_status="authorised" if branch else "statutory",
                jurisdiction=f"{unit.division.name}行政区域",
                domains=_domains(unit),
            )
        agencies[unit.name] = agency
    # A street office entrusted by the district 城管 (《行政处罚法》第二十条).
    street = Unit.objects.filter(name="东城区城关街道办事处").first()
    principal = agencies.get("东城区城市管理综合执法局")
    if street and principal:
        agency = Agency.objects.filter(unit=street).first() or agency_save(
            by=None,
            unit=street,
            legal_status="entrusted",
            entrusting_agency=principal,
            jurisdiction="城关街道辖区",
            domains=["市容环境卫生"],
        )
        agencies[street.name] = agency
    return agencies


def build_power_items(agencies: dict[str, Agency]) -> None:
    start = dt.date(timezone.localdate().year, 1, 1)
    for unit_name, code, name, kind, major, bases, tiers in POWER_ITEMS:
        agency = agencies.get(unit_name)
        if agency is None or PowerItem.objects.filter(agency=agency, code=code).exists():
            continue
        power_item_save(
            by=None,
            agency=agency,
            code=code,
            name=name,
            kind=kind,
            major=major,
            legal_bases=bases,
            tiers=tiers,
            effective_from=start,
        )
    # One edited item, so that the version history shows: v1 (old range) was replaced by v2.
    item = PowerItem.objects.filter(agency=agencies.get("示例市城市管理综合执法局"), code="330219042000").first()
    if item is not None and item.version == 1 and item.is_current:
        power_item_save(
            by=None,
            agency=item.agency,
            code=item.code,
            name=item.name,
            kind=item.kind,
            major=item.major,
            instance=item,
            effective_from=start + dt.timedelta(days=90),
        )
    for unit_name, code, kind, circumstances, basis in LIST_ENTRIES:
        agency = agencies.get(unit_name)
        if agency is None or ListEntry.objects.filter(agency=agency, circumstances=circumstances).exists():
            continue
        item = PowerItem.objects.filter(agency=agency, code=code, is_current=True).first() if code else None
        list_entry_save(
            by=None, agency=agency, kind=kind, circumstances=circumstances, legal_basis=basis, power_item=item
        )


def build_officers(agencies: dict[str, Agency], users: dict) -> None:
    today = timezone.localdate()
    seq = 0
    for a_index, agency in enumerate(a for a in agencies.values() if a.legal_status != "entrusted"):
        for k in range(5):
            seq += 1
            number = id_number(seq)
            officer = Officer.objects.filter(id_number=number).first()
            if officer is None:
                name = SURNAMES[(seq * 7) % len(SURNAMES)] + GIVEN[(seq * 5) % len(GIVEN)]
                officer = officer_save(by=None, agency=agency, name=name, id_number=number, post=POSTS[k])
            cert_no = f"4399{a_index + 1:03d}{2021 + k % 4}{seq:04d}"
            if not Certificate.objects.filter(number=cert_no).exists():
                # Every officer holds a valid certificate, except the patterns the demo shows: in 市场监管局 the
                # third expires within 30 days and the fifth has been suspended; elsewhere the fifth has lapsed.
                valid_from = today - dt.timedelta(days=365 * (1 + k % 4) + a_index)
                valid_to = valid_from + dt.timedelta(days=365 * 5)
                status = "active"
                if agency.unit.name == "示例市市场监督管理局" and k == 2:
                    valid_to = today + dt.timedelta(days=20)
                elif agency.unit.name == "示例市市场监督管理局" and k == 4:
                    status = "suspended"
                elif k == 4 and a_index % 3 == 1:
                    valid_to = today - dt.timedelta(days=15)
                certificate_save(
                    by=None,
                    officer=officer,
                    number=cert_no,
                    issuer="示例市人民政府",
                    valid_from=valid_from,
                    valid_to=valid_to,
                    status=status,
                )
            for year, hours in ((today.year - 1, 36 + (seq * 3) % 30), (today.year, (seq * 7) % 45)):
                training_record_save(
                    by=None,
                    officer=officer,
                    year=year,
                    hours=hours,
                    exam_score=70 + (seq * 11) % 30 if year < today.year else None,
                )
    # The demo login `officer` (陈执法, 市场监管局) is the first officer there, with a valid certificate.
    user = users.get("officer")
    market = agencies.get("示例市市场监督管理局")
    if user is not None and market is not None and not Officer.objects.filter(user=user).exists():
        first = Officer.objects.filter(agency=market).order_by("id").first()
        if first is not None:
            officer_save(
                by=None,
                agency=market,
                name=user.name or first.name,
                id_number=first.id_number,
                post=first.post,
                user=user,
                instance=first,
            )


def build_registry(*, units: dict, users: dict) -> None:
    agencies = build_agencies()
    build_power_items(agencies)
    build_officers(agencies, users)
    certificates_expiry_scan(timezone.localdate())
