"""The file store on S3 (moto's S3 server on loopback, a real HTTP endpoint) and the cache settings."""

import hashlib
import json
import os
import subprocess
import sys

import boto3
import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from moto.server import ThreadedMotoServer

from fazhi.core.attachments import attachment_response, attachment_store
from fazhi.core.storage_config import s3_options

BUCKET = "fazhi-test"


@pytest.fixture(scope="module")
def s3_endpoint():
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id="k", aws_secret_access_key="s", region_name="us-east-1"
    ).create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


@pytest.fixture
def s3_storage(settings, s3_endpoint, tmp_path):
    # MEDIA_ROOT points at an empty directory: nothing may land on local disk.
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": s3_options(
                {"STORAGE_URL": f"s3+http://k:s@{s3_endpoint.removeprefix('http://')}/{BUCKET}?region=us-east-1"}
            ),
        },
    }
    return s3_endpoint


def _objects(endpoint: str) -> dict[str, bytes]:
    client = boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id="k", aws_secret_access_key="s", region_name="us-east-1"
    )
    keys = [o["Key"] for o in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    return {k: client.get_object(Bucket=BUCKET, Key=k)["Body"].read() for k in keys}


def test_storage_url_and_s3_variables():
    opts = s3_options({"STORAGE_URL": "s3://AK:S%2Fk@store.example.gov:9000/files?region=cn-north-1"})
    assert opts["endpoint_url"] == "https://store.example.gov:9000"
    assert (opts["access_key"], opts["secret_key"], opts["bucket_name"]) == ("AK", "S/k", "files")
    assert opts["region_name"] == "cn-north-1"
    assert opts["file_overwrite"] is False and opts.get("default_acl") is None
    opts = s3_options({"S3_ENDPOINT_URL": "http://10.0.0.5:9000", "S3_BUCKET": "b", "S3_ACCESS_KEY": "a"})
    assert (opts["endpoint_url"], opts["bucket_name"], opts["access_key"]) == ("http://10.0.0.5:9000", "b", "a")
    # The variables override the parts of STORAGE_URL they name.
    opts = s3_options({"STORAGE_URL": "s3://a:b@h/one", "S3_BUCKET": "two"})
    assert opts["bucket_name"] == "two"
    assert s3_options({}) is None
    with pytest.raises(RuntimeError, match="存储桶"):
        s3_options({"S3_ENDPOINT_URL": "http://h"})
    with pytest.raises(RuntimeError, match="协议"):
        s3_options({"STORAGE_URL": "ftp://h/b"})


def test_attachment_round_trip_through_s3(s3_storage, users, tmp_path):
    content = os.urandom(300_000) + "附件内容".encode()
    attachment = attachment_store(file=SimpleUploadedFile("现场照片.jpg", content), by=users["agency"])

    stored = _objects(s3_storage)
    assert stored == {attachment.file.name: content}
    assert attachment.sm3 == hashlib.new("sm3", content).hexdigest()
    assert not (tmp_path / "media").exists()

    response = attachment_response(attachment)
    assert b"".join(response.streaming_content) == content
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "image/jpeg"
    assert default_storage.exists(attachment.file.name)


def test_a_row_read_back_downloads_the_exact_bytes_from_s3(s3_storage, users):
    from fazhi.core.models import Attachment

    content = bytes(range(256)) * 1000
    attachment = attachment_store(file=SimpleUploadedFile("记录.pdf", content), by=users["supervisor"])
    assert Attachment.objects.get(pk=attachment.pk).file.name in _objects(s3_storage)
    response = attachment_response(Attachment.objects.get(pk=attachment.pk))
    assert hashlib.new("sm3", b"".join(response.streaming_content)).hexdigest() == attachment.sm3


def _settings_in_subprocess(env: dict) -> dict:
    code = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps({'cache': s.CACHES['default']['BACKEND'], 'session': s.SESSION_ENGINE, "
        "'storage': s.STORAGES['default']['BACKEND']}))"
    )
    base = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "STORAGE_URL"} and not k.startswith("S3_")}
    done = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**base, "DJANGO_SETTINGS_MODULE": "fazhi.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_settings_follow_the_environment():
    single = _settings_in_subprocess({})
    assert single == {
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "session": "django.contrib.sessions.backends.db",
        "storage": "django.core.files.storage.FileSystemStorage",
    }
    several = _settings_in_subprocess({"REDIS_URL": "redis://127.0.0.1:6379/5", "S3_BUCKET": "b"})
    assert several == {
        "cache": "django.core.cache.backends.redis.RedisCache",
        "session": "django.contrib.sessions.backends.cached_db",
        "storage": "storages.backends.s3.S3Storage",
    }
