-- 0005: events FMS pushes to the webhook (approved, rejected, cancelled). Each event id is kept, so a
-- redelivered event applies once; the row is the event's audit (what applying it did).
CREATE TABLE fms_webhook_events (
    event_id       text PRIMARY KEY,
    type           text NOT NULL,
    fms_request_id bigint NOT NULL,
    received_at    timestamptz NOT NULL,
    outcome        text NOT NULL
);

CREATE INDEX fms_webhook_events_request ON fms_webhook_events (fms_request_id);

-- An assignment's history also shows the requests FMS rejected or cancelled.
ALTER TABLE assignment_events DROP CONSTRAINT assignment_events_kind_check;
ALTER TABLE assignment_events
    ADD CONSTRAINT assignment_events_kind_check CHECK (kind IN ('activated', 'completed', 'rejected', 'cancelled'));
