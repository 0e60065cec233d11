"""How a call to FMS goes wrong: the one fault vocabulary of the FMS fakes.

The in-memory fake (`adapters/memory/fms_gateway.py`), the FMS simulator (`src/fms_simulator/`, its
control API's `mode`) and the tests all speak it. It lives here, depending on nothing, because the
memory fake is an adapter and adapters may not import the simulator; the simulator, beside the four
layers, imports this module and nothing else of the service.
"""

from __future__ import annotations

from enum import StrEnum


class FmsFault(StrEnum):
    """What a call suffers; `commit_then_*` act first (FMS did it), the others do nothing."""

    ERROR = "error"  # answer a status (the simulator's `status`, 500 unless said) without acting
    REFUSE = "refuse"  # answer 422: FMS refused, nothing done
    AUTH = "auth"  # answer 401: FMS refused the credentials, nothing done
    SERVER_ERROR = "server_error"  # answer 500 without acting
    HANG = "hang"  # answer nothing until the caller gives up (a timeout), without acting
    DROP = "drop"  # close the connection without an answer, without acting
    RESET = "reset"  # abort the connection with a TCP reset, without acting
    UNREACHABLE = "unreachable"  # FMS not reached at all (connection refused): the memory fake only
    COMMIT_THEN_FAIL = "commit_then_fail"  # act, then answer an error status
    COMMIT_THEN_HANG = "commit_then_hang"  # act, then answer nothing until the caller gives up
    COMMIT_THEN_DROP = "commit_then_drop"  # act, then close the connection without an answer
    LOOKUP_UNFILTERED = "lookup_unfiltered"  # a lookup lists every request, ignoring its filter
    LOOKUP_PAGED = "lookup_paged"  # a lookup answers page 1 (of a page size) of the unfiltered listing


FIXED_STATUS = {FmsFault.REFUSE: 422, FmsFault.AUTH: 401, FmsFault.SERVER_ERROR: 500}
LOOKUP_FAULTS = frozenset({FmsFault.LOOKUP_UNFILTERED, FmsFault.LOOKUP_PAGED})
ACTING_FAULTS = frozenset({FmsFault.COMMIT_THEN_FAIL, FmsFault.COMMIT_THEN_HANG, FmsFault.COMMIT_THEN_DROP})
