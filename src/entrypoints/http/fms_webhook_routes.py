"""Route: POST /api/fms/webhooks/vehicle-requests, the events FMS pushes (README: FMS webhook).

No bearer token: the body is signed with FMS_WEBHOOK_SECRET (webhook_signature.py). The route exists
only when that secret is set.
"""

from __future__ import annotations

from typing import Any

import structlog
from litestar import Request, Response, Router, post
from litestar.exceptions import NotAuthorizedException, ValidationException

from adapters.fms_http.secret import Secret
from application.fms_webhook import apply_fms_event
from entrypoints.http.dependencies import ClockDep, UowDep
from entrypoints.http.fms_webhook_schemas import EventAnswer, EventRefused, answer_of, decode_event
from entrypoints.http.webhook_signature import SIGNATURE_HEADER, TIMESTAMP_HEADER, SignatureRefused, verify
from entrypoints.settings.ops_paths import WEBHOOK_PATH

log = structlog.get_logger("media_scheduler.fms_webhook")


def build_fms_webhook_router(secret: Secret | None) -> Router | None:
    """The webhook's router, or None when FMS_WEBHOOK_SECRET is not set (the route does not exist)."""
    if secret is None:
        return None

    @post(WEBHOOK_PATH, status_code=200, security=[], summary="An event FMS pushes about a vehicle request")
    async def fms_vehicle_request_event(
        request: Request[Any, Any, Any], uow_factory: UowDep, clock: ClockDep
    ) -> Response[EventAnswer]:
        """Apply a signed event once: 200 with what changed, 202 when no assignment holds the request
        yet (kept, applied once one does), 409 for an event id reused with another body."""
        body = await request.body()
        try:
            verify(
                secret.reveal(),
                timestamp=request.headers.get(TIMESTAMP_HEADER),
                sent=request.headers.get(SIGNATURE_HEADER),
                body=body,
                now=clock.now().timestamp(),
            )
        except SignatureRefused as refused:
            log.warning("fms event refused", reason=str(refused))
            raise NotAuthorizedException(detail=str(refused)) from None
        try:
            event = decode_event(body)
        except EventRefused as exc:
            log.warning("fms event unreadable", reason=str(exc))
            raise ValidationException(detail=str(exc)) from None
        result = await apply_fms_event(event, uow_factory=uow_factory, clock=clock)
        log.info(
            "fms event",
            event_id=event.event_id,
            type=event.type.value,
            fms_request_id=event.fms_request_id,
            outcome=result.outcome,
            changed=[change[0] for change in result.changed],
        )
        status = 202 if result.outcome == "waiting" else 200
        return Response(answer_of(result), status_code=status)

    return Router(path="/", route_handlers=[fms_vehicle_request_event], tags=["FMS webhook"])
