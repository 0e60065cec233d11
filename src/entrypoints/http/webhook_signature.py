"""The FMS webhook's signature: HMAC-SHA256 of "<timestamp>.<raw body>" with FMS_WEBHOOK_SECRET.

X-FMS-Timestamp carries unix seconds, exactly ten ASCII digits (str.isdigit() would take Unicode digits
such as "²", which int() then refuses), X-FMS-Signature carries `sha256=<hex>`. A wrong signature or a
timestamp more than MAX_SKEW_SECONDS away from now is refused; the comparison takes constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import re

MAX_SKEW_SECONDS = 300
TIMESTAMP_HEADER = "x-fms-timestamp"
SIGNATURE_HEADER = "x-fms-signature"
_UNIX_SECONDS = re.compile(r"[0-9]{10}")


class SignatureRefused(Exception):
    """The event is not signed by FMS, or not now: its reason names the header, never the secret."""


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header value FMS sends for this timestamp and body."""
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def verify(secret: str, *, timestamp: str | None, sent: str | None, body: bytes, now: float) -> None:
    """Raise SignatureRefused unless the signature matches and the timestamp is within 300 s of now."""
    if not timestamp or not sent:
        raise SignatureRefused("X-FMS-Timestamp and X-FMS-Signature are required")
    if _UNIX_SECONDS.fullmatch(timestamp) is None:
        raise SignatureRefused("X-FMS-Timestamp must be unix seconds: exactly 10 ASCII digits")
    if abs(now - int(timestamp)) > MAX_SKEW_SECONDS:
        raise SignatureRefused(f"X-FMS-Timestamp is more than {MAX_SKEW_SECONDS} s away from now")
    if not hmac.compare_digest(signature(secret, timestamp, body).encode(), sent.strip().encode()):
        raise SignatureRefused("X-FMS-Signature does not match")
