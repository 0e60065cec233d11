"""Routes of the calendar page: the HTML at `/`, its static files, its config, the free-vehicles read."""

from __future__ import annotations

import html
from datetime import date
from typing import Annotated

from litestar import MediaType, Response, Router, get
from litestar.params import FromQuery, QueryParameter
from litestar.static_files import create_static_files_router
from litestar.types import ControllerRouterHandler

from application.free_vehicles import free_vehicles
from entrypoints.http.calendar_page.schemas import (
    FreeVehicleOut,
    FreeVehiclesResponse,
    UiConfig,
)
from entrypoints.http.dependencies import ActorDep, SyncRunnerDep, UowDep
from entrypoints.http.openapi_errors import READ_ERRORS, error_responses
from entrypoints.http.page_paths import ASSETS_PATH, PAGE_PATH, STATIC_DIR
from entrypoints.http.sync_schemas import summary_body
from entrypoints.settings.security import SecuritySettings
from entrypoints.settings.service import Settings

Office = Annotated[str, QueryParameter(min_length=1, max_length=200, description="office name")]


def parent_origins(security: SecuritySettings) -> tuple[str, ...]:
    """Whose fresh tokens the page accepts: EMBED_PARENT_ORIGINS, else the FRAME_ANCESTORS sources."""
    if security.embed_parent_origins:
        return security.embed_parent_origins
    return tuple(s for s in security.frame_ancestors if s != "'none'")


def render_page(template: str, *, auth: str, origins: tuple[str, ...]) -> str:
    """The page with what it needs before its first call, as data attributes (no secret)."""
    attributes = f'data-auth="{html.escape(auth)}" data-parent-origins="{html.escape(" ".join(origins))}"'
    return template.replace("data-config", attributes, 1)


@get("/api/calendar/free-vehicles", responses=error_responses(*READ_ERRORS))
async def free_vehicles_route(
    office: Office, start_date: FromQuery[date], end_date: FromQuery[date], uow_factory: UowDep
) -> FreeVehiclesResponse:
    """The office's vehicles that no booking holds in [start_date, end_date) (touching ends allowed)."""
    found = await free_vehicles(office, start_date, end_date, uow_factory=uow_factory)
    out = [
        FreeVehicleOut(vin=v.vin, vehicle_id=v.fms_vehicle_id, make=v.make, model=v.model, office=v.office)
        for v in found
    ]
    return FreeVehiclesResponse(
        office=office, start_date=start_date, end_date=end_date, vehicles=out, count=len(out)
    )


def build_calendar_page_router(settings: Settings) -> Router:
    """The page, its files and its reads; what the page needs of the settings is read once, here."""
    security = settings.security
    auth = "bearer" if security.auth.enabled else "none"
    origins = parent_origins(security)
    page = render_page((STATIC_DIR / "index.html").read_text(encoding="utf-8"), auth=auth, origins=origins)

    @get(PAGE_PATH, include_in_schema=False)
    async def calendar_page() -> Response[str]:
        """The calendar page (public: it holds no data; its calls carry the token)."""
        return Response(page, media_type=MediaType.HTML, headers={"Cache-Control": "no-cache"})

    @get("/api/ui/config")
    async def ui_config(actor: ActorDep, sync_runner: SyncRunnerDep) -> UiConfig:
        """Who is calling, how the page authenticates, and the last sync (FMS data as of ...)."""
        last = await sync_runner.runs.latest()
        return UiConfig(
            actor=actor.name,
            roles=sorted(actor.roles),
            auth=auth,
            environment=settings.fms.environment,
            parent_origins=list(origins),
            data_as_of=last.finished_at if last is not None else None,
            last_sync=summary_body(last) if last is not None else None,
        )

    handlers: list[ControllerRouterHandler] = [
        calendar_page,
        ui_config,
        free_vehicles_route,
        create_static_files_router(
            path=ASSETS_PATH, directories=[STATIC_DIR], include_in_schema=False, name="calendar_assets"
        ),
    ]
    return Router(path="/", route_handlers=handlers, tags=["Calendar page"])
