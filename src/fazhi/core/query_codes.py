"""Tracking codes and query passwords of things the public files on the portal (complaints, disclosure requests,
reconsiderations, …): the citizen gets a code and a password once and reads the progress with them.

- `random_code(n)`: n characters of an alphabet without 0/O and 1/I (codes are read out on the phone);
- `query_password(submit_token, purpose=…)`: 10 such characters; with a submit token it is derived from it (HMAC
  with the secret key), so that the same form submitted twice answers with the same code and the same password;
- `password_digest(salt, password)`: what is stored. The password is random (50 bits) and queries are rate-limited
  per IP, so a salted SM3 digest is enough (as for API tokens); a slow hash would only slow the status page down.
"""

import hashlib
import hmac
import secrets

from django.conf import settings

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
PASSWORD_LENGTH = 10


def random_code(n: int) -> str:
    # One read of the system's random source per code: with 32 letters, each byte's low five bits pick one
    # uniformly (256 is a multiple of 32). secrets.choice per letter cost a read per letter (100k codes: 7 s).
    return "".join([CODE_ALPHABET[b & 31] for b in secrets.token_bytes(n)])


def query_password(submit_token: str | None, *, purpose: str) -> str:
    if not submit_token:
        return random_code(PASSWORD_LENGTH)
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{purpose}:{submit_token}".encode(), hashlib.sha256).digest()
    return "".join(CODE_ALPHABET[b % len(CODE_ALPHABET)] for b in digest[:PASSWORD_LENGTH])


def password_digest(salt: str, password: str) -> str:
    return hashlib.new("sm3", f"{salt}:{password}".encode()).hexdigest()


def password_matches(salt: str, password: str, digest: str) -> bool:
    return hmac.compare_digest(password_digest(salt, password or ""), digest or "")
