"""`media-scheduler fms-sim`: the FMS simulator on its own port, until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sqlite3
import sys
from datetime import date
from pathlib import Path

import structlog

from entrypoints.wiring.logging_setup import configure_logging
from fms_simulator.faults import FaultPlan
from fms_simulator.server import SimulatorServer
from fms_simulator.state import SimState
from fms_simulator.store import SimStore
from fms_simulator.world import World

log = structlog.get_logger("media_scheduler.fms_sim")


def add_fms_sim_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Declare the fms-sim subcommand and its options."""
    p = sub.add_parser("fms-sim", help="run the FMS simulator (vehicle requests, reports, fault injection)")
    p.add_argument("--port", type=int, required=True, help="port to listen on (0: a free one)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument(
        "--token",
        default=None,
        help="the only token accepted (`Authorization: Token <t>`); default FMS_SIM_TOKEN, else any token",
    )
    p.add_argument("--latency-ms", type=int, default=0, help="latency added to every API call")
    p.add_argument("--seed", type=int, default=1, help="seed of the generated fleet and reports")
    p.add_argument("--scale", type=float, default=1.0, help="report sizes relative to today's FMS")
    p.add_argument(
        "--first-id", type=int, default=4000, help="id of the first vehicle request (of a fresh --state)"
    )
    p.add_argument(
        "--state",
        type=Path,
        default=None,
        help="SQLite file keeping requests, approvals, vehicles and ids across restarts (default: memory)",
    )


def run_fms_sim(args: argparse.Namespace) -> int:
    """Serve the simulator until stopped; 2 on bad options."""
    if not 0 <= args.port < 65536 or args.latency_ms < 0 or args.scale <= 0:
        print("fms-sim: --port must be 0-65535, --latency-ms >= 0 and --scale > 0", file=sys.stderr)
        return 2
    configure_logging("INFO", "console" if sys.stderr.isatty() else "json")
    token = args.token or os.environ.get("FMS_SIM_TOKEN", "").strip() or None
    try:
        store = SimStore(args.state) if args.state is not None else None
    except (OSError, sqlite3.Error) as exc:
        print(f"fms-sim: cannot use the state file {args.state}: {exc}", file=sys.stderr)
        return 1
    state = SimState(
        World(seed=args.seed, scale=args.scale, today=date.today()),
        token=token,
        faults=FaultPlan(default_latency_ms=args.latency_ms),
        first_id=args.first_id,
        store=store,
    )
    try:
        server = SimulatorServer(state, host=args.host, port=args.port, handle_signals=True)
    except OSError as exc:
        state.close()
        print(f"fms-sim: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    log.info(
        "fms simulator listening",
        url=server.url,
        token_required=token is not None,
        vehicles=state.world.vehicle_count,
        reports=f"{server.url}/reports/vehicles.csv",
        control=f"{server.url}/_control/requests",
        state=str(args.state) if args.state is not None else "in memory",
        requests_held=len(state.requests),
    )
    try:
        with contextlib.suppress(KeyboardInterrupt):  # uvicorn re-raises Ctrl-C after its graceful shutdown
            asyncio.run(server.serve_forever())
    finally:
        state.close()
    return 0
