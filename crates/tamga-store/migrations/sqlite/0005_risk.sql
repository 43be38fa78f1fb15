-- National Targeting Center: versioned risk documents (profiles, named lists, watchlists, the
-- selectivity settings), the decision taken at acceptance, and inspection outcomes.
CREATE TABLE risk_documents (
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    version     INTEGER NOT NULL,
    document    TEXT NOT NULL,
    changed_by  TEXT NOT NULL,
    reason      TEXT NOT NULL,
    changed_at  TEXT NOT NULL,
    PRIMARY KEY (kind, name, version)
);

CREATE TABLE risk_decisions (
    declaration_id  INTEGER PRIMARY KEY REFERENCES declarations (id),
    office          TEXT NOT NULL,
    channel         TEXT NOT NULL,
    score           INTEGER NOT NULL,
    random          INTEGER NOT NULL,
    decided_at      TEXT NOT NULL,
    decided_on      TEXT NOT NULL,
    document        TEXT NOT NULL
);
CREATE INDEX risk_decisions_day ON risk_decisions (decided_on, office, channel);

-- One row per profile that fired, for the hit-rate statistics.
CREATE TABLE risk_selections (
    declaration_id   INTEGER NOT NULL REFERENCES declarations (id),
    profile_id       TEXT NOT NULL,
    profile_version  INTEGER NOT NULL,
    PRIMARY KEY (declaration_id, profile_id)
);
CREATE INDEX risk_selections_profile ON risk_selections (profile_id);

CREATE TABLE inspection_outcomes (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    declaration_id  INTEGER NOT NULL REFERENCES declarations (id),
    recorded_by     TEXT NOT NULL,
    recorded_at     TEXT NOT NULL,
    document        TEXT NOT NULL
);
CREATE INDEX inspection_outcomes_declaration ON inspection_outcomes (declaration_id);

CREATE TRIGGER risk_documents_append_only_update BEFORE UPDATE ON risk_documents
BEGIN SELECT RAISE(ABORT, 'risk documents are append-only'); END;
CREATE TRIGGER risk_documents_append_only_delete BEFORE DELETE ON risk_documents
BEGIN SELECT RAISE(ABORT, 'risk documents are append-only'); END;
CREATE TRIGGER risk_decisions_append_only_update BEFORE UPDATE ON risk_decisions
BEGIN SELECT RAISE(ABORT, 'risk decisions are append-only'); END;
CREATE TRIGGER risk_decisions_append_only_delete BEFORE DELETE ON risk_decisions
BEGIN SELECT RAISE(ABORT, 'risk decisions are append-only'); END;
CREATE TRIGGER inspection_outcomes_append_only_update BEFORE UPDATE ON inspection_outcomes
BEGIN SELECT RAISE(ABORT, 'inspection outcomes are append-only'); END;
CREATE TRIGGER inspection_outcomes_append_only_delete BEFORE DELETE ON inspection_outcomes
BEGIN SELECT RAISE(ABORT, 'inspection outcomes are append-only'); END;
