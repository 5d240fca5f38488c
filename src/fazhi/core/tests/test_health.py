"""/healthz and /readyz, and the Chinese 503 when the file store or Redis is down (real dead endpoints)."""

import shutil
import socket
import subprocess
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from fazhi.core.attachments import attachment_response, attachment_store
from fazhi.core.storage_config import s3_options

pytestmark = pytest.mark.django_db


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _dead_redis(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def _dead_s3(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": s3_options(
                {
                    "STORAGE_URL": f"s3+http://k:s@127.0.0.1:{_closed_port()}/bucket?region=us-east-1",
                    "S3_CONNECT_TIMEOUT": "0.5",
                }
            ),
        },
    }


def test_healthz_answers_without_login():
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


def test_readyz_reports_each_component_tersely(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "migrations": "ok", "cache": "ok", "storage": "ok"}


def test_readyz_fails_when_cache_or_storage_is_down(settings):
    _dead_redis(settings)
    _dead_s3(settings)
    response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body == {"status": "fail", "database": "ok", "migrations": "ok", "cache": "fail", "storage": "fail"}
    # Nothing about hosts, ports or exceptions reaches the caller.
    assert "127.0.0.1" not in response.content.decode() and "Error" not in response.content.decode()


class RedisServer:
    """A redis-server of this test's own on a free loopback port, to stop and start again."""

    def __init__(self):
        self.port = _closed_port()
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


@pytest.fixture
def redis_server():
    if not shutil.which("redis-server"):
        pytest.skip("redis-server 未安装")
    server = RedisServer()
    server.start()
    yield server
    server.stop()


def test_redis_down_gives_a_chinese_503_and_recovers(settings, users, redis_server):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{redis_server.port}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    client = Client(raise_request_exception=False)
    client.force_login(users["supervisor"])
    assert client.get("/").status_code == 200

    redis_server.stop()
    response = client.get("/")
    assert response.status_code == 503
    assert "缓存服务暂时不可用" in response.content.decode()
    response = client.get("/api/v1/inbox", HTTP_ACCEPT="application/json")
    assert response.status_code == 503 and response.json()["code"] == "cache_unavailable"

    # Redis back (empty): the same process and the same session work again; cached_db reads the database.
    redis_server.start()
    assert client.get("/").status_code == 200


def test_store_down_refuses_the_upload_and_writes_nothing(settings, users):
    from fazhi.core.models import Attachment
    from fazhi.core.outage import outage_kind

    _dead_s3(settings)
    before = Attachment.objects.count()
    with pytest.raises(Exception) as caught:
        attachment_store(file=SimpleUploadedFile("a.pdf", b"%PDF-1.4"), by=users["agency"])
    assert outage_kind(caught.value) == "storage"
    assert Attachment.objects.count() == before


def test_store_down_gives_a_chinese_503_on_download(settings, users, tmp_path):
    from django.urls import path

    settings.MEDIA_ROOT = tmp_path
    attachment = attachment_store(file=SimpleUploadedFile("a.pdf", b"%PDF-1.4"), by=users["agency"])

    def download(request):
        return attachment_response(attachment)

    urls = type(
        "urls", (), {"urlpatterns": [path("dl/", download)], "handler500": "fazhi.core.outage.server_error_view"}
    )
    settings.ROOT_URLCONF = urls
    _dead_s3(settings)
    response = Client(raise_request_exception=False).get("/dl/")
    assert response.status_code == 503
    assert "文件存储服务暂时不可用" in response.content.decode()
    assert response["Retry-After"] == "30"


def test_what_counts_as_an_outage():
    import errno

    import botocore.exceptions as boto_errors
    import redis.exceptions as redis_errors

    from fazhi.core.outage import outage_kind

    assert outage_kind(boto_errors.ConnectTimeoutError(endpoint_url="http://store")) == "storage"
    assert outage_kind(boto_errors.EndpointConnectionError(endpoint_url="http://store")) == "storage"
    assert outage_kind(boto_errors.ReadTimeoutError(endpoint_url="http://store")) == "storage"
    assert outage_kind(OSError(errno.ENOSPC, "disk full")) == "storage"
    assert outage_kind(redis_errors.ConnectionError("refused")) == "cache"
    assert outage_kind(redis_errors.TimeoutError("timeout")) == "cache"
    try:
        try:
            raise redis_errors.ConnectionError("refused")
        except redis_errors.ConnectionError as exc:
            raise RuntimeError("wrapped") from exc
    except RuntimeError as wrapped:
        assert outage_kind(wrapped) == "cache"
    # A missing file or a bug is not an outage.
    assert outage_kind(FileNotFoundError(errno.ENOENT, "gone")) is None
    assert outage_kind(ValueError("bug")) is None
    assert outage_kind(None) is None
