-- The customs laboratory: samples taken from control tasks (the sampling form and the
-- lifecycle kept as one document, with the result entered, its verification, the published
-- report and the custody flags), every hand-over of the chain of custody, and each sample's
-- history (both append-only).
CREATE TABLE lab_samples (
    sample_id         TEXT PRIMARY KEY,
    task_id           INTEGER NOT NULL REFERENCES control_tasks (id),
    declaration_id    INTEGER NOT NULL REFERENCES declarations (id),
    lab               TEXT NOT NULL,
    state             TEXT NOT NULL,
    document          TEXT NOT NULL,
    entered           TEXT,
    verified          TEXT,
    report            TEXT,
    custody_flags     TEXT NOT NULL,
    proposed_finding  TEXT,
    requested_at      TEXT NOT NULL
);
CREATE INDEX lab_samples_lab_state ON lab_samples (lab, state);
CREATE INDEX lab_samples_task ON lab_samples (task_id);
CREATE INDEX lab_samples_declaration ON lab_samples (declaration_id);

CREATE TABLE lab_handovers (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    sample_id   TEXT NOT NULL REFERENCES lab_samples (sample_id),
    document    TEXT NOT NULL
);
CREATE INDEX lab_handovers_sample ON lab_handovers (sample_id);

CREATE TABLE lab_sample_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    sample_id   TEXT NOT NULL REFERENCES lab_samples (sample_id),
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    event       TEXT NOT NULL,
    detail      TEXT
);
CREATE INDEX lab_sample_events_sample ON lab_sample_events (sample_id);

CREATE TRIGGER lab_handovers_append_only_update BEFORE UPDATE ON lab_handovers
BEGIN SELECT RAISE(ABORT, 'lab_handovers is append-only'); END;
CREATE TRIGGER lab_handovers_append_only_delete BEFORE DELETE ON lab_handovers
BEGIN SELECT RAISE(ABORT, 'lab_handovers is append-only'); END;
CREATE TRIGGER lab_sample_events_append_only_update BEFORE UPDATE ON lab_sample_events
BEGIN SELECT RAISE(ABORT, 'lab_sample_events is append-only'); END;
CREATE TRIGGER lab_sample_events_append_only_delete BEFORE DELETE ON lab_sample_events
BEGIN SELECT RAISE(ABORT, 'lab_sample_events is append-only'); END;
