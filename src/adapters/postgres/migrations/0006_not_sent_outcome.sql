-- 0006: a call that never reached FMS (not sent under a lapsed hold, connection refused) is audited
-- as `not_sent`, not as `refused`: FMS refused nothing.
ALTER TABLE fms_operations DROP CONSTRAINT fms_operations_outcome_check;
ALTER TABLE fms_operations
    ADD CONSTRAINT fms_operations_outcome_check
    CHECK (outcome IN ('pending', 'success', 'refused', 'ambiguous', 'not_sent'));
