"""HttpFmsGateway: the FMS vehicle-request API over HTTP, every outcome classified into port errors."""

from __future__ import annotations

import time
from typing import Any

import httpx
import structlog

from adapters.fms_http.client import FmsEndpoint
from adapters.fms_http.lookup import LookupUnclear, judge_lookup
from adapters.fms_http.wire import REQUESTS_PATH, create_body, created_id, error_message
from application.port_errors import (
    FmsAmbiguous,
    FmsCallError,
    FmsCredentialsRefused,
    FmsDefiniteRefusal,
    FmsNotReached,
)
from application.ports import FmsAnswer
from domain.fms_request import VehicleRequest
from domain.loan_dates import DateOutsideFmsWindow

log = structlog.get_logger("media_scheduler.fms")

# Errors raised before a single byte of the request left: FMS certainly did nothing.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout, httpx.UnsupportedProtocol)


class HttpFmsGateway:
    """FmsGateway and FmsRequestFinder over one shared httpx client; a create is never retried."""

    def __init__(self, client: httpx.AsyncClient, endpoint: FmsEndpoint) -> None:
        self._client = client
        self._endpoint = endpoint

    def __repr__(self) -> str:
        return f"HttpFmsGateway(base_url={self._endpoint.base_url!r})"

    @property
    def base_url(self) -> str:
        """The FMS base URL this gateway calls."""
        return self._endpoint.base_url

    async def create_request(self, request: VehicleRequest) -> FmsAnswer:
        """POST a vehicle request; success only with a 2xx carrying an integer id at request.id.

        A date FMS's two-digit years cannot carry is refused here (FmsDefiniteRefusal): never sent.
        """
        try:
            body = create_body(request)
        except DateOutsideFmsWindow as exc:
            raise FmsDefiniteRefusal(f"not sent to FMS: {exc}") from exc
        response = await self._send("POST", REQUESTS_PATH, json=body)
        fms_id = created_id(response.content)
        if fms_id is None:
            raise FmsAmbiguous(
                f"FMS answered {response.status_code} without a usable request id",
                status_code=response.status_code,
            )
        log.info("fms request created", fms_request_id=fms_id, fms_status=response.status_code)
        return FmsAnswer(status_code=response.status_code, fms_request_id=fms_id)

    async def delete_request(self, fms_request_id: int) -> FmsAnswer:
        """DELETE a vehicle request; 404 means it is already gone, which counts as done."""
        response = await self._send("DELETE", f"{REQUESTS_PATH}/{fms_request_id}", gone_ok=True)
        log.info("fms request deleted", fms_request_id=fms_request_id, fms_status=response.status_code)
        return FmsAnswer(status_code=response.status_code)

    async def find_by_reference(self, reference: str) -> int | None:
        """The id of the request with the reference in requestor_notes; None only when FMS's answer
        provably covers it (filter applied, answer whole); every other answer is FmsAmbiguous."""
        response = await self._send("GET", REQUESTS_PATH, params={"requestor_notes": reference})
        try:
            found = judge_lookup(response.status_code, response.headers, response.content, reference)
        except LookupUnclear as exc:
            log.warning("fms lookup unclear", reason=str(exc), fms_status=response.status_code)
            raise FmsAmbiguous(
                f"FMS's lookup answer does not prove what it holds: {exc}", status_code=response.status_code
            ) from exc
        log.info("fms lookup", found=found is not None, fms_request_id=found)
        return found

    async def _send(self, method: str, path: str, *, gone_ok: bool = False, **kwargs: Any) -> httpx.Response:
        """One call, its outcome classified: a 2xx (or a 404 when gone_ok) is returned, the rest raised."""
        started = time.perf_counter()
        headers = {"Authorization": f"Token {self._endpoint.token.reveal()}"}
        try:
            response = await self._client.request(method, path, headers=headers, **kwargs)
        except httpx.HTTPError as exc:
            error = self._transport_error(exc)
            log.warning(
                "fms call failed", fms_method=method, fms_path=path, error=error.message, outcome=_kind(error)
            )
            raise error from exc
        duration_ms = round((time.perf_counter() - started) * 1000, 1)
        log.info(
            "fms call",
            fms_method=method,
            fms_path=path,
            fms_status=response.status_code,
            duration_ms=duration_ms,
        )
        if response.is_success or (gone_ok and response.status_code == 404):
            return response
        raise self._status_error(response)

    def _transport_error(self, exc: httpx.HTTPError) -> FmsCallError:
        name = type(exc).__name__
        detail = self._endpoint.token.redact(str(exc)) or name
        if isinstance(exc, _NOT_SENT):
            return FmsNotReached(f"could not connect to FMS ({name}: {detail})")
        if isinstance(exc, httpx.TimeoutException):
            return FmsAmbiguous(f"FMS did not answer in time ({name})")
        return FmsAmbiguous(f"the connection to FMS failed after the request was sent ({name}: {detail})")

    def _status_error(self, response: httpx.Response) -> FmsCallError:
        status = response.status_code
        message = self._endpoint.token.redact(
            error_message(
                response.content, response.headers.get("content-type", ""), status, response.reason_phrase
            )
        )
        if status in (401, 403):
            return FmsCredentialsRefused(message, status_code=status)
        if 400 <= status < 500:
            return FmsDefiniteRefusal(message, status_code=status)
        return FmsAmbiguous(f"FMS answered {status}: {message}", status_code=status)


def _kind(error: FmsCallError) -> str:
    return "not_reached" if isinstance(error, FmsNotReached) else "ambiguous"
