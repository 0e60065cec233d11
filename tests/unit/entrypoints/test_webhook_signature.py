"""The FMS webhook's signature check, and the README's worked example."""

from __future__ import annotations

import pytest

from entrypoints.http.webhook_signature import SignatureRefused, signature, verify

# The README's worked example (FMS webhook): keep them the same.
SECRET = "whsec_example"
STAMP = "1767225600"
BODY = (
    b'{"event_id":"evt-1","type":"request.approved","request":{"id":5001,"activity_id":9000001,'
    b'"start_date":"12/01/26","end_date":"12/08/26"}}'
)
EXPECTED = "sha256=a5c1e28ca158b09c72b204086033f3b3f53c991a6514149e74e64bc7daa619dc"


def test_the_readme_worked_example() -> None:
    assert signature(SECRET, STAMP, BODY) == EXPECTED
    verify(SECRET, timestamp=STAMP, sent=EXPECTED, body=BODY, now=float(STAMP) + 299)


@pytest.mark.parametrize(
    ("timestamp", "sent", "body", "now", "needle"),
    [
        (STAMP, EXPECTED, BODY + b" ", float(STAMP), "does not match"),
        (STAMP, EXPECTED.replace("sha256=a", "sha256=b"), BODY, float(STAMP), "does not match"),
        (STAMP, EXPECTED, BODY, float(STAMP) + 301, "300 s"),
        (STAMP, EXPECTED, BODY, float(STAMP) - 301, "300 s"),
        (None, EXPECTED, BODY, float(STAMP), "required"),
        (STAMP, None, BODY, float(STAMP), "required"),
        ("-5", EXPECTED, BODY, float(STAMP), "unix seconds"),
        ("1e9", EXPECTED, BODY, float(STAMP), "unix seconds"),
    ],
)
def test_refusals(timestamp: str | None, sent: str | None, body: bytes, now: float, needle: str) -> None:
    with pytest.raises(SignatureRefused, match=needle) as refused:
        verify(SECRET, timestamp=timestamp, sent=sent, body=body, now=now)
    assert SECRET not in str(refused.value)


def test_another_secret_does_not_verify() -> None:
    with pytest.raises(SignatureRefused):
        verify("other", timestamp=STAMP, sent=EXPECTED, body=BODY, now=float(STAMP))


@pytest.mark.parametrize(
    "timestamp",
    ["\u00b2", "\u00b2" * 10, "\u0661\u0667\u0666\u0667\u0662\u0662\u0665\u0666\u0660\u0660", "+1767225600",
     "176722560", "17672256000", " 1767225600", "1767225600\n"],
)  # fmt: skip
def test_a_timestamp_is_exactly_ten_ascii_digits(timestamp: str) -> None:
    with pytest.raises(SignatureRefused, match="X-FMS-Timestamp"):
        verify(SECRET, timestamp=timestamp, sent=EXPECTED, body=BODY, now=float(STAMP))
