"""IMAP intake of the complaint mailbox: each new message becomes one complaint with its attachments, once.

Exactly once: messages are read by UID above the last one done (per UIDVALIDITY); each is taken in its own
transaction, and its Message-ID is unique on the complaint, so a crash between the commit and the
bookkeeping, or a mailbox rebuilt with new UIDs, never makes a second complaint.
"""

import datetime as dt
import email
import imaplib
import logging
from email import policy
from email.utils import parseaddr, parsedate_to_datetime

from django.db import transaction
from django.utils import timezone

from fazhi.complaints.conf import conf
from fazhi.complaints.models import MailboxState
from fazhi.complaints.services import email_intake

logger = logging.getLogger(__name__)


def _connect(c: dict) -> imaplib.IMAP4:
    port = c["IMAP_PORT"] or (993 if c["IMAP_SSL"] else 143)
    client = (imaplib.IMAP4_SSL if c["IMAP_SSL"] else imaplib.IMAP4)(c["IMAP_HOST"], port, timeout=30)
    client.login(c["IMAP_USER"], c["IMAP_PASSWORD"])
    return client


def parse_message(raw: bytes) -> dict:
    msg = email.message_from_bytes(raw, policy=policy.default)
    name, addr = parseaddr(str(msg.get("From", "")))
    body_part = msg.get_body(preferencelist=("plain", "html"))
    body = body_part.get_content() if body_part is not None else ""
    if body_part is not None and body_part.get_content_type() == "text/html":
        import re

        body = re.sub(r"<[^>]+>", " ", body)
    files = []
    for part in msg.iter_attachments():
        data = part.get_payload(decode=True) or b""
        files.append((part.get_filename() or "附件", data))
    try:
        received = parsedate_to_datetime(str(msg["Date"])) if msg["Date"] else None
    except (TypeError, ValueError):
        received = None
    if received is not None and timezone.is_naive(received):
        received = timezone.make_aware(received, dt.UTC)
    if received is not None and received > timezone.now():
        received = None
    return {
        "message_id": str(msg.get("Message-ID", "")).strip(),
        "sender": addr,
        "sender_name": name,
        "subject": str(msg.get("Subject", "")),
        "body": body,
        "received_at": received,
        "files": files,
    }


def poll(*, limit: int = 200) -> dict:
    """Read new messages of the configured mailbox. Returns counts; raises OSError/imaplib.IMAP4.error when the
    server cannot be reached (the caller logs it and tries again later)."""
    c = conf()
    if not c["IMAP_HOST"]:
        return {"configured": False, "created": 0, "skipped": 0}
    client = _connect(c)
    created = skipped = 0
    try:
        typ, _ = client.select(c["IMAP_MAILBOX"])
        if typ != "OK":
            raise imaplib.IMAP4.error(f"cannot select {c['IMAP_MAILBOX']}")
        uidvalidity = int((client.untagged_responses.get("UIDVALIDITY") or [b"0"])[0])
        key = f"{c['IMAP_USER']}@{c['IMAP_HOST']}/{c['IMAP_MAILBOX']}"
        state, _ = MailboxState.objects.get_or_create(mailbox=key)
        if state.uidvalidity != uidvalidity:
            # A rebuilt mailbox renumbers its UIDs: start again; Message-IDs keep it exactly once.
            state.uidvalidity, state.last_uid = uidvalidity, 0
            state.save(update_fields=["uidvalidity", "last_uid"])
        typ, data = client.uid("SEARCH", None, f"UID {state.last_uid + 1}:*")
        uids = sorted(int(u) for u in (data[0] or b"").split() if int(u) > state.last_uid)[:limit]
        for uid in uids:
            typ, parts = client.uid("FETCH", str(uid), "(RFC822)")
            raw = next((p[1] for p in parts if isinstance(p, tuple)), None)
            if typ != "OK" or raw is None:
                continue
            fields = parse_message(raw)
            if not fields["message_id"]:
                fields["message_id"] = f"<uid-{uidvalidity}-{uid}@{c['IMAP_HOST']}>"
            with transaction.atomic():
                complaint = email_intake(**fields)
                MailboxState.objects.filter(pk=state.pk).update(last_uid=uid, polled_at=timezone.now())
            created += complaint is not None
            skipped += complaint is None
        MailboxState.objects.filter(pk=state.pk).update(polled_at=timezone.now())
    finally:
        try:
            client.logout()
        except (OSError, imaplib.IMAP4.error):
            pass
    return {"configured": True, "created": created, "skipped": skipped}
