"""我的待办 at scale: a supervisor's inbox over 100,000 open tracked items (target p95 ≤ 100 ms).

Run by bench/run.py after django.setup() and migrate. The data set is built once with bulk_create and reused
on later runs. Two thirds of the items wait for the Justice Bureau's acceptance (status "review"), so the
supervisor's inbox itself holds ~66k items; the rest are spread over the agencies.
"""

import datetime as dt
import random
import statistics
import time

N_ITEMS = 100_000
REVIEW_SHARE = 0.66
SOURCE = "基准测试：督导任务分解期限"
RUNS = 200


def _build() -> int:
    from django.db import transaction
    from django.utils import timezone

    from fazhi.core.demo.build import build_org, build_users
    from fazhi.core.models import Unit
    from fazhi.tracking.models import TrackedItem

    with transaction.atomic():
        build_org()
        build_users()
    have = TrackedItem.objects.filter(deadline_source=SOURCE).count()
    if have >= N_ITEMS:
        return 0
    rng = random.Random(20260101)
    today = timezone.localdate()
    justice = Unit.objects.get(name="示例市司法局")
    agencies = list(Unit.objects.filter(kind__in=("agency", "township")))
    batch = []
    for i in range(have, N_ITEMS):
        unit = rng.choice(agencies)
        review = rng.random() < REVIEW_SHARE
        deadline = today + dt.timedelta(days=rng.randint(-30, 60))
        batch.append(
            TrackedItem(
                kind="task_assignment",
                title=f"基准事项 {i:06d} 行政执法案卷自查",
                unit=unit,
                action_unit=justice if review else unit,
                start_date=deadline - dt.timedelta(days=20),
                deadline=deadline,
                deadline_source=SOURCE,
                status="review" if review else "open",
                url=f"/items/bench-{i}/",
            )
        )
        if len(batch) == 5000:
            TrackedItem.objects.bulk_create(batch)
            batch = []
    if batch:
        TrackedItem.objects.bulk_create(batch)
    return N_ITEMS - have


def _figures(samples: list[float]) -> dict:
    samples = sorted(samples)
    return {
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(samples[int(len(samples) * 0.95) - 1], 2),
        "max_ms": round(samples[-1], 2),
    }


def run() -> dict:
    from django.db import connection
    from django.test import Client

    from fazhi.core.models import User
    from fazhi.core.services import token_create
    from fazhi.tracking.selectors import inbox

    started = time.perf_counter()
    created = _build()
    build_seconds = round(time.perf_counter() - started, 1)
    with connection.cursor() as cur:
        cur.execute("ANALYZE tracking_trackeditem" if connection.vendor == "postgresql" else "ANALYZE")

    supervisor = User.objects.get(username="supervisor")
    box = inbox(user=supervisor)
    total, counts = box.total, box.counts
    selector_ms = []
    for _ in range(RUNS):
        user = User.objects.select_related("unit").get(pk=supervisor.pk)  # a fresh request's user
        t0 = time.perf_counter()
        box = inbox(user=user)
        rows = list(box.items[:50])
        selector_ms.append((time.perf_counter() - t0) * 1000)
        assert len(rows) == 50 and box.total == total

    _, secret = token_create(user=supervisor, name="bench")
    client = Client(headers={"Authorization": f"Bearer {secret}"}, HTTP_HOST="localhost")
    api_ms = []
    for _ in range(RUNS):
        t0 = time.perf_counter()
        r = client.get("/api/v1/inbox?limit=50")
        api_ms.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200 and len(r.json()["items"]) == 50

    return {
        "database": connection.vendor,
        "items_created": created,
        "build_seconds": build_seconds,
        "supervisor_inbox_total": total,
        "counts": counts,
        "runs": RUNS,
        "selector": _figures(selector_ms),
        "api": _figures(api_ms),
    }
