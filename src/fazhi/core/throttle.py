"""Fixed-window counters for rate limits, kept through Django's cache API.

`add` and `incr` are atomic in every cache backend Django ships (local memory: one process; Redis, which
settings use when REDIS_URL is set: every host), so concurrent requests cannot slip past a limit between a
read and a write. A counter lives for its window; keys carry the window's number, so a new window starts at 0.
"""

import hashlib
import math
import time

from django.core.cache import cache


def _key(scope: str, ident: str, window_seconds: int, now: float) -> str:
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    return f"fazhi:throttle:{scope}:{digest}:{int(now // window_seconds)}"


def throttle_hit(*, scope: str, ident: str, window_seconds: int, now: float | None = None) -> int:
    """Count one event and return the window's count including it."""
    now = time.time() if now is None else now
    key = _key(scope, ident, window_seconds, now)
    cache.add(key, 0, timeout=window_seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window_seconds)
        return 1


def throttle_count(*, scope: str, ident: str, window_seconds: int, now: float | None = None) -> int:
    now = time.time() if now is None else now
    return int(cache.get(_key(scope, ident, window_seconds, now)) or 0)


def throttle_undo(*, scope: str, ident: str, window_seconds: int, now: float | None = None) -> None:
    """Take back one counted event (a login that turned out to succeed)."""
    now = time.time() if now is None else now
    try:
        cache.decr(_key(scope, ident, window_seconds, now))
    except ValueError:
        pass


def throttle_wait_minutes(*, window_seconds: int, now: float | None = None) -> int:
    """Whole minutes (at least 1) until the current window ends."""
    now = time.time() if now is None else now
    return max(1, math.ceil((window_seconds - now % window_seconds) / 60))
