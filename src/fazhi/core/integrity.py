"""Keyed SM3 (HMAC-SM3) for the tamper-evident chains: tracking timelines and the login and operation logs.

The key (settings.TIMELINE_HMAC_KEY: the environment variable of that name, or var/timeline_hmac_key created
0600) is kept outside the database: whoever can rewrite rows cannot recompute a chain that still verifies.
"""

import hashlib
import hmac
import json

from django.conf import settings


def sm3_hex(data: bytes) -> str:
    return hashlib.new("sm3", data).hexdigest()


def keyed_sm3(data: bytes) -> str:
    """HMAC-SM3 of `data` with the chain key."""
    return hmac.new(settings.TIMELINE_HMAC_KEY.encode(), data, "sm3").hexdigest()


def key_id() -> str:
    """A fingerprint of the key, stored beside what it signed, so that a wrong key is told from tampering."""
    return keyed_sm3(b"fazhi-chain-key-id")[:16]


def canonical(payload) -> bytes:
    """The one serialisation every chain hashes: sorted keys, no spaces, UTF-8."""
    return json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a or "", b or "")
