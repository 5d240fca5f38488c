"""Pure rules of 季度通报 and 法治政府建设年度报告: quarters, the annual report's parts and deadline, and the states a
report goes through. No I/O.

The annual-report rule (domain.md): every department above county level reports its rule-of-law government work of
the year to its 党委 and government by 1 March; the county/city government to the 党委 and 人大常委会 and the higher
government; published on the portal after a confidentiality check; five parts.
"""

import datetime as dt

ANNUAL_REPORT_SOURCE = "《法治政府建设与责任落实督察工作规定》：每年3月1日前报送上一年度法治政府建设情况报告"
ANNUAL_REPORT_CITATION = (
    "《法治政府建设与责任落实督察工作规定》（2019年）：县级以上政府部门每年3月1日前向本级党委和政府报告上一年度"
    "法治政府建设情况，报告通过报刊、网站等向社会公开"
)
BULLETIN_POLICY = "法治政府建设季度通报制度：每季度通报法治政府建设情况，并纳入年底考核（地方做法）"
DEADLINE_MONTH, DEADLINE_DAY = 3, 1

BULLETIN, ANNUAL = "bulletin", "annual"
KINDS = [(BULLETIN, "季度通报"), (ANNUAL, "法治政府建设年度报告")]

GOVERNMENT, DEPARTMENT = "government", "department"
SUBJECTS = [(GOVERNMENT, "政府"), (DEPARTMENT, "部门")]

DRAFT, REVIEW, APPROVED, PUBLISHED = "draft", "review", "approved", "published"
STATUSES = [(DRAFT, "草稿"), (REVIEW, "待审核"), (APPROVED, "已批准"), (PUBLISHED, "已发布")]
EDITABLE = (DRAFT,)

# The five parts of an annual report (domain.md), in order.
ANNUAL_PARTS = [
    ("measures", "一、推进法治政府建设的主要举措和成效"),
    ("shortcomings", "二、存在的不足和原因"),
    ("leaders", "三、党政主要负责人履行推进法治建设第一责任人职责情况"),
    ("plan", "四、下一年度推进法治政府建设的主要安排"),
    ("other", "五、其他需要报告的情况"),
]
BULLETIN_PARTS = [
    ("overview", "一、总体情况"),
    ("figures", "二、各单位主要工作数据"),
    ("ranking", "三、考核排名"),
    ("problems", "四、发现的主要问题"),
    ("requirements", "五、下一步工作要求"),
]
TEXT_MAX = 20000


def annual_deadline(year: int) -> dt.date:
    """The report on `year` is due by 1 March of the next year."""
    return dt.date(year + 1, DEADLINE_MONTH, DEADLINE_DAY)


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_range(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * (quarter - 1) + 1, 1)
    end_month = 3 * quarter
    end = dt.date(year + (end_month == 12), 1 if end_month == 12 else end_month + 1, 1) - dt.timedelta(days=1)
    return start, end


def previous_quarter(today: dt.date) -> tuple[int, int]:
    """The last quarter that has ended by `today`."""
    year, quarter = quarter_of(today)
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def quarter_label(year: int, quarter: int) -> str:
    return f"{year}年第{'一二三四'[quarter - 1]}季度"


def publish_problem(status: str) -> str:
    """Why a report may not be published in this state ("" when it may)."""
    if status == PUBLISHED:
        return "报告已发布"
    if status != APPROVED:
        return "年度报告尚未审核批准，不能发布：请先提交审核并经批准"
    return ""
