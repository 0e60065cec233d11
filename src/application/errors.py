"""Application errors: what a use-case reports beyond the domain's rule violations."""

from __future__ import annotations


class ApplicationError(Exception):
    """Base of application errors."""


class AssignmentNotFound(ApplicationError):
    """No live assignment has this id."""

    def __init__(self, assignment_id: int) -> None:
        super().__init__(f"assignment {assignment_id} not found")
        self.assignment_id = assignment_id


class InvalidInput(ApplicationError):
    """Input values that are well-formed but not acceptable (answered 422)."""


class FmsProblem(ApplicationError):
    """An FMS call failed; the outcome has been recorded on the assignment."""

    def __init__(self, message: str, *, assignment_id: int, fms_state: str, status_code: int | None) -> None:
        super().__init__(message)
        self.assignment_id = assignment_id
        self.fms_state = fms_state
        self.status_code = status_code


class FmsRejected(FmsProblem):
    """FMS refused our data; its message is in the error. Nothing was created or deleted."""


class FmsCredentialsRejected(FmsProblem):
    """FMS refused our token or requestor id: a configuration problem on our side."""


class FmsUnavailable(FmsProblem):
    """FMS could not be reached; the call certainly did not reach it."""


class FmsOutcomeUnknown(FmsProblem):
    """FMS may or may not have acted; the assignment is marked and will be settled later."""


class ChainTooLarge(ApplicationError):
    """More slots in one chain or schedule save than CHAIN_MAX_SLOTS (answered 413)."""

    def __init__(self, count: int, limit: int) -> None:
        super().__init__(
            f"too many assignments in one save: {count}, at most {limit} are accepted (CHAIN_MAX_SLOTS); "
            "split the chain into smaller saves"
        )
        self.count = count
        self.limit = limit


class BatchTooLarge(ApplicationError):
    """More ids than one bulk call accepts."""

    def __init__(self, count: int, limit: int) -> None:
        super().__init__(
            f"too many assignment ids in one bulk call: {count}, at most {limit} are accepted; "
            "split them into smaller batches"
        )
        self.count = count
        self.limit = limit


class OutcomeNotRecorded(ApplicationError):
    """FMS was called but its answer could not be stored; the recovery worker settles the assignment."""


class SyncAlreadyRunning(ApplicationError):
    """A sync run holds the one-sync lock: a second trigger is refused at once, never queued."""

    def __init__(self, run_id: int | None) -> None:
        which = f"run {run_id}" if run_id is not None else "its run is starting"
        super().__init__(f"a sync is already running ({which}); try again when it has finished")
        self.run_id = run_id
