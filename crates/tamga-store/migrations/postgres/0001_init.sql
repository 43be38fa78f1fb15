-- Users, their API tokens (SHA-256 hashes only), and declarations with their items and history.
CREATE TABLE users (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    role        TEXT NOT NULL,
    party_id    TEXT,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE api_tokens (
    token_hash  TEXT PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    created_at  TIMESTAMPTZ NOT NULL
);

-- One sequence for the whole deployment: every `tamga serve` sharing this database draws from it.
CREATE SEQUENCE mrn_serial MINVALUE 1 MAXVALUE 999999999 NO CYCLE;

CREATE TABLE declarations (
    id                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    mrn                TEXT NOT NULL UNIQUE,
    lrn                TEXT NOT NULL,
    declarant_id       TEXT NOT NULL,
    importer_id        TEXT,
    exporter_id        TEXT,
    representative_id  TEXT,
    lodged_by          BIGINT NOT NULL REFERENCES users (id),
    declaration_type   TEXT NOT NULL,
    office             TEXT NOT NULL,
    status             TEXT NOT NULL,
    lodgement_date     DATE NOT NULL,
    accepted_at        TIMESTAMPTZ NOT NULL,
    accepted_on        DATE NOT NULL,
    updated_at         TIMESTAMPTZ NOT NULL,
    item_count         BIGINT NOT NULL,
    fingerprint        TEXT NOT NULL,
    document           JSONB NOT NULL,
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
    declaration_id  BIGINT NOT NULL REFERENCES declarations (id),
    sequence        BIGINT NOT NULL,
    commodity_code  TEXT NOT NULL,
    chapter         TEXT NOT NULL,
    origin          TEXT,
    PRIMARY KEY (declaration_id, sequence)
);
CREATE INDEX declaration_items_chapter ON declaration_items (chapter, declaration_id);

-- Append-only: rows are inserted, never updated or deleted.
CREATE TABLE declaration_events (
    declaration_id  BIGINT NOT NULL REFERENCES declarations (id),
    seq             BIGINT NOT NULL,
    at              TIMESTAMPTZ NOT NULL,
    status          TEXT NOT NULL,
    actor           TEXT NOT NULL,
    reason          TEXT,
    PRIMARY KEY (declaration_id, seq)
);
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER declaration_events_append_only BEFORE UPDATE OR DELETE ON declaration_events
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
