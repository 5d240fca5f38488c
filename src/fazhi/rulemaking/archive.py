"""决策档案 (《重大行政决策程序暂行条例》第三十三条): one zip with every step's attachments and generated documents,
an index (xlsx: the timeline with each step's article, the procedure, the public comments), and a manifest of the SM3
of every file in it. A read: it writes nothing."""

import hashlib
import io
import zipfile

from django.utils import timezone

from fazhi.core.masking import mask_name
from fazhi.documents.models import GeneratedDocument
from fazhi.rulemaking import rules, selectors
from fazhi.rulemaking.models import MajorDecision
from fazhi.tracking.selectors import item_timeline

MANIFEST = "SM3清单.txt"


def _sm3(data: bytes) -> str:
    return hashlib.new("sm3", data).hexdigest()


def _safe(name: str) -> str:
    return "".join("_" if c in '\\/:*?"<>|' else c for c in name).strip() or "附件"


def _index(decision: MajorDecision, events, files: dict[int, str]) -> bytes:
    """The index workbook: the timeline, the procedure and the comments (one sheet each, in one file)."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})

    def sheet(name, headers, rows):
        ws = book.add_worksheet(name)
        ws.write_row(0, 0, headers, bold)
        for r, row in enumerate(rows, start=1):
            ws.write_row(r, 0, ["" if v is None else str(v) for v in row])
        ws.set_column(0, len(headers) - 1, 18)
        ws.freeze_panes(1, 0)

    sheet(
        "时间线",
        ["序号", "时间", "办理人", "单位", "操作", "说明", "依据", "附件", "附件SM3", "事件SM3"],
        (
            (
                e.seq,
                timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M"),
                e.actor_name,
                e.actor_unit,
                e.action_label,
                e.comment,
                (e.data or {}).get("citation", "") or (e.data or {}).get("basis", ""),
                "；".join(files.get(a.pk, a.name) for a in e.attachments.all()),
                "；".join(a.sm3 for a in e.attachments.all()),
                e.hash,
            )
            for e in events
        ),
    )
    sheet(
        "决策程序",
        ["步骤", "是否适用", "是否完成", "不适用的理由", "依据"],
        (
            (s.label, "是" if s.required else "否", "是" if s.done else "否", s.omit_reason, s.citation)
            for s in selectors.decision_steps(decision)
        ),
    )
    sheet(
        "公众意见",
        ["序号", "提交时间", "提出人", "意见内容", "审核", "不予公开理由", "采纳情况", "理由"],
        (
            (
                i,
                timezone.localtime(c.submitted_at).strftime("%Y-%m-%d %H:%M"),
                mask_name(c.name) if c.name else "（未署名）",
                c.content,
                c.get_status_display(),
                c.withhold_reason,
                c.get_answer_display() if c.answer else "",
                c.answer_reason,
            )
            for i, c in enumerate(selectors.decision_comments(decision=decision), start=1)
        ),
    )
    book.close()
    return buffer.getvalue()


def decision_archive(*, decision: MajorDecision) -> tuple[str, bytes]:
    """(file name, zip bytes). The caller has fetched `decision` through the viewer's scope."""
    events = list(item_timeline(item=decision.item)) if decision.item_id else []
    generated = set(
        GeneratedDocument.objects.filter(object_kind="major_decision", object_id=decision.pk).values_list(
            "attachment_id", flat=True
        )
    )
    entries: list[tuple[str, bytes]] = []
    files: dict[int, str] = {}
    for e in events:
        for a in e.attachments.all():
            if a.pk in files:
                continue
            folder = "文书" if a.pk in generated else "附件"
            path = f"{folder}/{e.seq:03d}-{_safe(a.name)}"
            with a.file.open("rb") as fh:
                entries.append((path, fh.read()))
            files[a.pk] = path
    entries.insert(0, ("索引.xlsx", _index(decision, events, files)))
    head = events[-1].hash if events else ""
    lines = [
        f"# 决策档案：{decision.title}",
        f"# {rules.ARCHIVE_CITATION}",
        f"# 时间线事件 {len(events)} 条，链头 SM3：{head}",
        "# SM3  文件",
    ]
    lines += [f"{_sm3(data)}  {path}" for path, data in entries]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for path, data in entries:
            zf.writestr(path, data)
        zf.writestr(MANIFEST, ("\n".join(lines) + "\n").encode("utf-8"))
    return f"决策档案-{_safe(decision.title)}.zip", buffer.getvalue()
