"""The hostile corpus (issue 11): values a careless or malicious client sends, and where they go.

For every operation of the served schema, `BASE` holds one valid request; `mutations` derives from it
one request per hostile value in each of its parameters and body fields, plus requests whose body as a
whole is wrong (bare arrays and objects, deep nesting, duplicated keys, other content types, empty
multipart).
"""

from __future__ import annotations

import json
from urllib.parse import quote

from tests.e2e.fuzz.probe import Probe, as_json, multipart
from tests.e2e.world import OFFICE, PARTNER, VIN_OK

# Query and path values, as sent in the URL (already percent-encoded).
URL_VALUES = {
    "NUL": "a%00b",
    "lone surrogate": "%ED%B2%80",  # U+DC80 as UTF-8 would encode it, if it could
    "10,000 characters": "x" * 10_000,
    "year 0001": "0001-01-01",
    "year 9999": "9999-12-31",
    "2^63": str(2**63),
    "-2^63-1": str(-(2**63) - 1),
    "1e309": "1e309",
    "NaN": "NaN",
    "offset +23:59": quote("0001-01-01T00:00:00+23:59"),
    "offset -23:59": quote("9999-12-31T23:59:59-23:59"),
    "offset +05:17": quote("2026-12-01T00:00:00+05:17"),
}
# Body values, as JSON text (1e309 and NaN are not JSON, but parsers have been known to take them).
JSON_VALUES = {
    "NUL": '"a\\u0000b"',
    "lone surrogate": '"\\udc80"',
    "10,000 characters": json.dumps("x" * 10_000),
    "year 0001": '"0001-01-01"',
    "year 9999": '"9999-12-31"',
    "2^63": str(2**63),
    "-2^63-1": str(-(2**63) - 1),
    "1e309": "1e309",
    "NaN": "NaN",
    "-0.0": "-0.0",
    "offset +23:59": '"0001-01-01T00:00:00+23:59"',
    "bare array": "[]",
    "bare object": "{}",
    "null": "null",
    "1,000 nested arrays": "[" * 1000 + "]" * 1000,  # issue 25: the decoder's RecursionError was a 500
    "1,000 nested objects": '{"a":' * 1000 + "1" + "}" * 1000,
    "brackets in a string": json.dumps("[{" * 500),
}
# Bodies whose nesting is the problem, sent whole (the limit is 32 levels: entrypoints/http/json_depth.py).
DEEP_BODIES = {
    "body of 1,000 nested arrays": b"[" * 1000 + b"]" * 1000,
    "body of 1,000 nested objects": b'{"a":' * 1000 + b"1" + b"}" * 1000,
    "body of 1,000 mixed levels": b'[{"a":' * 500 + b"1" + b"}]" * 500,
    "body of 33 nested arrays": b"[" * 33 + b"]" * 33,
    "body of 1,000 unclosed arrays": b"[" * 1000,
}
SLOT = {"vin": VIN_OK, "make": "Audi", "model": "Q5", "start_date": "2027-01-04", "end_date": "2027-01-08"}


