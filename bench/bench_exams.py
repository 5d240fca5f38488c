"""500 candidates hand in an online examination within a minute, over loopback, without a lost answer.

Setup (not timed): the demo organisation, 500 officers' accounts spread over the city's agencies, a 60-question bank,
an examination of 20 questions (12 single, 4 multiple, 4 true-false) with one seeded paper per candidate, every paper
started. The server is `gunicorn fazhi.wsgi` (3 workers × 2 threads, as `fazhi serve` runs on PostgreSQL) on
127.0.0.1, in its own processes; the clients are a bounded pool of CONCURRENCY threads, each request on a fresh
connection with the candidate's bearer token.

1. During the exam: each candidate saves ANSWERED_EARLY answers one by one (POST …/papers/{id}/answers), as the page does
   on every change (2,500 requests).
2. The burst: all 500 submit (POST …/papers/{id}/submit), each with its remaining answers in the body, through the
   same bounded pool; the figure is the wall time of the burst (target ≤ 60 s) and the latency of a submission.
3. Nothing lost: every candidate answered every question correctly, so every paper must be marked 100 with 20 stored
   answers, and every refused or failed request is counted.

Floor: GET /healthz over the same loopback and pool (the least a request through gunicorn and Django costs); ratios
are to its median in the same run.

Last figures (PostgreSQL 15, 2 cores shared with other helpers' test runs and benches: 1-minute load average 15–17
throughout, under which /healthz took 13 ms at the median):
- the burst: 500 submissions in 68.3 s (7.3 /s; p50 1.86 s, p95 4.65 s; 143 × the floor), no failed request;
- saves during the exam: 2,500 in 255 s (9.8 /s; p50 1.09 s, 84 × the floor), no failed request;
- nothing lost: 500 papers marked, all 100, 10,000 answers stored of 10,000.
Before the submission wrote its answers in two statements (it was one update_or_create per answer), the burst took
312 s (p50 8.4 s) on the same machine at load 17.
"""

import datetime as dt
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

CANDIDATES = 500
QUESTIONS = {"single": 12, "multiple": 4, "judge": 4}
BANK = {"single": 30, "multiple": 15, "judge": 15}
ANSWERED_EARLY = 5
CONCURRENCY = 16
FLOOR_REQUESTS = 300


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _setup() -> tuple[list[tuple[int, str, dict]], int]:
    from django.db import transaction
    from django.utils import timezone

    from fazhi.core.demo.build import build_org, build_users
    from fazhi.core.models import Role, Unit, User
    from fazhi.core.services import token_create
    from fazhi.legalservices.study import services
    from fazhi.legalservices.study.models import ExamPaper, StudyExam, StudyQuestion

    build_org()
    build_users()
    stamp = f"{time.time_ns()}"
    with transaction.atomic():
        for kind, n in BANK.items():
            for i in range(n):
                options = [] if kind == "judge" else ["甲", "乙", "丙", "丁"]
                answer = {"single": "ABCD"[i % 4], "multiple": "AC", "judge": "正确" if i % 2 else "错误"}[kind]
                services.question_save(
                    by=None, subject=f"基准{stamp}", kind=kind, stem=f"{kind}{i}", options=options, answer=answer
                )
        agencies = list(Unit.objects.filter(kind="agency"))
        role = Role.objects.get(code="officer")
        users = User.objects.bulk_create(
            [
                User(
                    username=f"bench{stamp}_{i}",
                    name=f"考生{i}",
                    unit=agencies[i % len(agencies)],
                    must_change_password=False,
                )
                for i in range(CANDIDATES)
            ]
        )
        User.roles.through.objects.bulk_create([User.roles.through(user_id=u.pk, role_id=role.pk) for u in users])
        now = timezone.now()
        exam = services.exam_create(
            by=None,
            unit=Unit.objects.get(name="示例市司法局"),
            title=f"基准考试{stamp}",
            kind="annual",
            year=timezone.localdate().year,
            subjects=[f"基准{stamp}"],
            single_count=QUESTIONS["single"],
            multiple_count=QUESTIONS["multiple"],
            judge_count=QUESTIONS["judge"],
            duration_minutes=120,
            opens_at=now - dt.timedelta(minutes=1),
            closes_at=now + dt.timedelta(hours=3),
        )
        services.exam_enrol(by=None, exam=exam, users=users, seed_base=1)
        services.exam_open(by=None, exam=exam)
    keys = dict(StudyQuestion.objects.filter(subject=f"基准{stamp}").values_list("pk", "answer"))
    people = []
    for paper in ExamPaper.objects.filter(exam=exam).select_related("user"):
        services.paper_start(by=paper.user, paper=paper)
        _, secret = token_create(user=paper.user)
        people.append((paper.pk, secret, {qid: keys[qid] for qid in paper.question_ids}))
    return people, StudyExam.objects.get(pk=exam.pk).pk


