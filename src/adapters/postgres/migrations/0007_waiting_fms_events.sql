-- 0007: an event FMS pushes about a request no assignment holds yet waits (outcome 'waiting') and is
-- applied once an operation settles with that request id. What it said is kept to apply it later
-- (activity_id) and to refuse the same event id saying something else (fingerprint).
ALTER TABLE fms_webhook_events
    ADD COLUMN activity_id bigint,
    ADD COLUMN fingerprint text;

CREATE INDEX fms_webhook_events_waiting ON fms_webhook_events (fms_request_id, received_at)
    WHERE outcome = 'waiting';

-- Rejections and cancellations dropped as 'unknown_request' before events waited: they wait now, so a
-- request FMS rejected before its create's outcome was stored no longer stays requested for good.
-- (Approvals then were kept without their activity id: the current-activity report settles those.)
UPDATE fms_webhook_events SET outcome = 'waiting'
WHERE outcome = 'unknown_request' AND type IN ('request.rejected', 'request.cancelled');
