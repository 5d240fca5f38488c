"""`fazhi backup` and `fazhi restore`: the database and every file of the file store, with SM3 hashes.

A backup directory holds
    database.dump      PostgreSQL, `pg_dump --format=custom` (one consistent snapshot), or
    database.sqlite3   SQLite, through sqlite3's online backup API (consistent while the site runs)
    files/<name>       every file of the default storage (local disk or S3), by its storage name
    manifest.json      format, time, database vendor, and the size and SM3 of every file above
    manifest.sm3       the SM3 of manifest.json

The database is copied first and the files after it: a service stores a file before the row that names it
commits, so every file the copied database refers to is already in the store when the files are copied.

A restore checks the whole backup against its manifest first and writes only into an empty database;
files go back through the storage API, so the target may be another kind of store than the source.
The keys that live outside the database (SECRET_KEY, TIMELINE_HMAC_KEY) are not in a backup: keep them
with the deployment's secrets.
"""

import datetime as dt
import hashlib
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection

from fazhi.core.errors import DomainError

FORMAT = 1
MANIFEST = "manifest.json"
MANIFEST_SM3 = "manifest.sm3"
FILES_DIR = "files"
DB_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
CHUNK = 1024 * 1024


def _sm3_file(path: Path) -> tuple[str, int]:
    digest, size = hashlib.new("sm3"), 0
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _sm3_stored(name: str) -> tuple[str, int]:
    digest, size = hashlib.new("sm3"), 0
    with default_storage.open(name, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def storage_names(prefix: str = "") -> list[str]:
    """Every file name in the default storage, through the storage API only (local disk or S3)."""
    try:
        dirs, files = default_storage.listdir(prefix)
    except FileNotFoundError:  # a local store that has never received a file
        return []
    names = [posixpath.join(prefix, f) if prefix else f for f in files]
    for d in dirs:
        names += storage_names(posixpath.join(prefix, d) if prefix else d)
    return sorted(names)


def _safe_name(name: str) -> bool:
    parts = name.split("/")
    return bool(name) and not name.startswith("/") and "\\" not in name and all(p not in ("", ".", "..") for p in parts)


def _pg_command(program: str) -> tuple[list[str], dict[str, str]]:
    s = connection.settings_dict
    args = [program, "--no-password"]
    if s.get("HOST"):
        args += ["--host", s["HOST"]]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", s["USER"]]
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = s["PASSWORD"]
    sslmode = (s.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return args, env


def _run(args: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise DomainError(f"{what}失败：{done.stderr.strip()[-2000:]}")


def _vendor() -> str:
    if connection.vendor not in DB_FILES:
        raise DomainError(f"不支持备份 {connection.vendor} 数据库：只支持 PostgreSQL 与 SQLite")
    return connection.vendor


def backup_write(*, target: Path, now: dt.datetime | None = None) -> dict:
    """Write a backup into `target` (a new or empty directory). Returns the manifest."""
    from django.utils import timezone

    vendor = _vendor()
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise DomainError(f"备份目录 {target} 不是空目录：请指定一个新目录")
    target.mkdir(parents=True, exist_ok=True)
    db_path = target / DB_FILES[vendor]
    if vendor == "postgresql":
        args, env = _pg_command("pg_dump")
        _run([*args, "--format=custom", "--file", str(db_path), connection.settings_dict["NAME"]], env, "pg_dump ")
    else:
        connection.ensure_connection()
        out = sqlite3.connect(db_path)
        try:
            connection.connection.backup(out)
        finally:
            out.close()
    db_sm3, db_size = _sm3_file(db_path)

    files = []
    for name in storage_names():
        dest = target / FILES_DIR / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        digest, size = hashlib.new("sm3"), 0
        with default_storage.open(name, "rb") as src, dest.open("wb") as out:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        files.append({"name": name, "size": size, "sm3": digest.hexdigest()})

    manifest = {
        "format": FORMAT,
        "created_at": (now or timezone.now()).isoformat(),
        "database": {"vendor": vendor, "file": db_path.name, "size": db_size, "sm3": db_sm3},
        "files": files,
    }
    body = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
    (target / MANIFEST).write_bytes(body)
    (target / MANIFEST_SM3).write_text(hashlib.new("sm3", body).hexdigest() + "\n")
    return manifest


def backup_check(*, source: Path) -> dict:
    """The manifest of the backup in `source`, once every file in it matches its size and SM3."""
    source = Path(source)
    manifest_path = source / MANIFEST
    if not manifest_path.is_file():
        raise DomainError(f"{source} 不是备份目录：缺少 {MANIFEST}")
    body = manifest_path.read_bytes()
    expected = (source / MANIFEST_SM3).read_text().strip() if (source / MANIFEST_SM3).is_file() else ""
    if hashlib.new("sm3", body).hexdigest() != expected:
        raise DomainError(f"备份清单 {MANIFEST} 的 SM3 校验值不符：清单已被修改或损坏，拒绝恢复")
    manifest = json.loads(body)
    if manifest.get("format") != FORMAT:
        raise DomainError(f"备份格式 {manifest.get('format')} 不受支持")
    db = manifest["database"]
    entries = [(source / db["file"], db)] + [(source / FILES_DIR / f["name"], f) for f in manifest["files"]]
    for f in manifest["files"]:
        if not _safe_name(f["name"]):
            raise DomainError(f"备份清单中的文件名 {f['name']!r} 不合法，拒绝恢复")
    for path, entry in entries:
        if not path.is_file():
            raise DomainError(f"备份不完整：缺少 {path.relative_to(source)}，拒绝恢复")
        digest, size = _sm3_file(path)
        if digest != entry["sm3"] or size != entry["size"]:
            raise DomainError(f"备份文件 {path.relative_to(source)} 与清单中的 SM3 校验值不符，拒绝恢复")
    return manifest


def database_tables() -> list[str]:
    connection.ensure_connection()
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def backup_restore(*, source: Path) -> dict:
    """Restore the backup in `source` into the configured, empty database and into the file store."""
    source = Path(source)
    manifest = backup_check(source=source)
    vendor = _vendor()
    if manifest["database"]["vendor"] != vendor:
        raise DomainError(
            f"备份来自 {manifest['database']['vendor']} 数据库，当前配置的是 {vendor}：请配置同类数据库后再恢复"
        )
    tables = database_tables()
    if tables:
        raise DomainError(
            f"目标数据库不是空库（已有 {len(tables)} 张表）：恢复只能写入新建的空数据库，以免覆盖现有数据"
        )
    pending = []
    for f in manifest["files"]:
        if default_storage.exists(f["name"]):
            if _sm3_stored(f["name"])[0] != f["sm3"]:
                raise DomainError(f"文件存储中已有同名但内容不同的文件 {f['name']}：请使用空的文件存储")
        else:
            pending.append(f)

    db_file = source / manifest["database"]["file"]
    if vendor == "postgresql":
        args, env = _pg_command("pg_restore")
        _run(
            [
                *args,
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                connection.settings_dict["NAME"],
                str(db_file),
            ],
            env,
            "pg_restore ",
        )
    else:
        connection.close()
        src, dst = sqlite3.connect(db_file), sqlite3.connect(connection.settings_dict["NAME"])
        try:
            src.backup(dst)
        finally:
            src.close()
            dst.close()
    connection.close()

    for f in pending:
        with (source / FILES_DIR / f["name"]).open("rb") as fh:
            saved = default_storage.save(f["name"], File(fh, name=f["name"]))
        if saved != f["name"]:
            raise DomainError(f"文件 {f['name']} 在存储中被改名为 {saved}：请使用空的文件存储")
    for f in manifest["files"]:
        if _sm3_stored(f["name"]) != (f["sm3"], f["size"]):
            raise DomainError(f"恢复后的文件 {f['name']} 与清单中的 SM3 校验值不符")
    return {"database": manifest["database"]["file"], "files": len(manifest["files"]), "uploaded": len(pending)}


def backup_remove_partial(target: Path) -> None:
    """Remove what a failed backup left behind, so that no half backup is mistaken for a whole one."""
    shutil.rmtree(target, ignore_errors=True)
