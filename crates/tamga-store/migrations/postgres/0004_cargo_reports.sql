-- Cargo reports (manifests) lodged before arrival, for pre-arrival targeting.
CREATE TABLE cargo_reports (
    id                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    carrier           TEXT NOT NULL,
    reference         TEXT NOT NULL,
    arrival_place     TEXT,
    expected_arrival  TEXT,
    consignments      BIGINT NOT NULL,
    lodged_by         BIGINT NOT NULL REFERENCES users (id),
    received_at       TIMESTAMPTZ NOT NULL,
    fingerprint       TEXT NOT NULL,
    document          JSONB NOT NULL,
    UNIQUE (carrier, reference)
);
CREATE INDEX cargo_reports_arrival ON cargo_reports (arrival_place, expected_arrival);