def _post(base: str, path: str, token: str, body: dict) -> tuple[int, float]:
    data = json.dumps(body).encode()
    req = urllib.request.Request(
        base + path,
        data=data,
        method="POST",
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    t0 = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError:
        status = 0
    return status, time.perf_counter() - t0


def _get(base: str, path: str) -> float:
    t0 = time.perf_counter()
    with urllib.request.urlopen(base + path, timeout=60) as r:
        r.read()
    return time.perf_counter() - t0


def run() -> dict:
    from fazhi.legalservices.study.models import ExamAnswer, ExamPaper

    people, exam_id = _setup()
    port = _free_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "fazhi.settings"}
    env.setdefault("SECRET_KEY", "bench-only")
    src = str(Path(__file__).resolve().parent.parent / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "fazhi.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
            "--threads",
            "2",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                _get(base, "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        with ThreadPoolExecutor(CONCURRENCY) as pool:
            floor = sorted(pool.map(lambda _: _get(base, "/healthz"), range(FLOOR_REQUESTS)))

            def early(person):
                pk, token, keys = person
                out = []
                for qid, answer in list(keys.items())[:ANSWERED_EARLY]:
                    out.append(
                        _post(
                            base,
                            f"/api/v1/legalservices/study/papers/{pk}/answers",
                            token,
                            {"question_id": qid, "answer": answer},
                        )
                    )
                return out

            t0 = time.perf_counter()
            saves = [r for rs in pool.map(early, people) for r in rs]
            saves_wall = time.perf_counter() - t0

            def submit(person):
                pk, token, keys = person
                rest = {str(qid): answer for qid, answer in list(keys.items())[ANSWERED_EARLY:]}
                return _post(base, f"/api/v1/legalservices/study/papers/{pk}/submit", token, {"answers": rest})

            t0 = time.perf_counter()
            submits = list(pool.map(submit, people))
            burst = time.perf_counter() - t0
    finally:
        server.terminate()
        server.wait(timeout=30)
    papers = ExamPaper.objects.filter(exam_id=exam_id)
    total_q = sum(QUESTIONS.values())
    floor_p50 = statistics.median(floor)
    submit_times = sorted(t for _, t in submits)
    save_times = sorted(t for _, t in saves)
    return {
        "candidates": CANDIDATES,
        "concurrency": CONCURRENCY,
        "submit_burst_seconds": round(burst, 2),
        "submits_per_second": round(CANDIDATES / burst, 1),
        "submit_p50_ms": round(statistics.median(submit_times) * 1000, 1),
        "submit_p95_ms": round(submit_times[int(len(submit_times) * 0.95)] * 1000, 1),
        "answer_saves": len(saves),
        "answer_saves_per_second": round(len(saves) / saves_wall, 1),
        "answer_save_p50_ms": round(statistics.median(save_times) * 1000, 1),
        "floor_healthz_p50_ms": round(floor_p50 * 1000, 1),
        "submit_p50_to_floor": round(statistics.median(submit_times) / floor_p50, 1),
        "save_p50_to_floor": round(statistics.median(save_times) / floor_p50, 1),
        "failed_saves": sum(1 for s, _ in saves if s != 200),
        "failed_submits": sum(1 for s, _ in submits if s != 200),
        "papers_marked": papers.filter(status="submitted").count(),
        "papers_not_100": papers.exclude(score=100).count(),
        "answers_stored": ExamAnswer.objects.filter(paper__exam_id=exam_id).count(),
        "answers_expected": CANDIDATES * total_q,
        "lost_answers": CANDIDATES * total_q - ExamAnswer.objects.filter(paper__exam_id=exam_id).count(),
        "load_average": os.getloadavg()[0],
    }
