"""Paths that guard themselves instead of the bearer-token guard (a leaf module: no import cycle).

/metrics takes an admin token or METRICS_TOKEN; the FMS webhook is signed with FMS_WEBHOOK_SECRET.
"""

from __future__ import annotations

METRICS_PATH = "/metrics"
WEBHOOK_PATH = "/api/fms/webhooks/vehicle-requests"
SELF_GUARDED_PATHS = frozenset({METRICS_PATH, WEBHOOK_PATH})
