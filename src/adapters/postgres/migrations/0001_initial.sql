-- 0001: assignments, the FMS audit log and the reference tables of the FMS reports.
-- The embedded server has no btree_gist, so vehicle overlap is serialised with advisory locks
-- (PostgresAssignmentRepo.lock_vehicles), not with an exclusion constraint.

CREATE TABLE assignments (
    id                    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    vin                   text NOT NULL,
    person_id             bigint NOT NULL,
    office                text NOT NULL,
    start_day             date NOT NULL,
    end_day               date NOT NULL,
    status                text NOT NULL,
    partner_name          text,
    make                  text,
    model                 text,
    score                 double precision,
    fms_state             text NOT NULL DEFAULT 'none',
    fms_request_id        bigint,
    activity_id           bigint,
    status_before_request text,
    pending_operation_id  uuid,
    pending_kind          text,
    pending_target_status text,
    last_error            text,
    removed               boolean NOT NULL DEFAULT false,
    removed_at            timestamptz,
    version               integer NOT NULL DEFAULT 1,
    created_by            text,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT assignments_days CHECK (start_day < end_day),
    CONSTRAINT assignments_status CHECK (status IN ('planned', 'manual', 'requested', 'active', 'completed')),
    CONSTRAINT assignments_fms_state CHECK (fms_state IN ('none', 'creating', 'open', 'deleting', 'unknown')),
    CONSTRAINT assignments_status_before_request
        CHECK (status_before_request IS NULL OR status_before_request IN ('planned', 'manual')),
    CONSTRAINT assignments_pending_kind CHECK (pending_kind IS NULL OR pending_kind IN ('create', 'unrequest', 'delete')),
    CONSTRAINT assignments_pending_target_status
        CHECK (pending_target_status IS NULL OR pending_target_status IN ('planned', 'manual')),
    CONSTRAINT assignments_pending_complete CHECK ((pending_operation_id IS NULL) = (pending_kind IS NULL)),
    -- I1: requested exactly when fms_state is open or deleting, and then the FMS request id is held
    -- (tombstones too: an assignment removed through FMS goes back to its green status).
    CONSTRAINT assignments_i1 CHECK (
        (status = 'requested') = (fms_state IN ('open', 'deleting'))
        AND (status <> 'requested' OR fms_request_id IS NOT NULL)
    ),
    CONSTRAINT assignments_removed_at CHECK (removed OR removed_at IS NULL)
);

CREATE INDEX assignments_vehicle_days ON assignments (vin, start_day, end_day) WHERE NOT removed;
CREATE INDEX assignments_office_days ON assignments (office, start_day) WHERE NOT removed;
CREATE INDEX assignments_person ON assignments (person_id) WHERE NOT removed;
CREATE INDEX assignments_in_flight ON assignments (fms_state) WHERE fms_state IN ('creating', 'deleting', 'unknown');
CREATE INDEX assignments_fms_request ON assignments (fms_request_id) WHERE fms_request_id IS NOT NULL;

CREATE TABLE fms_operations (
    operation_id    uuid PRIMARY KEY,
    assignment_id   bigint NOT NULL REFERENCES assignments (id),
    call            text NOT NULL CHECK (call IN ('create', 'delete')),
    purpose         text NOT NULL CHECK (purpose IN ('create', 'unrequest', 'delete')),
    actor           text NOT NULL,
    requestor_id    bigint,
    payload_summary text,
    outcome         text NOT NULL DEFAULT 'pending'
                    CHECK (outcome IN ('pending', 'success', 'refused', 'ambiguous')),
    started_at      timestamptz NOT NULL,
    finished_at     timestamptz,
    status_code     integer,
    fms_request_id  bigint,
    error           text,
    seq             bigint GENERATED ALWAYS AS IDENTITY  -- insertion order, to break started_at ties
);

CREATE INDEX fms_operations_assignment ON fms_operations (assignment_id, started_at, seq);
CREATE INDEX fms_operations_started ON fms_operations (started_at);
CREATE INDEX fms_operations_pending ON fms_operations (started_at) WHERE outcome IN ('pending', 'ambiguous');

-- Reference tables: one per FMS report (spec: reports.md), columns in report order where possible.

CREATE TABLE offices (
    name   text PRIMARY KEY,
    active boolean NOT NULL DEFAULT true
);

CREATE TABLE vehicles (
    vin                   text PRIMARY KEY,
    fms_vehicle_id        bigint,
    year                  integer,
    make                  text,
    model                 text,
    model_short_name      text,
    office                text NOT NULL,
    fleet                 text,
    registration_exp      date,
    insurance_exp         date,
    current_mileage       integer,
    in_service_date       date,
    expected_turn_in_date date,
    notes                 text,
    color                 text
);

CREATE INDEX vehicles_office ON vehicles (office);

CREATE TABLE media_partners (
    person_id                    bigint NOT NULL,
    name                         text NOT NULL,
    address                      text,
    office                       text NOT NULL,
    default_loan_region          text,
    notes                        text,
    affiliation                  text,
    activity_type_subcategory_id bigint,
    PRIMARY KEY (person_id, office)
);

CREATE INDEX media_partners_office ON media_partners (office, name);

CREATE TABLE approved_makes (
    person_id bigint NOT NULL,
    name      text NOT NULL,
    make      text NOT NULL,
    rank      text NOT NULL,
    PRIMARY KEY (person_id, make)
);

CREATE TABLE loan_history (
    activity_id      bigint PRIMARY KEY,
    vin              text NOT NULL,
    person_id        bigint,
    make             text,
    model            text,
    year             integer,
    model_short_name text,
    start_date       date NOT NULL,
    end_date         date NOT NULL,
    clips_received   boolean,
    office           text,
    name             text,
    partner_address  text,
    region           text
);

CREATE INDEX loan_history_vin_days ON loan_history (vin, start_date, end_date);
CREATE INDEX loan_history_days ON loan_history (start_date, end_date);

CREATE TABLE current_activity (
    activity_id     bigint PRIMARY KEY,
    person_id       bigint,
    vin             text NOT NULL,
    activity_type   text,
    start_date      date NOT NULL,
    end_date        date NOT NULL,
    activity_to     text,
    partner_address text,
    region          text
);

CREATE INDEX current_activity_vin_days ON current_activity (vin, start_date, end_date);
CREATE INDEX current_activity_days ON current_activity (start_date, end_date);
