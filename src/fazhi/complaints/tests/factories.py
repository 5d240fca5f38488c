"""Helpers that make complaints through the services (so every test object passed the same checks)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from fazhi.complaints import services
from fazhi.core.models import Unit

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n" + b"0" * 64
TEXT = "市场监管执法人员检查我店时态度恶劣，未出示执法证件，当场要求罚款五千元且不开具票据。"

_phone = iter(range(10_000_000))


def next_phone() -> str:
    return f"139{next(_phone):08d}"


def upload(name: str = "photo.png", data: bytes = PNG) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def submit(**kwargs):
    data = {
        "channel": "web",
        "category": "misconduct",
        "description": TEXT,
        "place": "东城区人民路 12 号",
        "name": "王小明",
        "phone": next_phone(),
        "consent": True,
        "ip": None,
    }
    data.update(kwargs)
    return services.complaint_submit(**data)


def agency(name: str = "示例市市场监督管理局") -> Unit:
    return Unit.objects.get(name=name)


def assigned(users, **kwargs):
    complaint, password = submit(**kwargs)
    services.complaint_assign(by=users["supervisor"], complaint=complaint, agency=agency())
    complaint.refresh_from_db()
    return complaint, password


def replied(users, **kwargs):
    complaint, password = assigned(users, **kwargs)
    services.complaint_reply(
        by=users["agency"],
        complaint=complaint,
        findings="经核查，执法人员确有未出示证件的情况。",
        measures="已对当事执法人员批评教育，并向投诉人致歉。",
    )
    complaint.refresh_from_db()
    return complaint, password


def answered(users, **kwargs):
    complaint, password = replied(users, **kwargs)
    services.complaint_approve(by=users["supervisor"], complaint=complaint)
    complaint.refresh_from_db()
    return complaint, password


def csv_bytes(rows: list[list[str]]) -> bytes:
    buf = io.StringIO()
    import csv

    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode("utf-8-sig")
