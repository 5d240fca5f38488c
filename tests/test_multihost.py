"""Several hosts on one PostgreSQL database, on this machine: two application servers (`fazhi serve`) and two
workers (`fazhi worker`), sharing a Redis of the test's own and moto's S3 server, all on loopback.

Runs on PostgreSQL only (SQLite is one host by design) and skips cleanly elsewhere. It uses a scratch
database of its own and kills every process it started, then drops the database.
"""

import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = [
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), reason="多主机测试只在 PostgreSQL 上运行"
    ),
    pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server 未安装"),
]

ROOT = Path(__file__).resolve().parent.parent
FAZHI = [sys.executable, "-m", "fazhi.cli"]
PASSWORD = "Fazhi@2026demo"  # the demo users' password (fazhi.core.demo.build.DEMO_PASSWORD)
MARKET = "示例市市场监督管理局"
BUCKET = "fazhi-multihost"
LEASE = 10.0  # generous: a loaded CI machine must not make a live worker look dead

SEED = """
from django.db import connection
from fazhi.core.demo.build import build_org, build_users
from fazhi.core.services import token_create
from fazhi.core.models import User
build_org(); build_users()
with connection.cursor() as c:
    c.execute("CREATE TABLE multihost_runs (id serial PRIMARY KEY, name text, n int, worker text, phase text)")
for name in ("supervisor", "agency"):
    print(f"TOKEN {name} {token_create(user=User.objects.get(username=name), name='multihost')[1]}")
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(predicate, *, timeout: float, what: str, step: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out waiting for {what}")


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


class Cluster:
    def __init__(self, tmp: Path):
        import boto3
        from moto.server import ThreadedMotoServer

        db = settings.DATABASES["default"]
        self.host, self.port, self.user = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432, db.get("USER")
        self.user = self.user or "postgres"
        self.db = f"fazhi_multihost_{uuid.uuid4().hex[:8]}"
        self.admin_url = f"postgresql://{self.user}@{self.host}:{self.port}/postgres"
        self.url = f"postgresql://{self.user}@{self.host}:{self.port}/{self.db}"
        self.procs: dict[str, subprocess.Popen] = {}
        self.logs = tmp / "logs"
        self.logs.mkdir()

        self.moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.moto.start()
        moto_host, moto_port = self.moto.get_host_and_port()
        self.s3 = boto3.client(
            "s3",
            endpoint_url=f"http://{moto_host}:{moto_port}",
            aws_access_key_id="mh",
            aws_secret_access_key="mh-secret",
            region_name="us-east-1",
        )
        self.s3.create_bucket(Bucket=BUCKET)

        self.redis_port = _free_port()
        self._spawn(
            "redis",
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        )
        _wait_for(lambda: _port_open(self.redis_port), timeout=10, what="redis")

        self._sql(f'CREATE DATABASE "{self.db}"')
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_URL", "S3_", "REDIS_", "STORAGE_"))},
            "DJANGO_SETTINGS_MODULE": "fazhi.settings",
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": self.url,
            "SECRET_KEY": "multihost-test",
            "TIMELINE_HMAC_KEY": "multihost-test-hmac",
            "FAZHI_VAR_DIR": str(tmp / "var"),
            "MEDIA_ROOT": str(tmp / "local-media"),
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "STORAGE_URL": f"s3+http://mh:mh-secret@{moto_host}:{moto_port}/{BUCKET}?region=us-east-1",
            "ALLOWED_HOSTS": "127.0.0.1",
            "WORKER_HEARTBEAT_SECONDS": "0.5",
            "WORKER_LEASE_SECONDS": str(LEASE),
            "SCAN_INTERVAL_SECONDS": "3600",
            "LOGIN_MAX_FAILURES": "3",
            "LOG_LEVEL": "WARNING",
        }

    # ---------------------------------------------------------------- plumbing
    def _sql(self, statement: str, params=None, *, admin: bool = True):
        import psycopg

        with psycopg.connect(self.admin_url if admin else self.url, autocommit=True) as conn:
            cur = conn.execute(statement, params)
            return cur.fetchall() if cur.description else None

    def query(self, statement: str, params=None):
        return self._sql(statement, params, admin=False)

    def fazhi(self, *args: str) -> str:
        done = subprocess.run([*FAZHI, *args], env=self.env, capture_output=True, text=True, timeout=300, cwd=ROOT)
        assert done.returncode == 0, f"fazhi {args[0]}: {done.stdout}\n{done.stderr[-3000:]}"
        return done.stdout

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen:
        log = (self.logs / f"{name}.log").open("wb")
        env = getattr(self, "env", None)
        proc = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True)
        self.procs[name] = proc
        return proc

    def start_server(self, name: str) -> str:
        port = _free_port()
        self._spawn(name, [*FAZHI, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"])
        _wait_for(lambda: _port_open(port), timeout=60, what=f"server {name}")
        return f"http://127.0.0.1:{port}"

    def start_worker(self, name: str) -> str:
        worker_id = f"{name}-{uuid.uuid4().hex[:6]}"
        self._spawn(name, [*FAZHI, "worker", "--worker-id", worker_id])
        _wait_for(
            lambda: self.query("SELECT 1 FROM core_workerheartbeat WHERE worker_id = %s", [worker_id]),
            timeout=60,
            what=f"worker {name}",
        )
        return worker_id

    def kill(self, name: str) -> None:
        proc = self.procs.pop(name)
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()

    def close(self) -> None:
        for name in list(self.procs):
            try:
                self.kill(name)
            except ProcessLookupError:
                pass
        self.moto.stop()
        self._sql(f'DROP DATABASE IF EXISTS "{self.db}" WITH (FORCE)')

    def enqueue(self, code: str) -> None:
        self.fazhi("shell", "-c", code)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    c = Cluster(tmp_path_factory.mktemp("multihost"))
    try:
        c.fazhi("migrate", "--noinput", "-v", "0")
        c.tokens = dict(re.findall(r"TOKEN (\w+) (\S+)", c.fazhi("shell", "-c", SEED)))
        c.a, c.b = c.start_server("web-a"), c.start_server("web-b")
        c.workers = {"worker-a": c.start_worker("worker-a"), "worker-b": c.start_worker("worker-b")}
        yield c
    finally:
        c.close()


def _login(base: str, username: str, password: str = PASSWORD):
    import requests

    session = requests.Session()
    page = session.get(f"{base}/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{base}/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token, "next": "/"},
        allow_redirects=False,
        timeout=30,
    )
    return session, response


def _api(cluster, base: str, user: str):
    import requests

    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {cluster.tokens[user]}"
    return session


# ---------------------------------------------------------------- the tests, in order


def test_both_servers_are_ready(cluster):
    import requests

    for base in (cluster.a, cluster.b):
        assert requests.get(f"{base}/healthz", timeout=30).text == "ok"
        ready = requests.get(f"{base}/readyz", timeout=30)
        assert ready.status_code == 200, ready.text
        assert ready.json()["status"] == "ok"


def test_attachment_uploaded_on_one_server_downloads_on_the_other(cluster):
    import datetime as dt
    import hashlib

    sup = _api(cluster, cluster.a, "supervisor")
    deadline = (dt.date.today() + dt.timedelta(days=60)).isoformat()
    r = sup.post(f"{cluster.a}/api/v1/tasks", json={"title": "多主机附件", "basis": "测试", "deadline": deadline})
    assert r.status_code == 201, r.text
    [(market_id,)] = cluster.query("SELECT id FROM core_unit WHERE name = %s", [MARKET])
    r = sup.post(
        f"{cluster.a}/api/v1/tasks/{r.json()['id']}/assignments", json={"unit_id": market_id, "deadline": deadline}
    )
    assert r.status_code == 201, r.text
    assignment = r.json()["id"]

    content = os.urandom(400_000)
    agency = _api(cluster, cluster.a, "agency")
    r = agency.post(
        f"{cluster.a}/api/v1/assignments/{assignment}/reports",
        data={"progress": "50", "text": "见附件"},
        files={"attachments": ("现场记录.pdf", io.BytesIO(content), "application/pdf")},
    )
    assert r.status_code == 200, r.text
    [(pk, name, sm3)] = cluster.query("SELECT id, file, sm3 FROM core_attachment ORDER BY id DESC LIMIT 1")
    assert sm3 == hashlib.new("sm3", content).hexdigest()
    # In the shared store, not on the disk of the host that received it.
    assert cluster.s3.get_object(Bucket=BUCKET, Key=name)["Body"].read() == content
    assert not (Path(cluster.env["MEDIA_ROOT"]) / name).exists()

    session, response = _login(cluster.b, "agency")
    assert response.status_code == 302, response.text
    download = session.get(f"{cluster.b}/attachments/{pk}/", timeout=30)
    assert download.status_code == 200
    assert download.content == content
    assert download.headers["Content-Disposition"].startswith("attachment")


def test_a_session_made_on_one_server_is_valid_on_the_other(cluster):
    import requests

    session, response = _login(cluster.a, "supervisor")
    assert response.status_code == 302
    other = requests.Session()
    other.cookies.update(session.cookies)
    page = other.get(f"{cluster.b}/", allow_redirects=False, timeout=30)
    assert page.status_code == 200, page.headers.get("Location")
    # And a logged-out browser is sent to the login page there.
    assert requests.get(f"{cluster.b}/", allow_redirects=False, timeout=30).status_code == 302


def test_200_tasks_each_run_exactly_once(cluster):
    cluster.enqueue("from tests.multihost_tasks import record_run\nfor n in range(200): record_run.enqueue(n)")
    path = "tests.multihost_tasks.record_run"

    def finished():
        [(waiting,)] = cluster.query(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE task_path = %s AND status IN ('READY', 'RUNNING')",
            [path],
        )
        return waiting == 0

    _wait_for(finished, timeout=60, what="200 tasks")
    runs = cluster.query("SELECT n, count(*) FROM multihost_runs WHERE name = 'record' GROUP BY n")
    assert sorted(runs) == [(n, 1) for n in range(200)]
    rows = cluster.query(
        "SELECT status, jsonb_array_length(worker_ids::jsonb) FROM django_tasks_database_dbtaskresult WHERE task_path = %s",
        [path],
    )
    assert len(rows) == 200 and set(rows) == {("SUCCESSFUL", 1)}
    workers = {w for (w,) in cluster.query("SELECT DISTINCT worker FROM multihost_runs WHERE name = 'record'")}
    assert workers <= set(cluster.workers.values())


def _worker_name(cluster, worker_id: str) -> str:
    return next(name for name, wid in cluster.workers.items() if wid == worker_id)


def test_a_task_of_a_killed_worker_is_run_again_once_by_the_other(cluster):
    cluster.enqueue("from tests.multihost_tasks import slow_run\nslow_run.enqueue(3.0)")

    def started():
        return cluster.query("SELECT worker FROM multihost_runs WHERE name = 'slow' AND phase = 'start'")

    [(first,)] = _wait_for(started, timeout=30, what="the slow task to start")
    cluster.kill(_worker_name(cluster, first))

    def done():
        return cluster.query(
            "SELECT status, worker_ids::text FROM django_tasks_database_dbtaskresult "
            "WHERE task_path = 'tests.multihost_tasks.slow_run' AND status IN ('SUCCESSFUL', 'FAILED')"
        )

    [(status, worker_ids)] = _wait_for(done, timeout=LEASE * 4 + 20, what="the slow task to be re-run")
    survivor = next(w for w in cluster.workers.values() if w != first)
    assert status == "SUCCESSFUL"
    assert worker_ids.replace(" ", "") == f'["{first}","{survivor}"]'
    phases = cluster.query("SELECT worker, phase FROM multihost_runs WHERE name = 'slow' ORDER BY id")
    assert phases == [(first, "start"), (survivor, "start"), (survivor, "done")]
    del cluster.workers[_worker_name(cluster, first)]


def test_the_scheduler_fails_over(cluster):
    cluster.workers["worker-c"] = cluster.start_worker("worker-c")

    def holders():
        rows = cluster.query(
            "SELECT worker_id FROM core_workerheartbeat WHERE is_scheduler AND seen_at > statement_timestamp() - %s::interval",
            [f"{LEASE} seconds"],
        )
        return [w for (w,) in rows]

    [holder] = _wait_for(holders, timeout=30, what="a scheduler")
    [(locks,)] = cluster.query(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = "
        "(SELECT oid FROM pg_database WHERE datname = current_database())"
    )
    assert locks == 1
    [(killed_at,)] = cluster.query("SELECT statement_timestamp()")
    cluster.kill(_worker_name(cluster, holder))

    def new_holder():
        live = [w for w in holders() if w != holder]
        return live if live else None

    [successor] = _wait_for(new_holder, timeout=30, what="another worker to take over the scheduler")
    assert successor in cluster.workers.values() and successor != holder
    # The new scheduler enqueues the periodic jobs, and only it does.
    _wait_for(
        lambda: cluster.query(
            "SELECT 1 FROM django_tasks_database_dbtaskresult WHERE enqueued_at > %s AND task_path LIKE 'fazhi.%%'",
            [killed_at],
        ),
        timeout=30,
        what="periodic jobs from the new scheduler",
    )
    [(locks,)] = cluster.query(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = "
        "(SELECT oid FROM pg_database WHERE datname = current_database())"
    )
    assert locks == 1


def test_a_login_locked_out_on_one_server_is_locked_on_the_other(cluster):
    for _ in range(int(cluster.env["LOGIN_MAX_FAILURES"])):
        _, response = _login(cluster.a, "officer", password="wrong-password")
        assert response.status_code == 200
    _, response = _login(cluster.b, "officer")
    assert response.status_code == 200, "the right password must not let a locked account in"
    assert "锁定" in response.text
