-- The Situation Center (the supervisor's screen): indexes for its per-post figures, and the
-- lodgement-to-release time of every release (WCO Time Release Study), kept by a trigger on
-- the append-only history so that the day's median per post is read from an index.
CREATE INDEX declarations_updated_at ON declarations (updated_at);
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

-- Declarations lodged and decisions by channel per post and UTC hour ('YYYY-MM-DD HH'), kept
-- by triggers as they are inserted: the day's figures and a post's 24 hours are read from at
-- most 24 rows per post, whatever the volume.
CREATE TABLE situation_hours (
    office  TEXT NOT NULL,
    hour    TEXT NOT NULL,
    lodged  BIGINT NOT NULL DEFAULT 0,
    green   BIGINT NOT NULL DEFAULT 0,
    yellow  BIGINT NOT NULL DEFAULT 0,
    red     BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (office, hour)
);
CREATE INDEX situation_hours_hour ON situation_hours (hour, office);

CREATE FUNCTION situation_hours_lodged() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO situation_hours (office, hour, lodged)
    VALUES (NEW.office, to_char(NEW.accepted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24'), 1)
    ON CONFLICT (office, hour) DO UPDATE SET lodged = situation_hours.lodged + 1;
    RETURN NULL;
END
$$;
CREATE TRIGGER situation_hours_lodged AFTER INSERT ON declarations
FOR EACH ROW EXECUTE FUNCTION situation_hours_lodged();

CREATE FUNCTION situation_hours_decided() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO situation_hours (office, hour, green, yellow, red)
    VALUES (NEW.office, to_char(NEW.decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24'),
            (NEW.channel = 'green')::int, (NEW.channel = 'yellow')::int, (NEW.channel = 'red')::int)
    ON CONFLICT (office, hour) DO UPDATE SET green = situation_hours.green + excluded.green,
        yellow = situation_hours.yellow + excluded.yellow, red = situation_hours.red + excluded.red;
    RETURN NULL;
END
$$;
CREATE TRIGGER situation_hours_decided AFTER INSERT ON risk_decisions
FOR EACH ROW EXECUTE FUNCTION situation_hours_decided();

INSERT INTO situation_hours (office, hour, lodged)
SELECT office, to_char(accepted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24'), COUNT(*)
FROM declarations GROUP BY 1, 2;
INSERT INTO situation_hours (office, hour, green, yellow, red)
SELECT office, to_char(decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24'),
       COUNT(*) FILTER (WHERE channel = 'green'), COUNT(*) FILTER (WHERE channel = 'yellow'),
       COUNT(*) FILTER (WHERE channel = 'red')
FROM risk_decisions GROUP BY 1, 2
ON CONFLICT (office, hour) DO UPDATE SET green = excluded.green, yellow = excluded.yellow,
    red = excluded.red;

-- Declarations lodged per post and UTC minute ('YYYY-MM-DD HH:MM'): the last hour's count reads
-- at most 60 rows per post.
CREATE TABLE situation_minutes (
    office  TEXT NOT NULL,
    minute  TEXT NOT NULL,
    lodged  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (minute, office)
);

CREATE FUNCTION situation_minutes_lodged() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO situation_minutes (office, minute, lodged)
    VALUES (NEW.office, to_char(NEW.accepted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), 1)
    ON CONFLICT (minute, office) DO UPDATE SET lodged = situation_minutes.lodged + 1;
    RETURN NULL;
END
$$;
CREATE TRIGGER situation_minutes_lodged AFTER INSERT ON declarations
FOR EACH ROW EXECUTE FUNCTION situation_minutes_lodged();

INSERT INTO situation_minutes (office, minute, lodged)
SELECT office, to_char(accepted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'), COUNT(*)
FROM declarations WHERE accepted_at >= now() - interval '1 day' GROUP BY 1, 2;
