"""The Word documents of a case-file review (GB/T 9704 through fazhi.documents): the score sheet of a file
(评查评分表), the campaign report (评查情况报告: charts of the mean score per agency and of the grades, a ranking
table), and the 评查意见书 to an agency. Built from plain values; the services store them (document_store)."""

import datetime as dt
import io
from decimal import Decimal

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from fazhi.documents.charts import bar_chart
from fazhi.documents.gongwen import FONT_BODY, Figure, Gongwen, gongwen_docx
from fazhi.supervision.reviews import rules

TABLE_FONT_SIZE = Pt(12)  # 小四: a table of six columns fits the 156 mm text block


def _n(value) -> str:
    if value is None:
        return "—"
    return rules.pts(value)


def _table_marker(key: str) -> str:
    return f"〔表格：{key}〕"


def with_tables(docx: bytes, tables: dict[str, tuple[list[str], list[list]]]) -> bytes:
    """Replace each marker paragraph (`_table_marker(key)` in the body) with a bordered table of `headers` and
    `rows`, in the body font. fazhi.documents lays out paragraphs and figures only; tables are added here."""
    doc = Document(io.BytesIO(docx))
    for paragraph in list(doc.paragraphs):
        key = next((k for k in tables if paragraph.text.strip() == _table_marker(k)), None)
        if key is None:
            continue
        headers, rows = tables[key]
        table = doc.add_table(rows=1 + len(rows), cols=len(headers))
        table.style = doc.styles["Table Grid"]
        for r, values in enumerate([headers, *rows]):
            for c, value in enumerate(values):
                cell = table.cell(r, c)
                cell.text = ""
                run = cell.paragraphs[0].add_run("" if value is None else str(value))
                run.font.size = TABLE_FONT_SIZE
                run.font.bold = r == 0 or None
                fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
                for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
                    fonts.set(qn(attr), FONT_BODY)
        header_row = table.rows[0]._tr.get_or_add_trPr()
        repeat = OxmlElement("w:tblHeader")  # the header row repeats on each page
        header_row.append(repeat)
        paragraph._p.addnext(table._tbl)
        paragraph._p.getparent().remove(paragraph._p)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _cn(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def score_sheet_docx(
    *,
    campaign,
    file,
    case,
    agency_name: str,
    reviewers: list[str],
    sections: list[dict],
    vetoes: list[dict],
    deductions: list[dict],
    score: Decimal,
    grade: str,
    resolution: str,
    issuer: str,
    today: dt.date,
) -> bytes:
    """评查评分表 of one file. `sections`: [{"code","group","title","points","score"}]; `vetoes` / `deductions`:
    [{"code","title","points","defects","note","citation","reason"}] of the lines that count."""
    body = [
        f"案号：{case.number}。案由：{case.title}。办案机关：{agency_name}。决定日期：{_cn(case.decided_on) or '—'}。",
        f"评查活动：{campaign.name}；评查标准：{campaign.rubric}；抽取序号：{file.position}"
        f"（{file.get_reason_display()}）；评查人员：{'、'.join(reviewers) or '—'}。",
        "一、否决项",
    ]
    if vetoes:
        for i, v in enumerate(vetoes, 1):
            source = f"（依据：{v['citation']}）" if v.get("citation") else ""
            body.append(f"{i}．{v['code']} {v['title']}：不符合。{v.get('note') or ''}{source}")
    else:
        body.append("否决项均符合要求。")
    body += ["二、评分情况", _table_marker("sections"), "三、扣分明细"]
    if deductions:
        for i, d in enumerate(deductions, 1):
            source = f"依据：{d['citation']}。" if d.get("citation") else ""
            note = f"{d['note']}。" if d.get("note") else ""
            body.append(f"{i}．{d['code']} {d['title']}：{d['defects']} 处，扣 {_n(d['points'])} 分。{note}{source}")
    else:
        body.append("未发现扣分问题。")
    conclusion = f"四、评查结论：得分 {_n(score)} 分，等次为“{rules.GRADE_LABELS.get(grade, grade)}”。"
    body.append(conclusion)
    if resolution:
        body.append(f"评查组长裁定：{resolution}")
    spec = Gongwen(
        title="行政执法案卷评查评分表",
        body=body,
        signature=issuer,
        date=today,
    )
    rows = [[s["group"], f"{s['code']} {s['title']}", _n(s["points"]), _n(s["score"])] for s in sections]
    rows.append(["合计", "", _n(sum((s["points"] for s in sections), Decimal(0))), _n(score)])
    return with_tables(gongwen_docx(spec), {"sections": (["类别", "分部", "分值", "得分"], rows)})


def campaign_report_docx(
    *,
    campaign,
    agencies: list[str],
    summary: list[dict],
    totals: dict,
    defects: list[dict],
    sample: dict | None,
    issuer: str,
    today: dt.date,
) -> bytes:
    """评查情况报告: scope and sample, results with two charts, the ranking table, the most frequent defects."""
    period = f"{_cn(campaign.period_start)}至{_cn(campaign.period_end)}"
    body = [
        "一、基本情况",
        f"根据评查工作安排，{issuer}组织开展{campaign.name}。评查范围为{'、'.join(agencies)}"
        f"在{period}作出决定的案卷，评查标准为{campaign.rubric}。",
    ]
    if sample:
        body.append(
            f"案卷按“{sample['algorithm']}”算法随机抽取：候选案卷 {sample['candidate_count']} 件，"
            f"每个单位至少抽取 {campaign.min_per_agency} 件或其案卷的 {rules.pts(campaign.percent)}%"
            f"{'，法定校验预警的案卷全部纳入' if campaign.include_flagged else ''}；抽取前公布承诺值 {sample['commitment']}，"
            "抽取后公开随机种子，任何人可按公布的数据复算。"
        )
    body += [
        "二、评查结果",
        f"共评查案卷 {totals['files']} 件，已定稿 {totals['final']} 件，平均得分 {_n(totals['mean'])} 分；"
        f"其中优秀 {totals['excellent']} 件、合格 {totals['pass']} 件、不合格 {totals['fail']} 件。",
    ]
    ranked = [r for r in summary if r["mean"] is not None]
    if ranked:
        body.append(
            Figure(
                bar_chart([r["agency"] for r in ranked], [float(r["mean"]) for r in ranked], "各单位案卷平均分"),
                caption="图1  各单位案卷平均分",
            )
        )
        body.append(
            Figure(
                bar_chart(
                    ["优秀", "合格", "不合格"], [totals["excellent"], totals["pass"], totals["fail"]], "案卷等次分布"
                ),
                caption="图2  案卷等次分布",
            )
        )
    body += ["三、各单位排名", _table_marker("ranking"), "四、主要问题"]
    if defects:
        for i, d in enumerate(defects[:10], 1):
            body.append(f"{i}．{d['code']} {d['title']}：{d['files']} 件案卷存在此问题。")
    else:
        body.append("评查未发现共性问题。")
    body += [
        "五、下一步工作",
        f"对评查发现的问题，{issuer}将向各被评查单位分别印发案卷评查意见书，被评查单位应自收到之日起"
        f" {rules.rectification_days()} 日内完成整改并报送整改情况。",
    ]
    doc = gongwen_docx(Gongwen(title=f"{campaign.name}情况报告", body=body, signature=issuer, date=today))
    rows = [
        [r["rank"] or "—", r["agency"], r["final"], _n(r["mean"]), r["excellent"], r["pass"], r["fail"]]
        for r in summary
    ]
    return with_tables(doc, {"ranking": (["名次", "单位", "案卷数", "平均分", "优秀", "合格", "不合格"], rows)})


def opinion_docx(
    *,
    campaign,
    agency_name: str,
    number: str,
    files: list[dict],
    issuer: str,
    deadline: dt.date | None,
    today: dt.date,
) -> bytes:
    """案卷评查意见书 to one agency: each of its files' result and defects, and the rectification required.
    `files`: [{"number","title","score","grade","lines": [{"code","title","points","note","kind"}]}]."""
    body = [
        f"根据{campaign.name}安排，{issuer}依据{campaign.rubric}对你单位 {len(files)} 件行政执法案卷进行了评查。"
        "现将评查意见通知如下：",
        "一、评查结果",
        _table_marker("results"),
        "二、存在的问题",
    ]
    n = 0
    for f in files:
        for line in f["lines"]:
            n += 1
            if line["kind"] == "veto":
                what = "否决项不符合"
            else:
                what = f"扣 {_n(line['points'])} 分"
            note = f"：{line['note']}" if line.get("note") else ""
            body.append(f"{n}．案卷{f['number']}，{line['code']} {line['title']}（{what}）{note}。")
    if n == 0:
        body.append("本次评查未发现问题。")
    body += [
        "三、整改要求",
        "请你单位对上述问题逐项整改，举一反三完善执法程序和案卷管理"
        + (f"，并于{_cn(deadline)}前将整改情况报送{issuer}。" if deadline else "。"),
    ]
    doc = gongwen_docx(
        Gongwen(
            title="行政执法案卷评查意见书",
            number=number,
            recipients=agency_name,
            body=body,
            signature=issuer,
            date=today,
        )
    )
    rows = [[f["number"], f["title"], _n(f["score"]), rules.GRADE_LABELS.get(f["grade"], "")] for f in files]
    return with_tables(doc, {"results": (["案号", "案由", "得分", "等次"], rows)})
