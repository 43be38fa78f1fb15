-- Intelligent border posts: the gate equipment's accounts bound to their office, the crossings
-- they report with their alerts, what each post expects (kept by triggers from declarations,
-- transit movements and cargo reports) and the arrivals crossings recorded.
-- Identifiers are compared upper case without spaces, dashes or dots (as `crossing_ident` does
-- on PostgreSQL and `tamga_core::crossing::ident` in Rust).

-- A `post` user is the gate equipment of one office.
CREATE TABLE post_gates (
    user_id  INTEGER PRIMARY KEY REFERENCES users (id),
    office   TEXT NOT NULL
);

-- Append-only: a crossing is what the equipment read, matched and judged once.
CREATE TABLE crossings (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    office       TEXT NOT NULL,
    reported_by  INTEGER NOT NULL REFERENCES users (id),
    crossed_at   TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    direction    TEXT NOT NULL,
    plate        TEXT NOT NULL,
    alerts       INTEGER NOT NULL,
    document     TEXT NOT NULL
);
CREATE INDEX crossings_office ON crossings (office, id);
CREATE TRIGGER crossings_append_only_update BEFORE UPDATE ON crossings
BEGIN SELECT RAISE(ABORT, 'crossings is append-only'); END;
CREATE TRIGGER crossings_append_only_delete BEFORE DELETE ON crossings
BEGIN SELECT RAISE(ABORT, 'crossings is append-only'); END;

-- One row per alert kind a crossing raised, for the office's alert filter.
CREATE TABLE crossing_alerts (
    crossing_id  INTEGER NOT NULL REFERENCES crossings (id),
    office       TEXT NOT NULL,
    kind         TEXT NOT NULL,
    PRIMARY KEY (crossing_id, kind)
);
CREATE INDEX crossing_alerts_office ON crossing_alerts (office, kind, crossing_id);
CREATE TRIGGER crossing_alerts_append_only_update BEFORE UPDATE ON crossing_alerts
BEGIN SELECT RAISE(ABORT, 'crossing_alerts is append-only'); END;
CREATE TRIGGER crossing_alerts_append_only_delete BEFORE DELETE ON crossing_alerts
BEGIN SELECT RAISE(ABORT, 'crossing_alerts is append-only'); END;

-- The first crossing (per direction) that matched what a post expected: for a declaration at
-- its own office, entry is the arrival that starts the Time Release Study's clock.
CREATE TABLE crossing_arrivals (
    office          TEXT NOT NULL,
    source          TEXT NOT NULL,
    reference       TEXT NOT NULL,
    direction       TEXT NOT NULL,
    declaration_id  INTEGER,
    crossing_id     INTEGER NOT NULL REFERENCES crossings (id),
    arrived_at      TEXT NOT NULL,
    PRIMARY KEY (office, source, reference, direction)
);
CREATE INDEX crossing_arrivals_declaration ON crossing_arrivals (declaration_id);

-- What each post expects to see: a plate or container named by a declaration lodged there, a
-- transit movement passing or ending there, or a cargo report's consignment arriving there.
-- Derived data, kept by the triggers below.
CREATE TABLE crossing_expectations (
    office          TEXT NOT NULL,
    ident           TEXT NOT NULL,
    kind            TEXT NOT NULL,
    source          TEXT NOT NULL,
    reference       TEXT NOT NULL,
    declaration_id  INTEGER,
    since           TEXT NOT NULL,
    PRIMARY KEY (office, ident, source, reference)
);
CREATE INDEX crossing_expectations_reference ON crossing_expectations (source, reference);

-- A declaration's transport means and containers at its office.
CREATE TRIGGER declarations_expect_insert AFTER INSERT ON declarations
BEGIN
    INSERT OR IGNORE INTO crossing_expectations
        (office, ident, kind, source, reference, declaration_id, since)
    SELECT NEW.office, x.ident, x.kind, 'declaration', NEW.mrn, NEW.id, NEW.accepted_at
    FROM (SELECT upper(replace(replace(replace(
                 json_extract(NEW.document, '$.border_transport.identification'),
                 ' ', ''), '-', ''), '.', '')) AS ident, 'plate' AS kind
          UNION ALL
          SELECT upper(replace(replace(replace(c.value, ' ', ''), '-', ''), '.', '')), 'container'
          FROM json_each(NEW.document, '$.containers') c) x
    WHERE x.ident IS NOT NULL AND x.ident <> '';
END;

-- A masked (retained) declaration's plate goes with its document.
CREATE TRIGGER declarations_expect_update AFTER UPDATE OF document ON declarations
BEGIN
    DELETE FROM crossing_expectations WHERE source = 'declaration' AND reference = NEW.mrn;
    INSERT OR IGNORE INTO crossing_expectations
        (office, ident, kind, source, reference, declaration_id, since)
    SELECT NEW.office, x.ident, x.kind, 'declaration', NEW.mrn, NEW.id, NEW.accepted_at
    FROM (SELECT upper(replace(replace(replace(
                 json_extract(NEW.document, '$.border_transport.identification'),
                 ' ', ''), '-', ''), '.', '')) AS ident, 'plate' AS kind
          UNION ALL
          SELECT upper(replace(replace(replace(c.value, ' ', ''), '-', ''), '.', '')), 'container'
          FROM json_each(NEW.document, '$.containers') c) x
    WHERE x.ident IS NOT NULL AND x.ident <> '';
END;

