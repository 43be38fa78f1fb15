-- Intelligent border posts: the gate equipment's accounts bound to their office, the crossings
-- they report with their alerts, what each post expects (kept by triggers from declarations,
-- transit movements and cargo reports) and the arrivals crossings recorded.

-- A `post` user is the gate equipment of one office.
CREATE TABLE post_gates (
    user_id  BIGINT PRIMARY KEY REFERENCES users (id),
    office   TEXT NOT NULL
);

-- Append-only: a crossing is what the equipment read, matched and judged once.
CREATE TABLE crossings (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    office       TEXT NOT NULL,
    reported_by  BIGINT NOT NULL REFERENCES users (id),
    crossed_at   TIMESTAMPTZ NOT NULL,
    received_at  TIMESTAMPTZ NOT NULL,
    direction    TEXT NOT NULL,
    plate        TEXT NOT NULL,
    alerts       BIGINT NOT NULL,
    document     JSONB NOT NULL
);
CREATE INDEX crossings_office ON crossings (office, id);
CREATE TRIGGER crossings_append_only BEFORE UPDATE OR DELETE ON crossings
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- One row per alert kind a crossing raised, for the office's alert filter.
CREATE TABLE crossing_alerts (
    crossing_id  BIGINT NOT NULL REFERENCES crossings (id),
    office       TEXT NOT NULL,
    kind         TEXT NOT NULL,
    PRIMARY KEY (crossing_id, kind)
);
CREATE INDEX crossing_alerts_office ON crossing_alerts (office, kind, crossing_id);
CREATE TRIGGER crossing_alerts_append_only BEFORE UPDATE OR DELETE ON crossing_alerts
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- The first crossing (per direction) that matched what a post expected: for a declaration at
-- its own office, entry is the arrival that starts the Time Release Study's clock.
CREATE TABLE crossing_arrivals (
    office          TEXT NOT NULL,
    source          TEXT NOT NULL,
    reference       TEXT NOT NULL,
    direction       TEXT NOT NULL,
    declaration_id  BIGINT,
    crossing_id     BIGINT NOT NULL REFERENCES crossings (id),
    arrived_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (office, source, reference, direction)
);
CREATE INDEX crossing_arrivals_declaration ON crossing_arrivals (declaration_id);

-- What each post expects to see: a plate or container (upper case, without spaces, dashes or
-- dots) named by a declaration lodged there, a transit movement passing or ending there, or a
-- cargo report's consignment arriving there. Derived data, kept by the triggers below.
CREATE TABLE crossing_expectations (
    office          TEXT NOT NULL,
    ident           TEXT NOT NULL,
    kind            TEXT NOT NULL,
    source          TEXT NOT NULL,
    reference       TEXT NOT NULL,
    declaration_id  BIGINT,
    since           TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (office, ident, source, reference)
);
CREATE INDEX crossing_expectations_reference ON crossing_expectations (source, reference);

