-- The Situation Center's counters per post and hour (and minute) were one row each, updated by
-- the trigger of every declaration and decision inserted at the post: concurrent lodgements at
-- one post waited for each other on that row from the declaration's insert to the commit. Each
-- counter is now kept in eight rows, a declaration's row chosen by its id, and the readers add
-- them up. (SQLite has one writer, so nothing waits there and its tables keep one row.)
ALTER TABLE situation_hours ADD COLUMN shard SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE situation_hours DROP CONSTRAINT situation_hours_pkey;
ALTER TABLE situation_hours ADD PRIMARY KEY (office, hour, shard);
ALTER TABLE situation_minutes ADD COLUMN shard SMALLINT NOT NULL DEFAULT 0;
ALTER TABLE situation_minutes DROP CONSTRAINT situation_minutes_pkey;
ALTER TABLE situation_minutes ADD PRIMARY KEY (minute, office, shard);

CREATE OR REPLACE FUNCTION situation_hours_lodged() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO situation_hours (office, hour, shard, lodged)
    VALUES (NEW.office, to_char(NEW.accepted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24'),
            NEW.id % 8, 1)
    ON CONFLICT (office, hour, shard) DO UPDATE SET lodged = situation_hours.lodged + 1;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION situation_hours_decided() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO situation_hours (office, hour, shard, green, yellow, red)
    VALUES (NEW.office, to_char(NEW.decided_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24'),
            NEW.declaration_id % 8,
            (NEW.channel = 'green')::int, (NEW.channel = 'yellow')::int, (NEW.channel = 'red')::int)
    ON CONFLICT (office, hour, shard) DO UPDATE SET green = situation_hours.green + excluded.green,
        yellow = situation_hours.yellow + excluded.yellow, red = situation_hours.red + excluded.red;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION situation_minutes_lodged() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO situation_minutes (office, minute, shard, lodged)
    VALUES (NEW.office, to_char(NEW.accepted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI'),
            NEW.id % 8, 1)
    ON CONFLICT (minute, office, shard) DO UPDATE SET lodged = situation_minutes.lodged + 1;
    RETURN NULL;
END
$$;
