-- The customs laboratory: samples taken from control tasks (the sampling form and the
-- lifecycle kept as one document, with the result entered, its verification, the published
-- report and the custody flags), every hand-over of the chain of custody, and each sample's
-- history (both append-only).
CREATE TABLE lab_samples (
    sample_id         TEXT PRIMARY KEY,
    task_id           BIGINT NOT NULL REFERENCES control_tasks (id),
    declaration_id    BIGINT NOT NULL REFERENCES declarations (id),
    lab               TEXT NOT NULL,
    state             TEXT NOT NULL,
    document          JSONB NOT NULL,
    entered           JSONB,
    verified          JSONB,
    report            JSONB,
    custody_flags     JSONB NOT NULL,
    proposed_finding  JSONB,
    requested_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX lab_samples_lab_state ON lab_samples (lab, state);
CREATE INDEX lab_samples_task ON lab_samples (task_id);
CREATE INDEX lab_samples_declaration ON lab_samples (declaration_id);

CREATE TABLE lab_handovers (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sample_id   TEXT NOT NULL REFERENCES lab_samples (sample_id),
    document    JSONB NOT NULL
);
CREATE INDEX lab_handovers_sample ON lab_handovers (sample_id);

CREATE TABLE lab_sample_events (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sample_id   TEXT NOT NULL REFERENCES lab_samples (sample_id),
    at          TIMESTAMPTZ NOT NULL,
    actor       TEXT NOT NULL,
    event       TEXT NOT NULL,
    detail      TEXT
);
CREATE INDEX lab_sample_events_sample ON lab_sample_events (sample_id);

CREATE TRIGGER lab_handovers_append_only BEFORE UPDATE OR DELETE ON lab_handovers
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER lab_sample_events_append_only BEFORE UPDATE OR DELETE ON lab_sample_events
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
