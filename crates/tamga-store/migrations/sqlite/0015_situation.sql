-- The Situation Center (the supervisor's screen): indexes for its per-post figures, and the
-- lodgement-to-release time of every release (WCO Time Release Study), kept by a trigger on
-- the append-only history so that the day's median per post is read from an index.
CREATE INDEX declarations_updated_at ON declarations (updated_at);
CREATE INDEX risk_decisions_channel ON risk_decisions (channel, declaration_id);
CREATE INDEX control_tasks_state_office ON control_tasks (state, office, opened_at);
CREATE INDEX control_tasks_office_completed ON control_tasks (office, completed_at);
CREATE INDEX seizures_recorded_at ON seizures (recorded_at, office);

CREATE TABLE declaration_releases (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    declaration_id  INTEGER NOT NULL REFERENCES declarations (id),
    office          TEXT NOT NULL,
    released_at     TEXT NOT NULL,
    -- The UTC day of the release.
    released_on     TEXT NOT NULL,
    -- Seconds from acceptance (lodgement) to release.
    seconds         INTEGER NOT NULL
);
CREATE INDEX declaration_releases_office_day ON declaration_releases (office, released_on, seconds);
CREATE INDEX declaration_releases_day ON declaration_releases (released_on, office);

CREATE TRIGGER declaration_releases_record AFTER INSERT ON declaration_events
WHEN NEW.status = 'released'
BEGIN
    INSERT INTO declaration_releases (declaration_id, office, released_at, released_on, seconds)
    SELECT d.id, d.office, NEW.at, date(NEW.at),
           CAST(round((julianday(NEW.at) - julianday(d.accepted_at)) * 86400) AS INTEGER)
    FROM declarations d WHERE d.id = NEW.declaration_id;
END;

INSERT INTO declaration_releases (declaration_id, office, released_at, released_on, seconds)
SELECT d.id, d.office, e.at, date(e.at),
       CAST(round((julianday(e.at) - julianday(d.accepted_at)) * 86400) AS INTEGER)
FROM declaration_events e JOIN declarations d ON d.id = e.declaration_id
WHERE e.status = 'released'
ORDER BY e.at;

-- Declarations lodged and decisions by channel per post and UTC hour ('YYYY-MM-DD HH'), kept
-- by triggers as they are inserted: the day's figures and a post's 24 hours are read from at
-- most 24 rows per post, whatever the volume.
CREATE TABLE situation_hours (
    office  TEXT NOT NULL,
    hour    TEXT NOT NULL,
    lodged  INTEGER NOT NULL DEFAULT 0,
    green   INTEGER NOT NULL DEFAULT 0,
    yellow  INTEGER NOT NULL DEFAULT 0,
    red     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (office, hour)
);
CREATE INDEX situation_hours_hour ON situation_hours (hour, office);

CREATE TRIGGER situation_hours_lodged AFTER INSERT ON declarations
BEGIN
    INSERT INTO situation_hours (office, hour, lodged)
    VALUES (NEW.office, strftime('%Y-%m-%d %H', NEW.accepted_at), 1)
    ON CONFLICT (office, hour) DO UPDATE SET lodged = lodged + 1;
END;

CREATE TRIGGER situation_hours_decided AFTER INSERT ON risk_decisions
BEGIN
    INSERT INTO situation_hours (office, hour, green, yellow, red)
    VALUES (NEW.office, strftime('%Y-%m-%d %H', NEW.decided_at),
            NEW.channel = 'green', NEW.channel = 'yellow', NEW.channel = 'red')
    ON CONFLICT (office, hour) DO UPDATE SET green = green + excluded.green,
        yellow = yellow + excluded.yellow, red = red + excluded.red;
END;

INSERT INTO situation_hours (office, hour, lodged)
SELECT office, strftime('%Y-%m-%d %H', accepted_at), COUNT(*) FROM declarations GROUP BY 1, 2;
INSERT INTO situation_hours (office, hour, green, yellow, red)
SELECT office, strftime('%Y-%m-%d %H', decided_at), SUM(channel = 'green'),
       SUM(channel = 'yellow'), SUM(channel = 'red')
FROM risk_decisions WHERE true GROUP BY 1, 2
ON CONFLICT (office, hour) DO UPDATE SET green = excluded.green, yellow = excluded.yellow,
    red = excluded.red;

-- Declarations lodged per post and UTC minute ('YYYY-MM-DD HH:MM'): the last hour's count reads
-- at most 60 rows per post.
CREATE TABLE situation_minutes (
    office  TEXT NOT NULL,
    minute  TEXT NOT NULL,
    lodged  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (minute, office)
);

CREATE TRIGGER situation_minutes_lodged AFTER INSERT ON declarations
BEGIN
    INSERT INTO situation_minutes (office, minute, lodged)
    VALUES (NEW.office, strftime('%Y-%m-%d %H:%M', NEW.accepted_at), 1)
    ON CONFLICT (minute, office) DO UPDATE SET lodged = lodged + 1;
END;

INSERT INTO situation_minutes (office, minute, lodged)
SELECT office, strftime('%Y-%m-%d %H:%M', accepted_at), COUNT(*) FROM declarations
WHERE accepted_at >= strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 day') GROUP BY 1, 2;
