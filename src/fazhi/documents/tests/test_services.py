import datetime as dt

import pytest
from django.db import transaction

from fazhi.core.errors import DomainError
from fazhi.documents.models import DocumentNumber, DocumentNumberRegister
from fazhi.documents.services import number_take

pytestmark = pytest.mark.django_db

JUSTICE = "示例市司法局"
TODAY = dt.date(2026, 3, 2)


def test_numbers_are_sequential_and_formatted(org, users):
    taken = [
        number_take(
            unit=org[JUSTICE], doc_type="监督意见书", year=2026, by=users["supervisor"], prefix="示司监", today=TODAY
        )
        for _ in range(3)
    ]
    assert [n.text for n in taken] == ["示司监〔2026〕1号", "示司监〔2026〕2号", "示司监〔2026〕3号"]
    assert taken[0].taken_by == users["supervisor"]
    # Another type and another year have registers of their own.
    other = number_take(unit=org[JUSTICE], doc_type="工作提示函", year=2026, by=None, prefix="示司函", today=TODAY)
    assert other.text == "示司函〔2026〕1号"
    # A new year's register carries the prefix over.
    nxt = number_take(unit=org[JUSTICE], doc_type="监督意见书", year=2027, by=None, today=TODAY)
    assert nxt.text == "示司监〔2027〕1号"


def test_a_rolled_back_issue_leaves_no_gap(org):
    unit = org[JUSTICE]
    number_take(unit=unit, doc_type="监督意见书", year=2026, by=None, prefix="示司监", today=TODAY)
    with pytest.raises(RuntimeError), transaction.atomic():
        n = number_take(unit=unit, doc_type="监督意见书", year=2026, by=None, today=TODAY)
        assert n.number == 2
        raise RuntimeError("issue failed after the number was taken")
    assert number_take(unit=unit, doc_type="监督意见书", year=2026, by=None, today=TODAY).text == "示司监〔2026〕2号"
    assert list(DocumentNumber.objects.values_list("number", flat=True).order_by("number")) == [1, 2]


def test_a_past_years_new_register_is_refused(org):
    with pytest.raises(DomainError) as exc:
        number_take(unit=org[JUSTICE], doc_type="监督意见书", year=2025, by=None, prefix="示司监", today=TODAY)
    assert exc.value.field == "year"
    assert "2025" in exc.value.message
    assert not DocumentNumberRegister.objects.exists()


def test_a_past_years_existing_register_still_issues(org):
    number_take(unit=org[JUSTICE], doc_type="监督意见书", year=2026, by=None, prefix="示司监", today=TODAY)
    later = dt.date(2027, 1, 5)
    n = number_take(unit=org[JUSTICE], doc_type="监督意见书", year=2026, by=None, today=later)
    assert n.text == "示司监〔2026〕2号"


def test_a_first_register_needs_a_prefix(org):
    with pytest.raises(DomainError) as exc:
        number_take(unit=org[JUSTICE], doc_type="约谈通知书", year=2026, by=None, today=TODAY)
    assert exc.value.field == "prefix"


# ---------------------------------------------------------------- stored documents


@pytest.fixture
def item(org, users):
    from fazhi.tracking.services import item_open

    return item_open(
        kind="test",
        title="行政执法监督意见书落实",
        unit=org["示例市市场监督管理局"],
        by=users["supervisor"],
        start=TODAY,
        deadline=TODAY + dt.timedelta(days=30),
        deadline_source="《示例省行政执法监督条例》",
    )


def _docx() -> bytes:
    from fazhi.documents.gongwen import Gongwen, gongwen_docx

    return gongwen_docx(Gongwen(title="监督意见书", number="示司监〔2026〕1号", body=["一、存在的问题", "正文。"]))


def test_a_stored_document_is_downloaded_byte_for_byte(item, users):
    import hashlib

    from fazhi.core.attachments import attachment_response
    from fazhi.documents.selectors import document_bytes, documents_for
    from fazhi.documents.services import document_store

    content = _docx()
    document = document_store(
        by=users["supervisor"],
        item=item,
        title="行政执法监督意见书",
        number="示司监〔2026〕1号",
        content=content,
        filename="监督意见书.docx",
    )
    assert document_bytes(document) == content
    assert document.attachment.sm3 == hashlib.new("sm3", content).hexdigest()
    assert document.attachment.content_type.endswith("wordprocessingml.document")
    response = attachment_response(document.attachment)
    assert b"".join(response.streaming_content) == content
    assert list(documents_for(object_kind="test", object_id=item.pk)) == [document]


def test_a_stored_document_is_on_the_items_sm3_timeline(item, users):
    from fazhi.documents.services import document_store
    from fazhi.tracking.models import TrackedItem
    from fazhi.tracking.timeline import verify_chains

    document = document_store(
        by=users["supervisor"], item=item, title="行政执法监督意见书", number="示司监〔2026〕1号",
        content=_docx(), filename="监督意见书.docx",
    )  # fmt: skip
    event = item.events.get(seq=2)
    assert event.action == "document" and event.data["sm3"] == document.attachment.sm3
    assert list(event.attachments.all()) == [document.attachment]
    items = TrackedItem.objects.filter(pk=item.pk)
    assert verify_chains(items)[2] == []
    # The event's hash covers the document: removing the link is detected.
    event.attachments.clear()
    assert verify_chains(items)[2]


def test_a_document_without_an_item_is_stored_for_its_object(users):
    from fazhi.documents.services import document_store

    document = document_store(
        by=None, title="聘书", content=b"PK fake docx", filename="聘书.docx", object_kind="supervisor", object_id=7
    )
    assert (document.object_kind, document.object_id, document.item) == ("supervisor", 7, None)


def test_a_document_needs_a_title(users):
    from fazhi.documents.services import document_store

    with pytest.raises(DomainError) as exc:
        document_store(by=None, title=" ", content=b"x", filename="a.docx")
    assert exc.value.field == "title"
