-- 0003: the audit log also records FMS look-ups (recovery) and resolutions made by people.
ALTER TABLE fms_operations DROP CONSTRAINT fms_operations_call_check;
ALTER TABLE fms_operations
    ADD CONSTRAINT fms_operations_call_check CHECK (call IN ('create', 'delete', 'lookup', 'resolve'));
CREATE INDEX fms_operations_actor ON fms_operations (actor, started_at);
