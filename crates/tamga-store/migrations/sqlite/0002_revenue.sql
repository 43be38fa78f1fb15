-- Revenue: imported tariffs, exchange rates, assessments (versioned) and payments.
-- Amounts are decimal text, exact; times RFC 3339 text.
CREATE TABLE tariff_imports (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT NOT NULL,
    content      TEXT NOT NULL,
    imported_at  TEXT NOT NULL,
    imported_by  TEXT NOT NULL
);

CREATE TABLE exchange_rates (
    currency    TEXT NOT NULL,
    valid_from  TEXT NOT NULL,
    rate        TEXT NOT NULL,
    PRIMARY KEY (currency, valid_from)
);

CREATE TABLE assessments (
    declaration_id  INTEGER NOT NULL REFERENCES declarations (id),
    version         INTEGER NOT NULL,
    assessed_at     TEXT NOT NULL,
    assessed_by     TEXT NOT NULL,
    reason          TEXT,
    -- For a re-assessment: the corrections to the declared items it rests on (JSON).
    corrections     TEXT,
    currency        TEXT NOT NULL,
    total           TEXT NOT NULL,
    document        TEXT NOT NULL,
    PRIMARY KEY (declaration_id, version)
);

CREATE TABLE payments (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    declaration_id  INTEGER NOT NULL REFERENCES declarations (id),
    kind            TEXT NOT NULL,
    amount          TEXT NOT NULL,
    method          TEXT NOT NULL,
    reference       TEXT NOT NULL,
    recorded_by     TEXT NOT NULL,
    recorded_at     TEXT NOT NULL
);
CREATE INDEX payments_declaration ON payments (declaration_id);
-- A payment order or guarantee is recorded once: a retried request cannot count it twice.
CREATE UNIQUE INDEX payments_reference ON payments (declaration_id, kind, reference);

CREATE TRIGGER assessments_append_only_update BEFORE UPDATE ON assessments
BEGIN SELECT RAISE(ABORT, 'assessments are append-only'); END;
CREATE TRIGGER payments_append_only_update BEFORE UPDATE ON payments
BEGIN SELECT RAISE(ABORT, 'payments are append-only'); END;
CREATE TRIGGER assessments_append_only_delete BEFORE DELETE ON assessments
BEGIN SELECT RAISE(ABORT, 'assessments are append-only'); END;
CREATE TRIGGER payments_append_only_delete BEFORE DELETE ON payments
BEGIN SELECT RAISE(ABORT, 'payments are append-only'); END;
