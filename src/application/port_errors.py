"""Port errors: what adapters raise instead of driver exceptions (asyncpg, httpx never cross a port)."""

from __future__ import annotations


class PortError(Exception):
    """Base of errors raised by adapters."""


class StorageUnavailable(PortError):
    """The database cannot be reached or failed."""


class StorageRefusedValue(PortError):
    """The database refused a value of the input (text it cannot store, a number or date out of its
    range): the input is at fault, not the database, and nothing of the unit of work was stored."""


class ConcurrentUpdate(PortError):
    """The stored row changed since it was read (optimistic version check failed)."""


class ConflictingWrite(PortError):
    """The change breaks a uniqueness rule the store enforces (two live holders of one FMS request)."""


class FmsCallError(PortError):
    """An FMS call did not succeed; subclasses say whether FMS may have acted."""

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code


class FmsDefiniteRefusal(FmsCallError):
    """FMS answered and did not act: validation (400/404/422). Its message is shown to users."""


class FmsCredentialsRefused(FmsDefiniteRefusal):
    """FMS refused our token or requestor (401/403): nothing was done."""


class FmsNotReached(FmsCallError):
    """The call certainly did not reach FMS (connection refused, DNS failure): nothing was done."""


class FmsAmbiguous(FmsCallError):
    """FMS may or may not have acted (5xx, timeout, reset, 2xx without an id)."""


class SourceUnavailable(PortError):
    """The report's bytes could not be read to the end (HTTP error, timeout, missing file)."""
