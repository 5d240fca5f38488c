"""Probes for load balancers and monitoring: `/healthz` (the process answers) and `/readyz` (it can serve).

No login, and nothing an outsider could use: one word per component, no host names, versions or errors
(those go to the log).
"""

import logging
import uuid

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from fazhi.core.decorators import public

logger = logging.getLogger("fazhi.health")

# Once the schema is current it stays current until the code changes, and new code means a new process.
_migrations_applied = False


@never_cache
@require_GET
@public
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _migrations() -> None:
    global _migrations_applied
    if _migrations_applied:
        return
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise RuntimeError("unapplied migrations")
    _migrations_applied = True


def _cache() -> None:
    key = f"readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("cache round trip failed")
    cache.delete(key)


def _storage() -> None:
    # A lookup of a name that never exists: reaches the store (a HEAD on S3) without writing anything.
    default_storage.exists("readyz-probe")


CHECKS = {"database": _database, "migrations": _migrations, "cache": _cache, "storage": _storage}


@never_cache
@require_GET
@public
def readyz(request: HttpRequest) -> JsonResponse:
    status = {}
    for name, check in CHECKS.items():
        if name == "migrations" and status.get("database") != "ok":
            status[name] = "fail"
            continue
        try:
            check()
            status[name] = "ok"
        except Exception:
            # A probe reports; it never fails itself. The reason goes to the log, not to the caller.
            logger.warning("readyz: %s check failed", name, exc_info=True)
            status[name] = "fail"
    ok = all(v == "ok" for v in status.values())
    return JsonResponse({"status": "ok" if ok else "fail", **status}, status=200 if ok else 503)
