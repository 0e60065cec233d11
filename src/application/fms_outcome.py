"""Shared step 3 of the FMS protocol: turn a port error into the recorded outcome and the app error."""

from __future__ import annotations

from application.errors import (
    FmsCredentialsRejected,
    FmsOutcomeUnknown,
    FmsProblem,
    FmsRejected,
    FmsUnavailable,
)
from application.port_errors import (
    FmsAmbiguous,
    FmsCallError,
    FmsCredentialsRefused,
    FmsDefiniteRefusal,
    FmsNotReached,
)
from application.records import OperationOutcome


def outcome_of(error: FmsCallError) -> OperationOutcome:
    """Refused (FMS answered and did nothing), not sent (the call never reached FMS), or ambiguous
    (FMS may have acted)."""
    if isinstance(error, FmsNotReached):
        return OperationOutcome.NOT_SENT
    if isinstance(error, FmsDefiniteRefusal):
        return OperationOutcome.REFUSED
    return OperationOutcome.AMBIGUOUS


def fms_did_not_act(error: FmsCallError) -> bool:
    """True when FMS certainly did nothing: it refused the call, or the call never reached it."""
    return outcome_of(error) in (OperationOutcome.REFUSED, OperationOutcome.NOT_SENT)


def problem_for(error: FmsCallError, *, assignment_id: int, fms_state: str, action: str) -> FmsProblem:
    """The application error that tells the caller what happened and whether FMS may have acted."""
    cls: type[FmsProblem]
    if isinstance(error, FmsCredentialsRefused):
        cls, message = (
            FmsCredentialsRejected,
            (
                f"FMS refused our credentials while trying to {action}: the FMS token or requestor id is "
                f"wrong ({error.message}); nothing was changed in FMS"
            ),
        )
    elif isinstance(error, FmsDefiniteRefusal):
        cls, message = FmsRejected, f"FMS refused to {action}: {error.message}"
    elif isinstance(error, FmsNotReached):
        cls, message = (
            FmsUnavailable,
            (
                f"FMS could not be reached to {action} ({error.message}); the request certainly did not "
                "reach FMS, nothing was changed"
            ),
        )
    else:
        assert isinstance(error, FmsAmbiguous)
        cls, message = (
            FmsOutcomeUnknown,
            (
                f"FMS did not give a clear answer to {action} ({error.message}); it may have reached FMS. "
                f"fms_state is {fms_state}: it will be settled in the background, do not retry"
            ),
        )
    return cls(message, assignment_id=assignment_id, fms_state=fms_state, status_code=error.status_code)
