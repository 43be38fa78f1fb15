-- The party registry and representatives' mandates. A mandate is never deleted: revoking it
-- sets its last day, so who could act for whom on any day stays on record.
CREATE TABLE parties (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    country     TEXT NOT NULL,
    address     TEXT,
    aeo         TEXT,
    changed_by  TEXT NOT NULL,
    changed_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX parties_aeo ON parties (aeo) WHERE aeo IS NOT NULL;

CREATE TABLE mandates (
    id                 BIGSERIAL PRIMARY KEY,
    party_id           TEXT NOT NULL REFERENCES parties (id),
    representative_id  TEXT NOT NULL REFERENCES parties (id),
    representation     TEXT NOT NULL CHECK (representation IN ('direct', 'indirect')),
    valid_from         DATE NOT NULL,
    valid_until        DATE,
    granted_by         TEXT NOT NULL,
    granted_at         TIMESTAMPTZ NOT NULL,
    revoked_by         TEXT,
    revoked_at         TIMESTAMPTZ
);
CREATE INDEX mandates_pair ON mandates (party_id, representative_id);
CREATE INDEX mandates_representative ON mandates (representative_id);

CREATE FUNCTION mandates_kept() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'mandates are never deleted; revoke them';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER mandates_kept BEFORE DELETE ON mandates
    FOR EACH ROW EXECUTE FUNCTION mandates_kept();
