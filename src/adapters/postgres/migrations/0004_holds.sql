-- 0004: holds. A process holds the FMS operations it has queued or started; its lease is one row
-- here, renewed by a heartbeat, so every replica sees it and a crashed process's holds lapse. An
-- operation may be taken over (recovery worker, a person) only when no live process holds it.
CREATE TABLE fms_holders (
    holder_id   uuid PRIMARY KEY,
    name        text NOT NULL,
    lease_until timestamptz NOT NULL
);

ALTER TABLE assignments
    ADD COLUMN pending_held_by     uuid,
    ADD COLUMN pending_quiet_until timestamptz;

-- One live holder per FMS request: no path may let two requested assignments share one request.
CREATE UNIQUE INDEX assignments_one_holder_per_fms_request
    ON assignments (fms_request_id) WHERE NOT removed AND status = 'requested';
