"""发文字号 under concurrent issue on PostgreSQL: 8 threads × 50 numbers, each in its own transaction."""

import datetime as dt
import threading

import pytest
from django.conf import settings
from django.db import connection, transaction

from fazhi.documents.services import number_take

# Row locks under concurrency are a PostgreSQL property; SQLite serialises writers. Skipped before any database
# setup, so that SQLite never runs this module's transactional flush.
pytestmark = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), reason="PostgreSQL only"
)

JUSTICE = "示例市司法局"
TODAY = dt.date(2026, 3, 2)


@pytest.fixture(scope="module", autouse=True)
def _rebuild_org_after_flush(django_db_blocker):
    """A transactional test ends with a flush of every table. Module scope tears down after that flush, so the
    session's organisation and users are rebuilt for the tests that run after this module on the same worker."""
    yield
    from fazhi.core.demo.build import build_org, build_users

    with django_db_blocker.unblock():
        build_org()
        build_users()


@pytest.mark.django_db(transaction=True)
def test_concurrent_issue_is_gapless_and_unique():
    from fazhi.core.demo.build import build_org
    from fazhi.core.models import Unit

    build_org()  # idempotent: another transactional test on this worker may have flushed the organisation
    unit = Unit.objects.get(name=JUSTICE)
    threads, per_thread = 8, 50
    taken, errors = [], []
    start = threading.Barrier(threads)

    def issue():
        try:
            start.wait()
            for _ in range(per_thread):
                with transaction.atomic():
                    n = number_take(unit=unit, doc_type="并发测试", year=2026, by=None, prefix="示司测", today=TODAY)
                    taken.append(n.number)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=issue) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert errors == []
    assert sorted(taken) == list(range(1, threads * per_thread + 1))
