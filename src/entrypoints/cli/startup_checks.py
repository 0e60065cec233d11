"""Start-up failures as one clear line and a distinct exit code (README: Configuration, exit codes).

Checked before anything starts, so that a misconfiguration never ends in a traceback: an unusable
DATA_DIR (embedded PostgreSQL), an unreachable DATABASE_URL, a read-only database or user, a too
short statement_timeout.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from adapters.postgres.preflight import DatabaseReadOnly, StatementTimeoutTooShort, preflight
from application.port_errors import StorageUnavailable
from entrypoints.settings.service import Settings

EXIT_CONFIG = 2  # a setting is malformed (configuration error)
EXIT_DATABASE_UNREACHABLE = 3
EXIT_DATABASE_READ_ONLY = 4
EXIT_STATEMENT_TIMEOUT = 5
EXIT_DATA_DIR = 6


class StartupFailure(Exception):
    """Why the service cannot start, as one line, and the exit code that names the kind."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def check_data_dir_usable(data_dir: Path) -> None:
    """DATA_DIR exists (or can be made) and this process can write in it."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        probe = data_dir / ".write-check"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise StartupFailure(f"DATA_DIR {data_dir} is not usable: {reason}", EXIT_DATA_DIR) from None
    if not os.access(data_dir, os.R_OK | os.W_OK | os.X_OK):
        raise StartupFailure(f"DATA_DIR {data_dir} is not usable: permission denied", EXIT_DATA_DIR)


def check_startup(settings: Settings, data_dir: Path | None = None) -> None:
    """Raise StartupFailure for the first problem found; None when the service may start."""
    if settings.storage_backend != "postgres":
        return
    if settings.database_url is None:
        check_data_dir_usable(data_dir or settings.data_dir)
        return
    try:
        asyncio.run(preflight(settings.database_url))
    except StorageUnavailable as exc:
        raise StartupFailure(f"database unreachable: {exc}", EXIT_DATABASE_UNREACHABLE) from None
    except DatabaseReadOnly as exc:
        raise StartupFailure(f"database not writable: {exc}", EXIT_DATABASE_READ_ONLY) from None
    except StatementTimeoutTooShort as exc:
        raise StartupFailure(f"database statement_timeout too short: {exc}", EXIT_STATEMENT_TIMEOUT) from None
