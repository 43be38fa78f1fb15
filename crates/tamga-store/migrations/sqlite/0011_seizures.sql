-- Seizures (the WCO enforcement network's seizure database, append-only) and the offence
-- cases they open or join (case number, state, linked declarations, parties, officers, notes,
-- kept as one document).
CREATE TABLE offence_cases (
    number     TEXT PRIMARY KEY,
    office     TEXT NOT NULL,
    state      TEXT NOT NULL,
    document   TEXT NOT NULL,
    opened_at  TEXT NOT NULL
);
CREATE INDEX offence_cases_office ON offence_cases (office);

CREATE TABLE seizures (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    case_number  TEXT NOT NULL REFERENCES offence_cases (number),
    office       TEXT NOT NULL,
    recorded_by  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    document     TEXT NOT NULL
);
CREATE INDEX seizures_case ON seizures (case_number);

CREATE TRIGGER seizures_append_only_update BEFORE UPDATE ON seizures
BEGIN SELECT RAISE(ABORT, 'seizures is append-only'); END;
CREATE TRIGGER seizures_append_only_delete BEFORE DELETE ON seizures
BEGIN SELECT RAISE(ABORT, 'seizures is append-only'); END;
