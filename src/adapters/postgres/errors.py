"""The one place where asyncpg and socket errors become port errors.

A value the database cannot take (SQLSTATE class 22 "data exception", a limit exceeded, text the driver
cannot encode, an integer out of its range) is the input's fault: StorageRefusedValue. Everything else
(connections, the pool and its acquire timeout, the server) is StorageUnavailable.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from contextlib import contextmanager
from typing import Any, ParamSpec, TypeVar
from urllib.parse import unquote, urlsplit, urlunsplit

import asyncpg

from application.port_errors import ConflictingWrite, StorageRefusedValue, StorageUnavailable

P = ParamSpec("P")
R = TypeVar("R")

# OSError covers refused or reset sockets and (since 3.11) TimeoutError.
DRIVER_ERRORS: tuple[type[BaseException], ...] = (
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,
    OSError,
)
# asyncpg raises DataError for arguments it cannot encode; COPY raises the codec's own errors.
DATA_ERRORS: tuple[type[BaseException], ...] = (
    asyncpg.DataError,
    asyncpg.ProgramLimitExceededError,
    UnicodeEncodeError,
    OverflowError,
)
MAX_MESSAGE_CHARS = 300  # driver messages quote the value, which may be 10,000 characters long


def describe(error: BaseException) -> str:
    """A short description of a driver error: its class and message (never a DSN)."""
    text = str(error).strip()
    if len(text) > MAX_MESSAGE_CHARS:
        text = text[:MAX_MESSAGE_CHARS] + "..."
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


@contextmanager
def storage_errors(action: str) -> Iterator[None]:
    """Re-raise driver errors escaping the block as port errors, naming what was being done."""
    try:
        yield
    except asyncpg.UniqueViolationError as error:
        raise ConflictingWrite(f"{action}: {error.detail or error}") from error
    except DATA_ERRORS as error:
        raise StorageRefusedValue(
            f"value refused by the database while {action}: {describe(error)}"
        ) from error
    except TimeoutError as error:  # an OSError: before DRIVER_ERRORS
        raise StorageUnavailable(
            f"database timeout while {action}: no connection came free in time, or no answer came"
        ) from error
    except DRIVER_ERRORS as error:
        raise StorageUnavailable(f"database error while {action}: {describe(error)}") from error


def translate_errors(
    action: str,
) -> Callable[[Callable[P, Awaitable[R]]], Callable[P, Coroutine[Any, Any, R]]]:
    """Decorate an async adapter method so that no driver exception leaves it."""

    def decorate(method: Callable[P, Awaitable[R]]) -> Callable[P, Coroutine[Any, Any, R]]:
        @functools.wraps(method)
        async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            with storage_errors(action):
                return await method(*args, **kwargs)

        return wrapper

    return decorate


def redact_dsn(dsn: str) -> str:
    """The DSN with any password replaced by '***', safe to show in messages and logs."""
    try:
        parts = urlsplit(dsn)
        password = parts.password
    except ValueError:
        return "<unparsable dsn>"
    if not password:
        return dsn
    host = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def without_secret(text: str, dsn: str) -> str:
    """Text with the DSN's password (if any) blanked out."""
    try:
        password = urlsplit(dsn).password
    except ValueError:
        return text.replace(dsn, "<dsn>")
    if not password:
        return text
    for secret in {password, unquote(password)}:
        text = text.replace(secret, "***")
    return text
