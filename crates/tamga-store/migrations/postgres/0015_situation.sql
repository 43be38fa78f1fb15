-- The Situation Center (the supervisor's screen): indexes for its per-post figures, and the
-- lodgement-to-release time of every release (WCO Time Release Study), kept by a trigger on
-- the append-only history so that the day's median per post is read from an index.
CREATE INDEX declarations_accepted_at ON declarations (accepted_at, office);
CREATE INDEX declarations_office_accepted_at ON declarations (office, accepted_at);
CREATE INDEX declarations_updated_at ON declarations (updated_at);
CREATE INDEX risk_decisions_at ON risk_decisions (decided_at, office, channel);
CREATE INDEX risk_decisions_office_at ON risk_decisions (office, decided_at, channel);
CREATE INDEX risk_decisions_channel ON risk_decisions (channel, declaration_id);
CREATE INDEX control_tasks_state_office ON control_tasks (state, office, opened_at);
CREATE INDEX control_tasks_office_completed ON control_tasks (office, completed_at);
CREATE INDEX seizures_recorded_at ON seizures (recorded_at, office);

CREATE TABLE declaration_releases (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    declaration_id  BIGINT NOT NULL REFERENCES declarations (id),
    office          TEXT NOT NULL,
    released_at     TIMESTAMPTZ NOT NULL,
    -- The UTC day of the release.
    released_on     DATE NOT NULL,
    -- Seconds from acceptance (lodgement) to release.
    seconds         BIGINT NOT NULL
);
CREATE INDEX declaration_releases_office_day ON declaration_releases (office, released_on, seconds);
CREATE INDEX declaration_releases_day ON declaration_releases (released_on, office);

CREATE FUNCTION declaration_releases_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO declaration_releases (declaration_id, office, released_at, released_on, seconds)
    SELECT d.id, d.office, NEW.at, (NEW.at AT TIME ZONE 'UTC')::date,
           round(EXTRACT(EPOCH FROM (NEW.at - d.accepted_at)))::bigint
    FROM declarations d WHERE d.id = NEW.declaration_id;
    RETURN NULL;
END
$$;

CREATE TRIGGER declaration_releases_record AFTER INSERT ON declaration_events
FOR EACH ROW WHEN (NEW.status = 'released') EXECUTE FUNCTION declaration_releases_record();

INSERT INTO declaration_releases (declaration_id, office, released_at, released_on, seconds)
SELECT d.id, d.office, e.at, (e.at AT TIME ZONE 'UTC')::date,
       round(EXTRACT(EPOCH FROM (e.at - d.accepted_at)))::bigint
FROM declaration_events e JOIN declarations d ON d.id = e.declaration_id
WHERE e.status = 'released'
ORDER BY e.at;
