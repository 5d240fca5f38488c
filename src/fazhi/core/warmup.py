"""Work a process does once when it starts serving, so that the first request does not pay for it (loading
jieba's dictionary and the routing model took 6–12 s on a cold complaint page).

Apps register a callable in `ready()` — registering loads nothing, so management commands and test runs stay
fast. `fazhi serve` runs the warmers in gunicorn's master before it forks its workers (they inherit the loaded
dictionaries and models, shared copy-on-write); `fazhi worker` runs them before it takes its first task.
"""

import logging
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)

# name -> a callable, or the dotted path of one (so that registering imports nothing heavy)
WARMERS: dict[str, Callable[[], object] | str] = {}


def register(name: str, warmer: Callable[[], object] | str) -> None:
    WARMERS[name] = warmer


def warm_all() -> dict[str, float]:
    """Run every registered warmer; returns the seconds each took (a failed one is logged and left out)."""
    from django.db import connections
    from django.utils.module_loading import import_string

    timings: dict[str, float] = {}
    for name, warmer in WARMERS.items():
        started = time.monotonic()
        try:
            (import_string(warmer) if isinstance(warmer, str) else warmer)()
        except Exception:  # a warm-up must never keep the server from starting: the first request loads it again
            logger.exception("warm-up %s failed", name)
            continue
        timings[name] = round(time.monotonic() - started, 2)
    # Never hand an open database connection over to forked worker processes.
    connections.close_all()
    return timings
