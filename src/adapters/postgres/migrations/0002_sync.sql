-- 0002: the nightly sync of the FMS reports: budget spending, the record of runs, and the changes the
-- sync makes to assignments.
--
-- The report tables (vehicles, media_partners, approved_makes, loan_history, current_activity,
-- budget_spending) are replaced by the sync by building a new table beside the old one and swapping
-- the two in one short transaction (PostgresReportLoader): do not point foreign keys or views at them.

CREATE TABLE budget_spending (
    fleet       text NOT NULL,
    office      text NOT NULL,
    year        integer NOT NULL,
    quarter     integer NOT NULL CHECK (quarter BETWEEN 1 AND 4),
    amount_used numeric(14, 2),
    PRIMARY KEY (office, fleet, year, quarter)
);

CREATE TABLE sync_runs (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    trigger        text NOT NULL,
    status         text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'finished', 'interrupted')),
    started_at     timestamptz NOT NULL,
    finished_at    timestamptz,
    error          text,
    reconciliation jsonb,
    CONSTRAINT sync_runs_finished CHECK ((status = 'running') = (finished_at IS NULL))
);

CREATE INDEX sync_runs_started ON sync_runs (started_at DESC, id DESC);

CREATE TABLE sync_run_reports (
    run_id           bigint NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
    position         integer NOT NULL,
    report           text NOT NULL,
    success          boolean NOT NULL,
    failure          text,
    message          text NOT NULL,
    source           text,
    rows_read        integer NOT NULL,
    rows_loaded      integer NOT NULL,
    rows_rejected    integer NOT NULL,
    duration_seconds double precision NOT NULL,
    bad_rows         jsonb NOT NULL DEFAULT '[]',  -- the first bad rows: [{"line": 12, "reason": "..."}]
    PRIMARY KEY (run_id, position)
);

CREATE TABLE assignment_events (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    assignment_id bigint NOT NULL REFERENCES assignments (id),
    at            timestamptz NOT NULL,
    kind          text NOT NULL CHECK (kind IN ('activated', 'completed')),
    from_status   text NOT NULL,
    to_status     text NOT NULL,
    activity_id   bigint,
    reason        text NOT NULL,
    sync_run_id   bigint REFERENCES sync_runs (id)
);

CREATE INDEX assignment_events_assignment ON assignment_events (assignment_id, id);
CREATE INDEX assignments_activity ON assignments (activity_id) WHERE activity_id IS NOT NULL;
