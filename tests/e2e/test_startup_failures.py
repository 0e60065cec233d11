"""Start-up failures give one clear line on stderr and an exit code per kind, never a traceback
(issue 21, item 9): an unusable DATA_DIR, an unreachable database, a read-only database, a too short
statement_timeout. `media-scheduler migrate` runs the same checks as `serve`, without serving."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
import pytest

from entrypoints.cli.main import main
from entrypoints.cli.startup_checks import (
    EXIT_DATA_DIR,
    EXIT_DATABASE_READ_ONLY,
    EXIT_DATABASE_UNREACHABLE,
    EXIT_STATEMENT_TIMEOUT,
)
from tests.pg_support import DatabaseFactory


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


async def _set(dsn: str, setting: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        name = await conn.fetchval("SELECT current_database()")
        await conn.execute(f'ALTER DATABASE "{name}" SET {setting}')
    finally:
        await conn.close()


def test_an_unusable_data_dir(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("DATA_DIR", str(blocker / "data"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("STORAGE_BACKEND", "postgres")
    assert main(["migrate"]) == EXIT_DATA_DIR
    assert "DATA_DIR" in _one_line(capsys.readouterr().err)


def test_an_unreachable_database(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    monkeypatch.setenv("STORAGE_BACKEND", "postgres")
    assert main(["migrate"]) == EXIT_DATABASE_UNREACHABLE
    assert "database unreachable" in _one_line(capsys.readouterr().err)


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("setting", "code", "needle"),
    [
        ("default_transaction_read_only = on", EXIT_DATABASE_READ_ONLY, "read-only"),
        ("statement_timeout = '50ms'", EXIT_STATEMENT_TIMEOUT, "statement_timeout"),
    ],
)
async def test_a_database_the_service_cannot_work_with(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    pg_database_factory: DatabaseFactory,
    setting: str,
    code: int,
    needle: str,
) -> None:
    dsn = await pg_database_factory()
    await _set(dsn, setting)
    monkeypatch.setenv("DATABASE_URL", dsn)
    monkeypatch.setenv("STORAGE_BACKEND", "postgres")
    assert await asyncio.to_thread(main, ["migrate"]) == code
    assert needle in _one_line(capsys.readouterr().err)
