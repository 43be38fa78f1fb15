-- Revenue: imported tariffs, exchange rates, assessments (versioned) and payments.
CREATE TABLE tariff_imports (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name         TEXT NOT NULL,
    content      TEXT NOT NULL,
    imported_at  TIMESTAMPTZ NOT NULL,
    imported_by  TEXT NOT NULL
);

CREATE TABLE exchange_rates (
    currency    TEXT NOT NULL,
    valid_from  DATE NOT NULL,
    rate        NUMERIC NOT NULL,
    PRIMARY KEY (currency, valid_from)
);

CREATE TABLE assessments (
    declaration_id  BIGINT NOT NULL REFERENCES declarations (id),
    version         BIGINT NOT NULL,
    assessed_at     TIMESTAMPTZ NOT NULL,
    assessed_by     TEXT NOT NULL,
    reason          TEXT,
    -- For a re-assessment: the corrections to the declared items it rests on (JSON).
    corrections     JSONB,
    currency        TEXT NOT NULL,
    total           NUMERIC NOT NULL,
    document        JSONB NOT NULL,
    PRIMARY KEY (declaration_id, version)
);

CREATE TABLE payments (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    declaration_id  BIGINT NOT NULL REFERENCES declarations (id),
    kind            TEXT NOT NULL,
    amount          NUMERIC NOT NULL,
    method          TEXT NOT NULL,
    reference       TEXT NOT NULL,
    recorded_by     TEXT NOT NULL,
    recorded_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX payments_declaration ON payments (declaration_id);
-- A payment order or guarantee is recorded once: a retried request cannot count it twice.
CREATE UNIQUE INDEX payments_reference ON payments (declaration_id, kind, reference);

CREATE TRIGGER assessments_append_only BEFORE UPDATE OR DELETE ON assessments
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER payments_append_only BEFORE UPDATE OR DELETE ON payments
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
