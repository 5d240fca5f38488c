"""`fazhi backup` / `fazhi restore` end to end, as an operator runs them: the demo with attachments is backed up,
restored into an empty database and an empty file store, and `fazhi verify` passes on the result.

Runs on the database the suite runs on (SQLite file, or a scratch PostgreSQL database of its own)."""

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from fazhi.core.backup import MANIFEST, backup_check
from fazhi.core.errors import DomainError

FAZHI = [sys.executable, "-m", "fazhi.cli"]

SEED = """
import json, os
from django.core.files.uploadedfile import SimpleUploadedFile
from fazhi.core.attachments import attachment_store
from fazhi.core.demo.build import build_demo
from fazhi.core.models import User
from django.db import transaction
with transaction.atomic():
    build_demo()
    by = User.objects.get(username="agency")
    for name, size in [("现场照片.jpg", 250_000), ("询问笔录.pdf", 3_000), ("清单.xlsx", 70_000)]:
        attachment_store(file=SimpleUploadedFile(name, os.urandom(size)), by=by)
"""

CHECK = """
import hashlib, json
from django.core.files.storage import default_storage
from fazhi.core.models import Attachment, User
rows = []
for a in Attachment.objects.order_by("pk"):
    with default_storage.open(a.file.name, "rb") as f:
        rows.append([a.file.name, a.sm3, hashlib.new("sm3", f.read()).hexdigest()])
print(json.dumps({"attachments": rows, "users": User.objects.count()}))
"""


class Site:
    """One deployment's environment: its database and its file store."""

    def __init__(self, tmp: Path, name: str):
        self.media = tmp / f"media-{name}"
        self.env = {
            **{k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "MEDIA_ROOT", "STORAGE_URL"}},
            "DJANGO_SETTINGS_MODULE": "fazhi.settings",
            "SECRET_KEY": "backup-test",
            "TIMELINE_HMAC_KEY": "backup-test-hmac-key",
            "FAZHI_VAR_DIR": str(tmp / "var"),
            "MEDIA_ROOT": str(self.media),
        }
        self.db = None
        if connection.vendor == "postgresql":
            s = connection.settings_dict
            self.db = f"fazhi_bk_{name}_{uuid.uuid4().hex[:8]}"
            host, port, user = s.get("HOST") or "127.0.0.1", s.get("PORT") or 5432, s.get("USER") or "postgres"
            self.admin_url = f"postgres://{user}@{host}:{port}/postgres"
            self.env["DATABASE_URL"] = f"postgres://{user}@{host}:{port}/{self.db}"
            self._sql(f'CREATE DATABASE "{self.db}"')
        else:
            self.env["DATABASE_URL"] = f"sqlite:///{tmp / f'{name}.sqlite3'}"

    def _sql(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True) as conn:
            conn.execute(statement)

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        done = subprocess.run([*FAZHI, *args], env=self.env, capture_output=True, text=True, timeout=600)
        if check and done.returncode != 0:
            raise AssertionError(f"fazhi {' '.join(args[:1])} failed:\n{done.stdout}\n{done.stderr[-3000:]}")
        return done

    def drop(self) -> None:
        if self.db:
            self._sql(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')


@pytest.fixture
def sites(tmp_path):
    made = []

    def make(name):
        made.append(Site(tmp_path, name))
        return made[-1]

    yield make
    for site in made:
        site.drop()


def test_backup_of_the_demo_restores_into_an_empty_database_and_verifies(sites, tmp_path):
    source = sites("src")
    source.run("migrate", "--noinput", "-v", "0")
    before = json.loads(source.run("shell", "-c", SEED + CHECK).stdout.strip().splitlines()[-1])
    # The three seeded files and the documents the demo generated (公文 of supervision, disputes, rule-making …).
    assert len(before["attachments"]) > 3

    backup = tmp_path / "backup"
    source.run("backup", str(backup))
    manifest = json.loads((backup / MANIFEST).read_text())
    assert {f["name"] for f in manifest["files"]} >= {name for name, _, _ in before["attachments"]}

    target = sites("dst")
    out = target.run("restore", str(backup))
    assert "已恢复" in out.stdout
    verified = target.run("verify", check=False)
    assert verified.returncode == 0, verified.stdout + verified.stderr

    after = json.loads(target.run("shell", "-c", CHECK).stdout.strip().splitlines()[-1])
    assert after == before
    assert all(stored == recorded for _, recorded, stored in after["attachments"])
    # The restored store is a copy, not the source's directory.
    assert all((target.media / name).is_file() for name, _, _ in after["attachments"])

    # A second restore into the now non-empty database is refused, in Chinese, and changes nothing.
    again = target.run("restore", str(backup), check=False)
    assert again.returncode != 0 and "不是空库" in again.stderr

    # A backup whose files do not match their manifest is refused before anything is written.
    tampered = tmp_path / "tampered"
    shutil.copytree(backup, tampered)
    victim = tampered / "files" / manifest["files"][0]["name"]
    body = victim.read_bytes()
    victim.write_bytes(body[:-1] + bytes([body[-1] ^ 0xFF]))  # flip the last byte: some files already end in 0
    with pytest.raises(DomainError, match="SM3"):
        backup_check(source=tampered)  # the first thing `fazhi restore` does, before it writes anything


def test_an_edited_manifest_or_a_missing_file_is_refused(tmp_path):
    from fazhi.core.backup import MANIFEST_SM3

    backup = tmp_path / "b"
    (backup / "files").mkdir(parents=True)
    body = json.dumps(
        {"format": 1, "database": {"vendor": "sqlite", "file": "database.sqlite3", "size": 0, "sm3": ""}, "files": []}
    ).encode()
    (backup / MANIFEST).write_bytes(body)
    (backup / MANIFEST_SM3).write_text("0" * 64)
    with pytest.raises(DomainError, match="清单"):
        backup_check(source=backup)
    import hashlib

    (backup / MANIFEST_SM3).write_text(hashlib.new("sm3", body).hexdigest())
    with pytest.raises(DomainError, match="缺少"):
        backup_check(source=backup)
    with pytest.raises(DomainError, match="不是备份目录"):
        backup_check(source=tmp_path / "nowhere")