-- A transit movement's equipment and its declaration's transport means at each office of
-- transit and at the office of destination.
CREATE TRIGGER transit_offices_expect AFTER INSERT ON transit_offices
WHEN NEW.role IN ('transit', 'destination')
BEGIN
    INSERT OR IGNORE INTO crossing_expectations
        (office, ident, kind, source, reference, declaration_id, since)
    SELECT NEW.office, x.ident, x.kind, 'transit', NEW.mrn, x.declaration_id, x.opened_at
    FROM (SELECT upper(replace(replace(replace(
                     json_extract(d.document, '$.border_transport.identification'),
                     ' ', ''), '-', ''), '.', '')) AS ident, 'plate' AS kind,
                 m.declaration_id, m.opened_at
          FROM transit_movements m JOIN declarations d ON d.id = m.declaration_id
          WHERE m.mrn = NEW.mrn
          UNION ALL
          SELECT upper(replace(replace(replace(
                     json_extract(e.value, '$.container'), ' ', ''), '-', ''), '.', '')),
                 'container', m.declaration_id, m.opened_at
          FROM transit_movements m, json_each(m.particulars, '$.equipment') e
          WHERE m.mrn = NEW.mrn) x
    WHERE x.ident IS NOT NULL AND x.ident <> '';
END;

-- Each consignment of a cargo report at its place of arrival: the conveyance and the
-- consignment's containers (reference `report id/consignment sequence`).
CREATE TRIGGER cargo_reports_expect AFTER INSERT ON cargo_reports
WHEN NEW.arrival_place IS NOT NULL
BEGIN
    INSERT OR IGNORE INTO crossing_expectations
        (office, ident, kind, source, reference, declaration_id, since)
    SELECT NEW.arrival_place, x.ident, x.kind, 'cargo', x.reference, NULL, NEW.received_at
    FROM (SELECT upper(replace(replace(replace(
                     json_extract(NEW.document, '$.conveyance.identification'),
                     ' ', ''), '-', ''), '.', '')) AS ident, 'plate' AS kind,
                 NEW.id || '/' || json_extract(c.value, '$.sequence') AS reference
          FROM json_each(NEW.document, '$.consignments') c
          UNION ALL
          SELECT upper(replace(replace(replace(k.value, ' ', ''), '-', ''), '.', '')),
                 'container', NEW.id || '/' || json_extract(c.value, '$.sequence')
          FROM json_each(NEW.document, '$.consignments') c, json_each(c.value, '$.containers') k) x
    WHERE x.ident IS NOT NULL AND x.ident <> '';
END;

-- What was stored before this migration is expected too.
INSERT OR IGNORE INTO crossing_expectations
    (office, ident, kind, source, reference, declaration_id, since)
SELECT x.office, x.ident, x.kind, 'declaration', x.mrn, x.id, x.accepted_at
FROM (SELECT d.office, d.mrn, d.id, d.accepted_at, upper(replace(replace(replace(
             json_extract(d.document, '$.border_transport.identification'),
             ' ', ''), '-', ''), '.', '')) AS ident, 'plate' AS kind
      FROM declarations d
      UNION ALL
      SELECT d.office, d.mrn, d.id, d.accepted_at,
             upper(replace(replace(replace(c.value, ' ', ''), '-', ''), '.', '')), 'container'
      FROM declarations d, json_each(d.document, '$.containers') c) x
WHERE x.ident IS NOT NULL AND x.ident <> '';

INSERT OR IGNORE INTO crossing_expectations
    (office, ident, kind, source, reference, declaration_id, since)
SELECT x.office, x.ident, x.kind, 'transit', x.mrn, x.declaration_id, x.opened_at
FROM (SELECT o.office, o.mrn, m.declaration_id, m.opened_at, upper(replace(replace(replace(
             json_extract(d.document, '$.border_transport.identification'),
             ' ', ''), '-', ''), '.', '')) AS ident, 'plate' AS kind
      FROM transit_offices o JOIN transit_movements m ON m.mrn = o.mrn
      JOIN declarations d ON d.id = m.declaration_id
      WHERE o.role IN ('transit', 'destination')
      UNION ALL
      SELECT o.office, o.mrn, m.declaration_id, m.opened_at, upper(replace(replace(replace(
             json_extract(e.value, '$.container'), ' ', ''), '-', ''), '.', '')), 'container'
      FROM transit_offices o JOIN transit_movements m ON m.mrn = o.mrn,
           json_each(m.particulars, '$.equipment') e
      WHERE o.role IN ('transit', 'destination')) x
WHERE x.ident IS NOT NULL AND x.ident <> '';

INSERT OR IGNORE INTO crossing_expectations
    (office, ident, kind, source, reference, declaration_id, since)
SELECT x.office, x.ident, x.kind, 'cargo', x.reference, NULL, x.received_at
FROM (SELECT r.arrival_place AS office, r.received_at, upper(replace(replace(replace(
             json_extract(r.document, '$.conveyance.identification'),
             ' ', ''), '-', ''), '.', '')) AS ident, 'plate' AS kind,
             r.id || '/' || json_extract(c.value, '$.sequence') AS reference
      FROM cargo_reports r, json_each(r.document, '$.consignments') c
      WHERE r.arrival_place IS NOT NULL
      UNION ALL
      SELECT r.arrival_place, r.received_at,
             upper(replace(replace(replace(k.value, ' ', ''), '-', ''), '.', '')), 'container',
             r.id || '/' || json_extract(c.value, '$.sequence')
      FROM cargo_reports r, json_each(r.document, '$.consignments') c,
           json_each(c.value, '$.containers') k
      WHERE r.arrival_place IS NOT NULL) x
WHERE x.ident IS NOT NULL AND x.ident <> '';