VEHICLE_ROW = f"89943,2025,Audi,Q5,Q5 45,{OFFICE},{VIN_OK},PRESS,,,0,3/2025,,,Black\n".encode()
UPLOAD, UPLOAD_TYPE = multipart([("file", "vehicles.csv", VEHICLE_ROW)])
WINDOW = {"start_date": "2026-12-01", "end_date": "2026-12-31"}
BULK = {"assignment_ids": [2]}
BASE: dict[str, Probe] = {
    "PATCH /api/calendar/change-assignment-status/{assignment_id}": Probe(
        "PATCH", "/api/calendar/change-assignment-status/2", {"new_status": "planned"}, None, None
    ),
    "POST /api/fms/create-vehicle-request/{assignment_id}": Probe(
        "POST", "/api/fms/create-vehicle-request/2"
    ),
    "DELETE /api/fms/delete-vehicle-request/{assignment_id}": Probe(
        "DELETE", "/api/fms/delete-vehicle-request/999"
    ),
    "DELETE /api/calendar/delete-assignment/{assignment_id}": Probe(
        "DELETE", "/api/calendar/delete-assignment/999"
    ),
    "GET /api/fms/config": Probe("GET", "/api/fms/config"),
    "POST /api/fms/bulk-create-vehicle-requests": Probe(
        "POST", "/api/fms/bulk-create-vehicle-requests", body=as_json(BULK)
    ),
    "POST /api/fms/bulk-unrequest-vehicle-requests": Probe(
        "POST", "/api/fms/bulk-unrequest-vehicle-requests", body=as_json(BULK)
    ),
    "POST /api/fms/bulk-delete-vehicle-requests": Probe(
        "POST", "/api/fms/bulk-delete-vehicle-requests", body=as_json({"assignment_ids": [999]})
    ),
    "GET /api/offices": Probe("GET", "/api/offices"),
    "GET /api/calendar/vehicles": Probe("GET", "/api/calendar/vehicles", {"office": quote(OFFICE)}),
    "GET /api/calendar/media-partners": Probe(
        "GET", "/api/calendar/media-partners", {"office": quote(OFFICE)}
    ),
    "GET /api/calendar/partner-tiers": Probe("GET", "/api/calendar/partner-tiers", {"office": quote(OFFICE)}),
    "GET /api/calendar/activity": Probe(
        "GET",
        "/api/calendar/activity",
        {"office": quote(OFFICE), **WINDOW, "vin": VIN_OK, "make": "Audi", "person_id": str(PARTNER)},
    ),
    "GET /api/calendar/free-vehicles": Probe(
        "GET", "/api/calendar/free-vehicles", {"office": quote(OFFICE), **WINDOW}
    ),
    "GET /api/ui/config": Probe("GET", "/api/ui/config"),
    "GET /api/chain-builder/vehicle-busy-periods": Probe(
        "GET", "/api/chain-builder/vehicle-busy-periods", {"vin": VIN_OK, **WINDOW}
    ),
    "POST /api/calendar/schedule-assignment": Probe(
        "POST",
        "/api/calendar/schedule-assignment",
        body=as_json(
            {
                "vin": VIN_OK,
                "person_id": PARTNER,
                "start_day": "2027-02-01",
                "end_day": "2027-02-05",
                "office": OFFICE,
                "partner_name": "Rivera, Alex",
                "make": "Audi",
                "model": "Q5",
            }
        ),
    ),
    "POST /api/chain-builder/save-chain": Probe(
        "POST",
        "/api/chain-builder/save-chain",
        body=as_json(
            {"person_id": PARTNER, "partner_name": "Rivera, Alex", "office": OFFICE, "chain": [SLOT]}
        ),
    ),
    "POST /api/chain-builder/save-vehicle-chain": Probe(
        "POST",
        "/api/chain-builder/save-vehicle-chain",
        body=as_json(
            {
                "vin": VIN_OK,
                "vehicle_make": "Audi",
                "vehicle_model": "Q5",
                "office": OFFICE,
                "chain": [
                    {
                        "person_id": PARTNER,
                        "partner_name": "Rivera, Alex",
                        "start_date": "2027-03-01",
                        "end_date": "2027-03-05",
                    }
                ],
            }
        ),
    ),
    "POST /api/calendar/save-schedule": Probe(
        "POST",
        "/api/calendar/save-schedule",
        body=as_json(
            {
                "office": OFFICE,
                "week_start": "2027-04-05",
                "assignments": [{"vin": VIN_OK, "person_id": PARTNER, "start_day": "2027-04-05"}],
            }
        ),
    ),
    "GET /healthz": Probe("GET", "/healthz"),
    "GET /healthz/db": Probe("GET", "/healthz/db"),
    "GET /healthz/ready": Probe("GET", "/healthz/ready"),
    "GET /api/assignments/{assignment_id}": Probe("GET", "/api/assignments/1"),
    "GET /api/fms/attention": Probe("GET", "/api/fms/attention"),
    "POST /api/fms/resolve/{assignment_id}": Probe(
        "POST", "/api/fms/resolve/999", body=as_json({"resolution": "link", "fms_request_id": 4372})
    ),
    "GET /api/fms/operations": Probe(
        "GET",
        "/api/fms/operations",
        {
            "assignment_id": "1",
            "actor": "pat%40example.com",
            "outcome": "success",
            "since": "2000-01-01T00:00:00",
            "until": "2100-01-01T00:00:00",
            "limit": "5",
        },
    ),
    "POST /api/admin/trigger-sync": Probe("POST", "/api/admin/trigger-sync"),
    "GET /api/admin/sync-status": Probe("GET", "/api/admin/sync-status"),
    "POST /api/ingest/sync": Probe("POST", "/api/ingest/sync"),
    "GET /api/ingest/sync/status": Probe("GET", "/api/ingest/sync/status"),
    "POST /ingest/{report}/url": Probe(
        "POST", "/ingest/vehicles/url", {"url": quote("http://127.0.0.2:9/vehicles.csv"), "force": "false"}
    ),
    "POST /ingest/{report}": Probe("POST", "/ingest/vehicles", {"force": "false"}, UPLOAD, UPLOAD_TYPE),
}
