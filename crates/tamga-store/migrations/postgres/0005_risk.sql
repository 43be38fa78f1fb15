-- National Targeting Center: versioned risk documents (profiles, named lists, watchlists, the
-- selectivity settings), the decision taken at acceptance, and inspection outcomes.
CREATE TABLE risk_documents (
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    version     BIGINT NOT NULL,
    document    JSONB NOT NULL,
    changed_by  TEXT NOT NULL,
    reason      TEXT NOT NULL,
    changed_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (kind, name, version)
);

CREATE TABLE risk_decisions (
    declaration_id  BIGINT PRIMARY KEY REFERENCES declarations (id),
    office          TEXT NOT NULL,
    channel         TEXT NOT NULL,
    score           BIGINT NOT NULL,
    random          BOOLEAN NOT NULL,
    decided_at      TIMESTAMPTZ NOT NULL,
    decided_on      TEXT NOT NULL,
    document        JSONB NOT NULL
);
CREATE INDEX risk_decisions_day ON risk_decisions (decided_on, office, channel);

CREATE TABLE risk_selections (
    declaration_id   BIGINT NOT NULL REFERENCES declarations (id),
    profile_id       TEXT NOT NULL,
    profile_version  BIGINT NOT NULL,
    PRIMARY KEY (declaration_id, profile_id)
);
CREATE INDEX risk_selections_profile ON risk_selections (profile_id);

CREATE TABLE inspection_outcomes (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    declaration_id  BIGINT NOT NULL REFERENCES declarations (id),
    recorded_by     TEXT NOT NULL,
    recorded_at     TIMESTAMPTZ NOT NULL,
    document        JSONB NOT NULL
);
CREATE INDEX inspection_outcomes_declaration ON inspection_outcomes (declaration_id);

CREATE TRIGGER risk_documents_append_only BEFORE UPDATE OR DELETE ON risk_documents
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER risk_decisions_append_only BEFORE UPDATE OR DELETE ON risk_decisions
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER inspection_outcomes_append_only BEFORE UPDATE OR DELETE ON inspection_outcomes
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