CREATE FUNCTION crossing_ident(raw TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
    SELECT upper(replace(replace(replace(raw, ' ', ''), '-', ''), '.', ''))
$$;

-- A declaration's transport means and containers at its office; a masked (retained)
-- declaration's plate goes with its document.
CREATE FUNCTION expect_declaration() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM crossing_expectations WHERE source = 'declaration' AND reference = NEW.mrn;
    INSERT INTO crossing_expectations (office, ident, kind, source, reference, declaration_id, since)
    SELECT NEW.office, crossing_ident(x.ident), x.kind, 'declaration', NEW.mrn, NEW.id, NEW.accepted_at
    FROM (SELECT NEW.document -> 'border_transport' ->> 'identification' AS ident, 'plate' AS kind
          UNION ALL
          SELECT c, 'container' FROM jsonb_array_elements_text(
              CASE WHEN jsonb_typeof(NEW.document -> 'containers') = 'array'
                   THEN NEW.document -> 'containers' ELSE '[]'::jsonb END) c) x
    WHERE x.ident IS NOT NULL AND crossing_ident(x.ident) <> ''
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;
CREATE TRIGGER declarations_expect AFTER INSERT OR UPDATE OF document ON declarations
    FOR EACH ROW EXECUTE FUNCTION expect_declaration();

-- A transit movement's equipment and its declaration's transport means at each office of
-- transit and at the office of destination.
CREATE FUNCTION expect_transit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.role NOT IN ('transit', 'destination') THEN
        RETURN NULL;
    END IF;
    INSERT INTO crossing_expectations (office, ident, kind, source, reference, declaration_id, since)
    SELECT NEW.office, crossing_ident(x.ident), x.kind, 'transit', NEW.mrn, m.declaration_id, m.opened_at
    FROM transit_movements m
    JOIN declarations d ON d.id = m.declaration_id
    CROSS JOIN LATERAL (
        SELECT d.document -> 'border_transport' ->> 'identification' AS ident, 'plate' AS kind
        UNION ALL
        SELECT e ->> 'container', 'container' FROM jsonb_array_elements(
            CASE WHEN jsonb_typeof(m.particulars -> 'equipment') = 'array'
                 THEN m.particulars -> 'equipment' ELSE '[]'::jsonb END) e) x
    WHERE m.mrn = NEW.mrn AND x.ident IS NOT NULL AND crossing_ident(x.ident) <> ''
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;
CREATE TRIGGER transit_offices_expect AFTER INSERT ON transit_offices
    FOR EACH ROW EXECUTE FUNCTION expect_transit();

-- Each consignment of a cargo report at its place of arrival: the conveyance and the
-- consignment's containers (reference `report id/consignment sequence`).
CREATE FUNCTION expect_cargo() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.arrival_place IS NULL THEN
        RETURN NULL;
    END IF;
    INSERT INTO crossing_expectations (office, ident, kind, source, reference, declaration_id, since)
    SELECT NEW.arrival_place, crossing_ident(x.ident), x.kind, 'cargo',
           NEW.id::text || '/' || (c ->> 'sequence'), NULL, NEW.received_at
    FROM jsonb_array_elements(
        CASE WHEN jsonb_typeof(NEW.document -> 'consignments') = 'array'
             THEN NEW.document -> 'consignments' ELSE '[]'::jsonb END) c
    CROSS JOIN LATERAL (
        SELECT NEW.document -> 'conveyance' ->> 'identification' AS ident, 'plate' AS kind
        UNION ALL
        SELECT k, 'container' FROM jsonb_array_elements_text(
            CASE WHEN jsonb_typeof(c -> 'containers') = 'array'
                 THEN c -> 'containers' ELSE '[]'::jsonb END) k) x
    WHERE x.ident IS NOT NULL AND crossing_ident(x.ident) <> ''
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;
CREATE TRIGGER cargo_reports_expect AFTER INSERT ON cargo_reports
    FOR EACH ROW EXECUTE FUNCTION expect_cargo();

-- What was stored before this migration is expected too.
INSERT INTO crossing_expectations (office, ident, kind, source, reference, declaration_id, since)
SELECT d.office, crossing_ident(x.ident), x.kind, 'declaration', d.mrn, d.id, d.accepted_at
FROM declarations d
CROSS JOIN LATERAL (
    SELECT d.document -> 'border_transport' ->> 'identification' AS ident, 'plate' AS kind
    UNION ALL
    SELECT c, 'container' FROM jsonb_array_elements_text(
        CASE WHEN jsonb_typeof(d.document -> 'containers') = 'array'
             THEN d.document -> 'containers' ELSE '[]'::jsonb END) c) x
WHERE x.ident IS NOT NULL AND crossing_ident(x.ident) <> ''
ON CONFLICT DO NOTHING;

INSERT INTO crossing_expectations (office, ident, kind, source, reference, declaration_id, since)
SELECT o.office, crossing_ident(x.ident), x.kind, 'transit', o.mrn, m.declaration_id, m.opened_at
FROM transit_offices o
JOIN transit_movements m ON m.mrn = o.mrn
JOIN declarations d ON d.id = m.declaration_id
CROSS JOIN LATERAL (
    SELECT d.document -> 'border_transport' ->> 'identification' AS ident, 'plate' AS kind
    UNION ALL
    SELECT e ->> 'container', 'container' FROM jsonb_array_elements(
        CASE WHEN jsonb_typeof(m.particulars -> 'equipment') = 'array'
             THEN m.particulars -> 'equipment' ELSE '[]'::jsonb END) e) x
WHERE o.role IN ('transit', 'destination') AND x.ident IS NOT NULL AND crossing_ident(x.ident) <> ''
ON CONFLICT DO NOTHING;

INSERT INTO crossing_expectations (office, ident, kind, source, reference, declaration_id, since)
SELECT r.arrival_place, crossing_ident(x.ident), x.kind, 'cargo',
       r.id::text || '/' || (c ->> 'sequence'), NULL, r.received_at
FROM cargo_reports r
CROSS JOIN LATERAL jsonb_array_elements(
    CASE WHEN jsonb_typeof(r.document -> 'consignments') = 'array'
         THEN r.document -> 'consignments' ELSE '[]'::jsonb END) c
CROSS JOIN LATERAL (
    SELECT r.document -> 'conveyance' ->> 'identification' AS ident, 'plate' AS kind
    UNION ALL
    SELECT k, 'container' FROM jsonb_array_elements_text(
        CASE WHEN jsonb_typeof(c -> 'containers') = 'array'
             THEN c -> 'containers' ELSE '[]'::jsonb END) k) x
WHERE r.arrival_place IS NOT NULL AND x.ident IS NOT NULL AND crossing_ident(x.ident) <> ''
ON CONFLICT DO NOTHING;
