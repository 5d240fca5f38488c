"""A rejected multi-file upload leaves no file behind, and files stored in a transaction that rolls back
are deleted (issue 8)."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from fazhi.core.attachments import attachment_store, attachments_store
from fazhi.core.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_media(settings, tmp_path):
    # Each test compares the whole attachments folder before and after: give it a folder no other test
    # (another xdist worker, the same month) writes into.
    settings.MEDIA_ROOT = tmp_path / "media"


def _stored() -> set[str]:
    found = set()

    def walk(folder):
        if not default_storage.exists(folder):
            return
        dirs, files = default_storage.listdir(folder)
        found.update(f"{folder}/{f}" for f in files)
        for d in dirs:
            walk(f"{folder}/{d}")

    walk("attachments")
    return found


def good():
    return SimpleUploadedFile("笔录.pdf", b"%PDF-1.4 good")


def bad():
    return SimpleUploadedFile("病毒.exe", b"MZ")


def test_a_refused_file_stores_none_of_the_others(users):
    before = _stored()
    with pytest.raises(DomainError, match="类型不允许"):
        attachments_store(files=[good(), bad()], by=users["officer"])
    assert _stored() == before


def test_files_of_a_rolled_back_transaction_are_deleted(users):
    before = _stored()
    with pytest.raises(DomainError), transaction.atomic():
        attachment = attachment_store(file=good(), by=users["officer"])
        assert default_storage.exists(attachment.file.name)
        raise DomainError("后面的校验失败")
    assert _stored() == before


def test_files_of_a_committed_transaction_stay(users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        attachment = attachment_store(file=good(), by=users["officer"])
    assert default_storage.exists(attachment.file.name)
    default_storage.delete(attachment.file.name)


def test_case_api_with_one_bad_file_keeps_no_file(org, users, api_client):
    from fazhi.cases.services import case_file
    from fazhi.cases.tests import case_factories as cf

    m = cf.market(org, users)
    case = case_file(by=users["agency"], **cf.case_kwargs(m))
    before = _stored()
    r = api_client("agency").post(
        f"/api/v1/cases/{case.pk}/attachments", {"comment": "x", "attachments": [good(), bad()]}
    )
    assert r.status_code == 422 and r.json()["field"] == "attachments"
    assert _stored() == before
