"""Reminders and escalation (亮牌提醒): yellow → the action unit; red → also its supervising unit.

Each notice carries a key made of item, colour and deadline, so a rerun never notifies twice, while a
moved deadline that turns yellow again is a new notice.
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone

from fazhi.core.models import Notification, Role, User
from fazhi.tracking.models import TrackedItem
from fazhi.tracking.registry import KINDS, kind_label
from fazhi.tracking.selectors import yellow_until

logger = logging.getLogger(__name__)


def _unit_recipients(unit_id: int, permission: str, cache: dict) -> list[User]:
    key = (unit_id, permission)
    if key not in cache:
        # Roles hold permissions as a JSON list; few roles exist, so filter them in Python (portable).
        role_ids = [r.pk for r in Role.objects.filter(is_active=True) if permission in (r.permissions or [])]
        cache[key] = list(User.objects.filter(unit_id=unit_id, is_active=True, roles__in=role_ids).distinct())
    return cache[key]


def _permission_for(item: TrackedItem) -> str:
    kind = KINDS.get(item.kind)
    if kind is None:
        return "inbox.view"
    return kind.review_permission if item.status == "review" else kind.act_permission


def _escalation_permission(item: TrackedItem) -> str:
    """Who hears of a red item in the supervising unit: those who review that kind (the supervisors)."""
    kind = KINDS.get(item.kind)
    return kind.review_permission if kind else "inbox.view"


def _notice(item: TrackedItem, today: dt.date, cache: dict) -> tuple[str, str, str, str, list[User]]:
    colour = "red" if item.deadline < today else "yellow"
    label = kind_label(item.kind)
    if colour == "yellow":
        left = "今天到期" if item.deadline == today else f"将于 {item.deadline:%Y-%m-%d} 到期"
        title = f"【黄牌】{label}“{item.title}”{left}"
    else:
        title = f"【红牌】{label}“{item.title}”已超期（期限 {item.deadline:%Y-%m-%d}）"
    body = f"责任单位：{item.unit}；期限依据：{item.deadline_source}"
    key = f"item:{item.pk}:{colour}:{item.deadline:%Y%m%d}"
    if item.action_user_id:
        recipients = [item.action_user] if item.action_user.is_active else []
    else:
        recipients = _unit_recipients(item.action_unit_id, _permission_for(item), cache)
    if colour == "red":
        upper = item.action_unit.escalation_unit
        if upper is not None:
            recipients = recipients + [
                u for u in _unit_recipients(upper.pk, _escalation_permission(item), cache) if u not in recipients
            ]
    return colour, key, title, body, recipients


def _flush(batch: list, sent: dict) -> None:
    """Create the notices of a batch of items that do not exist yet: two queries for the whole batch."""
    keys = {key for _, key, _, _, _, _ in batch}
    existing = set(Notification.objects.filter(dedup_key__in=keys).values_list("recipient_id", "dedup_key"))
    fresh = []
    for colour, key, title, body, url, recipients in batch:
        for r in recipients:
            if (r.pk, key) not in existing:
                existing.add((r.pk, key))
                fresh.append(
                    Notification(recipient=r, title=title[:200], body=body, url=url, level=colour, dedup_key=key)
                )
                sent[colour] += 1
    Notification.objects.bulk_create(fresh, ignore_conflicts=True)
    batch.clear()


def scan_deadlines(*, today: dt.date | None = None) -> dict[str, int]:
    """Notify for every open item that is yellow or red today. Returns counts of new notices.

    Safe to rerun at any time: a notice whose key (item, colour, deadline) exists is not sent again.
    """
    today = today or timezone.localdate()
    until = yellow_until(today)
    cache: dict = {}
    sent = {"yellow": 0, "red": 0}
    due = (
        TrackedItem.objects.exclude(status="closed")
        .filter(deadline__lte=until, paused=False)
        .select_related("unit", "action_unit", "action_unit__parent", "action_unit__supervising_unit", "action_user")
        .order_by("deadline", "id")
    )
    batch: list = []
    for item in due.iterator(chunk_size=2000):
        colour, key, title, body, recipients = _notice(item, today, cache)
        if recipients:
            batch.append((colour, key, title, body, item.url, recipients))
        if len(batch) >= 1000:
            _flush(batch, sent)
    if batch:
        _flush(batch, sent)
    if settings.FAZHI["EMAIL_ENABLED"]:
        email_pending()
    return sent


def email_pending() -> int:
    """E-mail the notices not yet e-mailed to recipients who have an address (only when SMTP is set)."""
    pending = (
        Notification.objects.filter(emailed_at__isnull=True)
        .exclude(Q(recipient__email="") | Q(recipient__email__isnull=True))
        .select_related("recipient")[:500]
    )
    done = 0
    for n in pending:
        try:
            send_mail(n.title, f"{n.body}\n\n{n.url}", None, [n.recipient.email])
        except OSError as exc:  # SMTP down: keep the notice pending for the next scan
            logger.warning("reminder e-mail failed: %s", exc)
            break
        Notification.objects.filter(pk=n.pk).update(emailed_at=timezone.now())
        done += 1
    return done
