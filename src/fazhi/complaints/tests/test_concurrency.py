"""Public rate limits under concurrency (issue 8: 20 concurrent submissions got 13 through a 5-per-hour limit).

Real threads, each with its own database connection and its own committed transactions, as concurrent web
requests have. PostgreSQL only: the SQLite test database is one connection held by the test's transaction.
The rows the threads commit are not rolled back with the test, so the test removes them itself.
"""

import threading

import pytest
from django.db import connection, connections

from fazhi.complaints import rules
from fazhi.complaints.models import Complaint, QueryAttempt
from fazhi.complaints.services import complaint_public_query
from fazhi.complaints.tests.factories import submit
from fazhi.core.errors import DomainError

pytestmark = pytest.mark.django_db

THREADS = 20


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is tested on PostgreSQL (DATABASE_URL=postgres://…)")


def _in_threads(work, n=THREADS):
    """Run `work(i)` in n threads released together; return their results (or the DomainError raised)."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i):
        try:
            barrier.wait()
            results[i] = work(i)
        except DomainError as exc:
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _committed(action):
    """Run `action` on another connection, committed (the test's own connection is inside its transaction)."""
    out = []
    t = threading.Thread(target=lambda: (out.append(action()), connections.close_all()))
    t.start()
    t.join()
    return out[0]


def test_concurrent_submissions_respect_the_hourly_ip_limit():
    ip = "10.77.0.1"
    limit = rules.rate_limits()["ip_hour"]
    try:
        results = _in_threads(lambda i: submit(anonymous=True, ip=ip, description=f"{'并发投诉内容' * 5}{i}"))
        accepted = [r for r in results if not isinstance(r, DomainError)]
        refused = [r for r in results if isinstance(r, DomainError)]
        assert len(accepted) == limit
        assert len(refused) == THREADS - limit and all(e.field == "rate" for e in refused)
        assert _committed(lambda: Complaint.objects.filter(ip=ip).count()) == limit
    finally:
        _committed(lambda: Complaint.objects.filter(ip=ip).delete())


def test_concurrent_failed_queries_respect_the_limit():
    ip = "10.77.0.2"
    limit = rules.rate_limits()["query_fail_hour"]

    def query(i):
        return complaint_public_query(code="TS000000ZZZZZZ", password="WRONGWRONG", ip=ip)

    try:
        results = _in_threads(query)
        limited = [r for r in results if isinstance(r, DomainError) and r.field == "rate"]
        assert len(limited) == THREADS - limit
        assert _committed(lambda: QueryAttempt.objects.filter(ip=ip).count()) == limit
    finally:
        _committed(lambda: QueryAttempt.objects.filter(ip=ip).delete())
