"""Response bodies of the calendar page's own reads."""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from entrypoints.http.sync_schemas import SyncSummary


class UiConfig(msgspec.Struct):
    """GET /api/ui/config: who is calling, how the page authenticates, and how fresh FMS's data is."""

    actor: str
    roles: list[str]
    auth: str  # "bearer": every call needs the FMS token; "none": the sandbox's development identity
    environment: str
    parent_origins: list[str]  # origins whose postMessage tokens the page accepts ('self': its own)
    data_as_of: datetime | None  # end of the last finished sync run (None: no sync yet)
    last_sync: SyncSummary | None


class FreeVehicleOut(msgspec.Struct):
    """A vehicle free for the whole range."""

    vin: str
    vehicle_id: int | None
    make: str | None
    model: str | None
    office: str


class FreeVehiclesResponse(msgspec.Struct):
    """GET /api/calendar/free-vehicles."""

    office: str
    start_date: date
    end_date: date
    vehicles: list[FreeVehicleOut]
    count: int
