-- Cargo reports (manifests) lodged before arrival, for pre-arrival targeting.
CREATE TABLE cargo_reports (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    carrier           TEXT NOT NULL,
    reference         TEXT NOT NULL,
    arrival_place     TEXT,
    expected_arrival  TEXT,
    consignments      INTEGER NOT NULL,
    lodged_by         INTEGER NOT NULL REFERENCES users (id),
    received_at       TEXT NOT NULL,
    fingerprint       TEXT NOT NULL,
    document          TEXT NOT NULL,
    UNIQUE (carrier, reference)
);
CREATE INDEX cargo_reports_arrival ON cargo_reports (arrival_place, expected_arrival);
