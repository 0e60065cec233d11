"""The simulator's Litestar app: the FMS API, the control API and the reports over one state."""

from __future__ import annotations

from litestar import Litestar

from fms_simulator.api import api_router
from fms_simulator.control import control_router
from fms_simulator.state import SimState


def create_sim_app(sim: SimState) -> Litestar:
    """An app that behaves like FMS over the given state."""
    return Litestar(
        route_handlers=[api_router(sim), control_router(sim)],
        openapi_config=None,
        logging_config=None,
        debug=False,
    )
