"""The S3-compatible file store, configured from the environment (read by settings.py; no Django imports).

STORAGE_URL=s3://KEY:SECRET@host:port/bucket?region=cn-north-1   HTTPS to an S3-compatible endpoint
STORAGE_URL=s3+http://KEY:SECRET@host:port/bucket                 plain HTTP (a store on the same LAN)
STORAGE_URL=s3:///bucket                                            AWS itself, keys from S3_* or AWS_*

S3_ENDPOINT_URL, S3_BUCKET, S3_ACCESS_KEY, S3_SECRET_KEY, S3_REGION and S3_ADDRESSING_STYLE override the
parts of STORAGE_URL they name, or configure the store on their own (S3_BUCKET is then required).
Nothing here is specific to one vendor's store.
"""

from collections.abc import Mapping
from urllib.parse import parse_qs, unquote, urlsplit


def s3_options(env: Mapping[str, str]) -> dict | None:
    """OPTIONS for storages.backends.s3.S3Storage, or None when no S3 store is configured."""
    url = env.get("STORAGE_URL", "").strip()
    parts: dict[str, str] = {}
    if url:
        split = urlsplit(url)
        if split.scheme not in {"s3", "s3+http", "s3+https"}:
            raise RuntimeError(f"STORAGE_URL 的协议 {split.scheme!r} 不受支持：应为 s3:// 或 s3+http://")
        if split.hostname:
            scheme = "http" if split.scheme == "s3+http" else "https"
            port = f":{split.port}" if split.port else ""
            parts["endpoint"] = f"{scheme}://{split.hostname}{port}"
        if split.username:
            parts["access_key"] = unquote(split.username)
        if split.password:
            parts["secret_key"] = unquote(split.password)
        parts["bucket"] = split.path.strip("/")
        query = {k: v[-1] for k, v in parse_qs(split.query).items()}
        if "region" in query:
            parts["region"] = query["region"]
        if "addressing_style" in query:
            parts["addressing_style"] = query["addressing_style"]
    for key, var in [
        ("endpoint", "S3_ENDPOINT_URL"),
        ("bucket", "S3_BUCKET"),
        ("access_key", "S3_ACCESS_KEY"),
        ("secret_key", "S3_SECRET_KEY"),
        ("region", "S3_REGION"),
        ("addressing_style", "S3_ADDRESSING_STYLE"),
    ]:
        if env.get(var, "").strip():
            parts[key] = env[var].strip()
    if not parts:
        return None
    if not parts.get("bucket"):
        raise RuntimeError("已配置 S3 文件存储但没有存储桶名：请设置 STORAGE_URL 的路径或 S3_BUCKET")

    from botocore.config import Config

    # A store that is down must fail the request within seconds, not after botocore's retries.
    client_config = Config(
        connect_timeout=float(env.get("S3_CONNECT_TIMEOUT", "2")),
        read_timeout=float(env.get("S3_TIMEOUT", "10")),
        retries={"max_attempts": 2, "mode": "standard"},
        s3={"addressing_style": parts.get("addressing_style", "path" if parts.get("endpoint") else "auto")},
        signature_version="s3v4",
    )
    options = {
        "bucket_name": parts["bucket"],
        "endpoint_url": parts.get("endpoint"),
        "region_name": parts.get("region"),
        "access_key": parts.get("access_key"),
        "secret_key": parts.get("secret_key"),
        "client_config": client_config,
        # Objects stay private: files go out only through attachment_response, after the permission check.
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
    }
    return {k: v for k, v in options.items() if v is not None}
