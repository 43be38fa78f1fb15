-- Users, their API tokens (SHA-256 hashes only), and declarations with their items and history.
CREATE TABLE users (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL UNIQUE,
    role        TEXT NOT NULL,
    party_id    TEXT,
    created_at  TEXT NOT NULL
);

CREATE TABLE api_tokens (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    created_at  TEXT NOT NULL
);

-- Serials that must never repeat, such as the MRN serial.
CREATE TABLE counters (
    name   TEXT PRIMARY KEY,
    value  INTEGER NOT NULL
);
INSERT INTO counters (name, value) VALUES ('mrn_serial', 0);

CREATE TABLE declarations (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    mrn                TEXT NOT NULL UNIQUE,
    lrn                TEXT NOT NULL,
    declarant_id       TEXT NOT NULL,
    importer_id        TEXT,
    exporter_id        TEXT,
    representative_id  TEXT,
    lodged_by          INTEGER NOT NULL REFERENCES users (id),
    declaration_type   TEXT NOT NULL,
    office             TEXT NOT NULL,
    status             TEXT NOT NULL,
    lodgement_date     TEXT NOT NULL,
    accepted_at        TEXT NOT NULL,
    accepted_on        TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    item_count         INTEGER NOT NULL,
    fingerprint        TEXT NOT NULL,
    document           TEXT NOT NULL,
    UNIQUE (declarant_id, lrn)
);
CREATE INDEX declarations_status ON declarations (status, id);
CREATE INDEX declarations_office ON declarations (office, id);
CREATE INDEX declarations_accepted_on ON declarations (accepted_on, id);
CREATE INDEX declarations_importer ON declarations (importer_id);
CREATE INDEX declarations_exporter ON declarations (exporter_id);
CREATE INDEX declarations_representative ON declarations (representative_id);
CREATE INDEX declarations_lodged_by ON declarations (lodged_by);

CREATE TABLE declaration_items (
    declaration_id  INTEGER NOT NULL REFERENCES declarations (id),
    sequence        INTEGER NOT NULL,
    commodity_code  TEXT NOT NULL,
    chapter         TEXT NOT NULL,
    origin          TEXT,
    PRIMARY KEY (declaration_id, sequence)
);
CREATE INDEX declaration_items_chapter ON declaration_items (chapter, declaration_id);

-- Append-only: rows are inserted, never updated or deleted.
CREATE TABLE declaration_events (
    declaration_id  INTEGER NOT NULL REFERENCES declarations (id),
    seq             INTEGER NOT NULL,
    at              TEXT NOT NULL,
    status          TEXT NOT NULL,
    actor           TEXT NOT NULL,
    reason          TEXT,
    PRIMARY KEY (declaration_id, seq)
);
CREATE TRIGGER declaration_events_append_only_update BEFORE UPDATE ON declaration_events
BEGIN SELECT RAISE(ABORT, 'declaration_events is append-only'); END;
CREATE TRIGGER declaration_events_append_only_delete BEFORE DELETE ON declaration_events
BEGIN SELECT RAISE(ABORT, 'declaration_events is append-only'); END;
