"""The media-scheduler command: serve, migrate, demo-data, reconcile, fms-sim."""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from types import FrameType

import structlog
import uvicorn

from adapters.postgres.embedded import check_data_dir
from application.ports import UnitOfWorkFactory
from entrypoints.cli.fms_sim import add_fms_sim_parser, run_fms_sim
from entrypoints.cli.heap import freeze_startup_objects
from entrypoints.cli.startup_checks import EXIT_CONFIG, StartupFailure, check_startup
from entrypoints.cli.sync_command import add_sync_parser, sync_command
from entrypoints.http.app import create_app
from entrypoints.settings.service import ConfigError, Settings
from entrypoints.wiring.container import Container, build_container, resolve, shutdown
from entrypoints.wiring.demo_data import load_demo_data
from entrypoints.wiring.fms import teach_sandbox_vehicles
from entrypoints.wiring.logging_setup import configure_logging
from entrypoints.workers.recovery import RecoveryWorker

log = structlog.get_logger("media_scheduler.cli")


async def _load_demo(container: Container) -> None:
    settings: Settings = await resolve(container.settings)
    factory: UnitOfWorkFactory = await resolve(container.uow_factory)
    clock = await resolve(container.clock)
    if settings.demo_data and await load_demo_data(factory, clock.today()):
        log.info("demo data loaded", offices="Los Angeles, New York")


def reachable_data_dir(data_dir: Path) -> Path:
    """DATA_DIR, or a stand-in outside /root when PostgreSQL's own user could not reach it."""
    try:
        check_data_dir(data_dir.resolve())
        return data_dir
    except ValueError as exc:
        digest = hashlib.sha1(str(data_dir.resolve()).encode()).hexdigest()[:10]
        fallback = Path("/var/tmp/media-scheduler") / digest
        log.warning("data dir moved", reason=str(exc), data_dir=str(fallback))
        return fallback


class _Server(uvicorn.Server):
    """uvicorn's server, telling the service it is stopping as soon as the signal comes: queued FMS
    calls are then not sent, so a bulk (and its streaming client) ends while uvicorn waits for it."""

    def __init__(self, config: uvicorn.Config, on_exit: list[Callable[[], None]]) -> None:
        super().__init__(config)
        self._on_exit = on_exit

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        for stop in self._on_exit:
            stop()
        super().handle_exit(sig, frame)


def serve(settings: Settings) -> int:
    """Run the HTTP service until Ctrl-C or SIGTERM; the embedded database stops with it."""
    if settings.embedded_database:
        settings = replace(settings, data_dir=reachable_data_dir(settings.data_dir))
    container = build_container(settings)

    async def ready() -> None:
        await _load_demo(container)
        simulator = await resolve(container.fms_simulator)
        await teach_sandbox_vehicles(simulator, await resolve(container.uow_factory))
        frozen = freeze_startup_objects()
        log.info(
            "media scheduler ready",
            objects_frozen=frozen,
            url=f"http://{settings.host}:{settings.port}",
            openapi=f"http://{settings.host}:{settings.port}/schema",
            fms_environment=settings.fms.environment,
            storage=settings.storage_backend,
        )
        if settings.fms.environment == "sandbox":
            log.warning("SANDBOX MODE: FMS calls go to the built-in sandbox")
        if not settings.security.auth.enabled:  # only the sandbox gets here (see auth_config.py)
            log.warning(
                "NO AUTHENTICATION: every call acts as the development identity "
                f"{settings.dev_actor!r} with the scheduler and admin roles; set AUTH_JWT_SECRET or "
                "AUTH_JWKS_URL before anyone else can reach this service"
            )

    stopping: list[Callable[[], None]] = []

    async def stop_sending_at_signal() -> None:
        stopping.append((await resolve(container.holder)).stop)

    app = create_app(container, on_ready=[stop_sending_at_signal, ready])
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        lifespan="on",
        timeout_graceful_shutdown=math.ceil(settings.shutdown_timeout_seconds),
    )
    server = _Server(config, on_exit=stopping)
    try:
        server.run()
    except KeyboardInterrupt:  # uvicorn re-raises Ctrl-C after its graceful shutdown
        log.info("stopped by Ctrl-C")
        return 130
    return 0 if server.started else 1


async def _with_resources(settings: Settings, demo: bool) -> None:
    container = build_container(settings)
    await container.init_resources()  # type: ignore[misc]
    try:
        if demo:
            factory: UnitOfWorkFactory = await resolve(container.uow_factory)
            clock = await resolve(container.clock)
            loaded = await load_demo_data(factory, clock.today())
            print("demo data loaded" if loaded else "the database already has data; nothing loaded")
        else:
            print("migrations applied")
    finally:
        await shutdown(container)


async def _reconcile_once(settings: Settings) -> int:
    """One recovery pass with the service's adapters; prints what it did."""
    if settings.fms.environment == "sandbox":
        # The sandbox FMS lives inside the serving process: another process would see an empty one
        # and take every request for missing. The worker inside `serve` settles sandbox operations.
        print(
            "FMS_ENVIRONMENT=sandbox: the sandbox FMS lives inside `serve`, whose recovery worker "
            "settles its operations; reconcile runs against staging or production",
            file=sys.stderr,
        )
        return 2
    container = build_container(settings)
    await container.init_resources()  # type: ignore[misc]
    try:
        worker: RecoveryWorker = await resolve(container.recovery)
        report = await worker.run_once()
    finally:
        await shutdown(container)
    if not report.ran:
        print("another recovery pass is running; nothing done")
        return 1
    print(
        f"examined {report.examined}, settled {report.settled}, left unknown {report.left_unknown}, "
        f"deferred {report.deferred}"
    )
    return 0


def _quiet(settings: Settings) -> Settings:
    """The settings of a one-shot command: neither the recovery worker nor the nightly schedule."""
    return replace(
        settings,
        recovery=replace(settings.recovery, enabled=False),
        sync=replace(settings.sync, enabled=False),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the media-scheduler command."""
    parser = argparse.ArgumentParser(prog="media-scheduler", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="run the HTTP service (embedded PostgreSQL unless DATABASE_URL is set)")
    sub.add_parser("migrate", help="apply database migrations and exit")
    sub.add_parser("demo-data", help="load the demo data into an empty database and exit")
    sub.add_parser("reconcile", help="settle stale FMS operations once (the recovery worker's pass) and exit")
    add_fms_sim_parser(sub)
    add_sync_parser(sub)
    args = parser.parse_args(argv)
    if args.command == "fms-sim":  # stands in for FMS: needs none of the service's settings
        return run_fms_sim(args)
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return EXIT_CONFIG
    configure_logging(settings.log_level, settings.log_format)
    if args.command in ("serve", "migrate", "demo-data", "reconcile", "sync"):
        try:
            data_dir = reachable_data_dir(settings.data_dir) if settings.embedded_database else None
            check_startup(settings, data_dir)
        except StartupFailure as failure:
            print(f"media-scheduler cannot start: {failure}", file=sys.stderr)
            return failure.exit_code
    if args.command == "serve":
        return serve(settings)
    if args.command == "reconcile":
        return asyncio.run(
            _reconcile_once(replace(settings, recovery=replace(settings.recovery, enabled=False)))
        )
    if args.command == "sync":  # one run now: neither the recovery worker nor the nightly schedule
        return asyncio.run(sync_command(_quiet(settings), args))
    asyncio.run(_with_resources(settings, demo=args.command == "demo-data"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
