-- Transit (NCTS phase 5): guarantee accounts with their balance and an append-only ledger of
-- reservations and restorations; movements opened by TR declarations, the offices they name,
-- and their append-only history.
CREATE TABLE guarantee_accounts (
    grn               TEXT PRIMARY KEY,
    guarantee_type    TEXT NOT NULL,
    holder            TEXT NOT NULL,
    currency          TEXT NOT NULL,
    reference_amount  TEXT NOT NULL,
    -- Kept as decimal text; the store computes it under the single writer.
    balance           TEXT NOT NULL,
    access_code_hash  TEXT NOT NULL,
    created_by        TEXT NOT NULL,
    created_at        TEXT NOT NULL
);

CREATE TABLE guarantee_entries (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    grn       TEXT NOT NULL REFERENCES guarantee_accounts (grn),
    mrn       TEXT NOT NULL,
    -- Negative: reserved on release for transit; positive: restored on write-off.
    amount    TEXT NOT NULL,
    balance   TEXT NOT NULL,
    at        TEXT NOT NULL
);
CREATE INDEX guarantee_entries_mrn ON guarantee_entries (mrn);

CREATE TRIGGER guarantee_entries_append_only_update BEFORE UPDATE ON guarantee_entries
BEGIN SELECT RAISE(ABORT, 'guarantee_entries is append-only'); END;
CREATE TRIGGER guarantee_entries_append_only_delete BEFORE DELETE ON guarantee_entries
BEGIN SELECT RAISE(ABORT, 'guarantee_entries is append-only'); END;

CREATE TABLE transit_movements (
    mrn                TEXT PRIMARY KEY,
    declaration_id     INTEGER NOT NULL REFERENCES declarations (id),
    holder             TEXT NOT NULL,
    lodged_by          INTEGER NOT NULL,
    departure          TEXT NOT NULL,
    destination        TEXT NOT NULL,
    state              TEXT NOT NULL,
    channel            TEXT,
    time_limit         TEXT NOT NULL,
    seal_discrepancy   INTEGER NOT NULL DEFAULT 0,
    enquiry_opened_at  TEXT,
    opened_at          TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    particulars        TEXT NOT NULL
);
CREATE INDEX transit_movements_state ON transit_movements (state, time_limit);
CREATE INDEX transit_movements_holder ON transit_movements (holder);

CREATE TABLE transit_offices (
    mrn     TEXT NOT NULL REFERENCES transit_movements (mrn),
    office  TEXT NOT NULL,
    role    TEXT NOT NULL,
    PRIMARY KEY (mrn, office, role)
);
CREATE INDEX transit_offices_office ON transit_offices (office);

CREATE TABLE transit_events (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    mrn     TEXT NOT NULL REFERENCES transit_movements (mrn),
    seq     INTEGER NOT NULL,
    step    TEXT NOT NULL,
    state   TEXT NOT NULL,
    office  TEXT,
    actor   TEXT NOT NULL,
    at      TEXT NOT NULL,
    detail  TEXT NOT NULL,
    UNIQUE (mrn, seq)
);

CREATE TRIGGER transit_events_append_only_update BEFORE UPDATE ON transit_events
BEGIN SELECT RAISE(ABORT, 'transit_events is append-only'); END;
CREATE TRIGGER transit_events_append_only_delete BEFORE DELETE ON transit_events
BEGIN SELECT RAISE(ABORT, 'transit_events is append-only'); END;
