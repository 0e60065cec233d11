"""OpenAPI descriptions of the error answers each route can give."""

from __future__ import annotations

from litestar.openapi.datastructures import ResponseSpec

from entrypoints.http.error_schemas import ErrorBody

_MEANING = {
    400: "malformed input (bad JSON, wrong types, missing fields)",
    404: "unknown or removed assignment",
    409: (
        "refused by a rule: active/completed loan, FMS operation in progress, or a booking conflict "
        "(at most 50 listed in conflicts; conflict_count counts them all), or a sync already running "
        "(its run_id)"
    ),
    413: (
        "request body too large, more ids than BULK_MAX_ITEMS in one bulk call, "
        "or more slots than CHAIN_MAX_SLOTS in one chain or schedule save"
    ),
    422: "invalid values, a rule before the request failed, or FMS refused our data (its message in detail)",
    502: "FMS refused our credentials, or answered with an error; detail says if it may have acted",
    503: "FMS or the database could not be reached; nothing was sent to FMS",
    504: "FMS did not answer in time: the request may have reached it (fms_state unknown)",
}


def error_responses(*codes: int) -> dict[int, ResponseSpec]:
    """ResponseSpecs for the given status codes, all with the ErrorBody shape."""
    return {
        code: ResponseSpec(data_container=ErrorBody, description=_MEANING[code], generate_examples=False)
        for code in codes
    }


FMS_ERRORS = (404, 409, 422, 502, 503, 504)
CREATE_ERRORS = (400, 409, 413, 422)
READ_ERRORS = (400, 422)
