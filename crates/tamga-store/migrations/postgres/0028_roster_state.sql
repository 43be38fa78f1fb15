-- The roster's version per office: a random token that every change of the office's officers
-- (other than their workload), shifts or conflicts replaces, by the triggers below. A server
-- keeps the roster it last read in memory with the token it read it at, and uses it only while
-- the token in the database is still that one (checked in the transaction that draws), so
-- several servers on one database never trust a roster another one changed. Workloads are
-- written only by the store's code, which replaces the token itself with every change.
CREATE TABLE control_roster_state (
    office  TEXT PRIMARY KEY,
    token   BIGINT NOT NULL
);

CREATE FUNCTION control_roster_token() RETURNS BIGINT LANGUAGE sql VOLATILE AS
    $$ SELECT (floor(random() * 18446744073709551615::numeric) - 9223372036854775808)::bigint $$;

INSERT INTO control_roster_state (office, token)
    SELECT office, control_roster_token() FROM control_officers GROUP BY office;

-- Replaces the token of every office the changed rows belong to (before and after the change).
CREATE FUNCTION control_roster_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    offices TEXT[] := '{}';
BEGIN
    IF TG_TABLE_NAME = 'control_officers' THEN
        IF TG_OP <> 'INSERT' THEN offices := offices || OLD.office; END IF;
        IF TG_OP <> 'DELETE' THEN offices := offices || NEW.office; END IF;
    ELSE
        IF TG_OP <> 'INSERT' THEN
            offices := offices || ARRAY(SELECT office FROM control_officers
                                         WHERE user_id = OLD.user_id);
        END IF;
        IF TG_OP <> 'DELETE' THEN
            offices := offices || ARRAY(SELECT office FROM control_officers
                                         WHERE user_id = NEW.user_id);
        END IF;
    END IF;
    INSERT INTO control_roster_state (office, token)
        SELECT o, control_roster_token() FROM (SELECT DISTINCT unnest(offices)) AS t (o)
        ON CONFLICT (office) DO UPDATE SET token = control_roster_token();
    RETURN NULL;
END $$;

CREATE TRIGGER control_roster_officer_insert_delete AFTER INSERT OR DELETE ON control_officers
    FOR EACH ROW EXECUTE FUNCTION control_roster_changed();
CREATE TRIGGER control_roster_officer_update
    AFTER UPDATE OF office, section, grp, suspended ON control_officers
    FOR EACH ROW EXECUTE FUNCTION control_roster_changed();
CREATE TRIGGER control_roster_shift AFTER INSERT OR UPDATE OR DELETE ON control_shifts
    FOR EACH ROW EXECUTE FUNCTION control_roster_changed();
CREATE TRIGGER control_roster_conflict AFTER INSERT OR UPDATE OR DELETE ON control_conflicts
    FOR EACH ROW EXECUTE FUNCTION control_roster_changed();
