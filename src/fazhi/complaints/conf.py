"""Settings of the complaints app: environment variables, overridable as a whole by `settings.FAZHI_COMPLAINTS`.

COMPLAINT_DEADLINES      "inaction=10,abuse=15,hotline=5"  working days per category (rules.py has defaults)
COMPLAINT_RATE_LIMITS    "ip_hour=5,ip_day=20,phone_day=3,query_fail_hour=10"
COMPLAINT_IMAP_HOST/PORT/USER/PASSWORD/SSL/MAILBOX   the complaint mailbox polled by `fazhi mail poll`
COMPLAINT_GATEWAY        dotted path of the message gateway (default: e-mail through Django, SMS recorded)
ROUTING_RETRAIN_HOURS    how old the routing model may get before the worker retrains it (default 24)
"""

import os

from django.conf import settings


def _table(value: str) -> dict[str, int]:
    table = {}
    for part in (value or "").split(","):
        key, _, days = part.partition("=")
        if days.strip().isdigit():
            table[key.strip()] = int(days)
    return table


def conf() -> dict:
    env = os.environ
    base = {
        "DEADLINES": _table(env.get("COMPLAINT_DEADLINES", "")),
        "RATE_LIMITS": _table(env.get("COMPLAINT_RATE_LIMITS", "")),
        "IMAP_HOST": env.get("COMPLAINT_IMAP_HOST", ""),
        "IMAP_PORT": int(env.get("COMPLAINT_IMAP_PORT", "0") or 0),
        "IMAP_USER": env.get("COMPLAINT_IMAP_USER", ""),
        "IMAP_PASSWORD": env.get("COMPLAINT_IMAP_PASSWORD", ""),
        "IMAP_SSL": env.get("COMPLAINT_IMAP_SSL", "true").strip().lower() in {"1", "true", "yes", "on"},
        "IMAP_MAILBOX": env.get("COMPLAINT_IMAP_MAILBOX", "INBOX"),
        "GATEWAY": env.get("COMPLAINT_GATEWAY", "fazhi.complaints.gateway.DefaultGateway"),
        "RETRAIN_HOURS": int(env.get("ROUTING_RETRAIN_HOURS", "24")),
    }
    return {**base, **getattr(settings, "FAZHI_COMPLAINTS", {})}
