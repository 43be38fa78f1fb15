-- Control: officers of an office's sections in groups G1 (examiners) and G2 (chief examiners),
-- their shifts and conflicts with parties, control tasks with their allocation draws and
-- history, and the server's secret keying the draws (never read out by the API).
CREATE TABLE control_officers (
    user_id    BIGINT PRIMARY KEY REFERENCES users (id),
    office     TEXT NOT NULL,
    section    TEXT NOT NULL,
    grp        TEXT NOT NULL CHECK (grp IN ('examiner', 'chief-examiner')),
    suspended  BOOLEAN NOT NULL DEFAULT FALSE,
    -- ASYCUDA's workload: the weights of the officer's allocated and in-progress tasks, kept
    -- with every allocation, completion, cancellation and reallocation so a draw reads it here.
    workload   BIGINT NOT NULL DEFAULT 0 CHECK (workload >= 0)
);
CREATE INDEX control_officers_office ON control_officers (office);

CREATE TABLE control_shifts (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES control_officers (user_id),
    starts_at  TIMESTAMPTZ NOT NULL,
    ends_at    TIMESTAMPTZ NOT NULL,
    CHECK (starts_at < ends_at)
);
CREATE INDEX control_shifts_officer ON control_shifts (user_id, ends_at);

CREATE TABLE control_conflicts (
    user_id   BIGINT NOT NULL REFERENCES control_officers (user_id),
    party_id  TEXT NOT NULL,
    PRIMARY KEY (user_id, party_id)
);
CREATE INDEX control_conflicts_party ON control_conflicts (party_id);

CREATE TABLE node_secrets (
    name    TEXT PRIMARY KEY,
    secret  TEXT NOT NULL
);

CREATE TABLE control_tasks (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    declaration_id  BIGINT NOT NULL REFERENCES declarations (id),
    task_type       TEXT NOT NULL,
    office          TEXT NOT NULL,
    explanation     TEXT NOT NULL,
    state           TEXT NOT NULL,
    weight          BIGINT NOT NULL,
    examiner_id     BIGINT REFERENCES users (id),
    chief_id        BIGINT REFERENCES users (id),
    scanner_image   TEXT,
    due             TEXT,
    opened_at       TIMESTAMPTZ NOT NULL,
    allocated_at    TIMESTAMPTZ,
    started_at      TIMESTAMPTZ,
    completed_at    TIMESTAMPTZ,
    cancelled_at    TIMESTAMPTZ,
    cancel_reason   TEXT,
    -- What the examiner found, per goods item (JSON), once completed.
    findings        JSONB,
    endorsed_by     BIGINT REFERENCES users (id),
    endorsed_at     TIMESTAMPTZ
);
CREATE INDEX control_tasks_declaration ON control_tasks (declaration_id);
CREATE INDEX control_tasks_office_state ON control_tasks (office, state);
CREATE INDEX control_tasks_examiner ON control_tasks (examiner_id, state);
CREATE INDEX control_tasks_chief ON control_tasks (chief_id, state);

-- Every draw as it was made: the key, the candidates with their workloads and weights, the
-- officer chosen; with the server's secret an auditor redoes it.
CREATE TABLE control_draws (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id     BIGINT NOT NULL REFERENCES control_tasks (id),
    grp         TEXT NOT NULL,
    draw_key    TEXT NOT NULL,
    candidates  JSONB NOT NULL,
    chosen      BIGINT NOT NULL,
    drawn_at    TIMESTAMPTZ NOT NULL,
    drawn_by    TEXT NOT NULL,
    reason      TEXT
);
CREATE INDEX control_draws_task ON control_draws (task_id);

-- Holds on the goods (by a service, a court, the laboratory): each blocks release until lifted.
CREATE TABLE control_holds (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    declaration_id  BIGINT NOT NULL REFERENCES declarations (id),
    reason          TEXT NOT NULL,
    placed_by       BIGINT NOT NULL REFERENCES users (id),
    placed_at       TIMESTAMPTZ NOT NULL,
    lifted_by       BIGINT REFERENCES users (id),
    lifted_at       TIMESTAMPTZ,
    lift_reason     TEXT
);
CREATE INDEX control_holds_declaration ON control_holds (declaration_id);

CREATE TABLE control_task_events (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    task_id   BIGINT NOT NULL REFERENCES control_tasks (id),
    at        TIMESTAMPTZ NOT NULL,
    actor     TEXT NOT NULL,
    event     TEXT NOT NULL,
    detail    TEXT
);
CREATE INDEX control_task_events_task ON control_task_events (task_id);

CREATE TRIGGER control_draws_append_only BEFORE UPDATE OR DELETE ON control_draws
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER control_task_events_append_only BEFORE UPDATE OR DELETE ON control_task_events
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
