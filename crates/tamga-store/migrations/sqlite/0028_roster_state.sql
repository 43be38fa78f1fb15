-- The roster's version per office: a random token that every change of the office's officers
-- (other than their workload), shifts or conflicts replaces, by the triggers below. A server
-- keeps the roster it last read in memory with the token it read it at, and uses it only while
-- the token in the database is still that one (checked in the transaction that draws), so
-- several processes on one database never trust a roster another one changed. Workloads are
-- written only by the store's code, which replaces the token itself with every change.
CREATE TABLE control_roster_state (
    office  TEXT PRIMARY KEY,
    token   INTEGER NOT NULL
);

INSERT INTO control_roster_state (office, token)
    SELECT DISTINCT office, random() FROM control_officers;

CREATE TRIGGER control_roster_officer_insert AFTER INSERT ON control_officers
BEGIN
    INSERT INTO control_roster_state (office, token) VALUES (NEW.office, random())
        ON CONFLICT (office) DO UPDATE SET token = random();
END;
CREATE TRIGGER control_roster_officer_update
AFTER UPDATE OF office, section, grp, suspended ON control_officers
BEGIN
    UPDATE control_roster_state SET token = random() WHERE office IN (OLD.office, NEW.office);
    INSERT INTO control_roster_state (office, token) VALUES (NEW.office, random())
        ON CONFLICT (office) DO NOTHING;
END;
CREATE TRIGGER control_roster_officer_delete AFTER DELETE ON control_officers
BEGIN
    UPDATE control_roster_state SET token = random() WHERE office = OLD.office;
END;

CREATE TRIGGER control_roster_shift_insert AFTER INSERT ON control_shifts
BEGIN
    UPDATE control_roster_state SET token = random()
        WHERE office = (SELECT office FROM control_officers WHERE user_id = NEW.user_id);
END;
CREATE TRIGGER control_roster_shift_update AFTER UPDATE ON control_shifts
BEGIN
    UPDATE control_roster_state SET token = random() WHERE office IN
        (SELECT office FROM control_officers WHERE user_id IN (OLD.user_id, NEW.user_id));
END;
CREATE TRIGGER control_roster_shift_delete AFTER DELETE ON control_shifts
BEGIN
    UPDATE control_roster_state SET token = random()
        WHERE office = (SELECT office FROM control_officers WHERE user_id = OLD.user_id);
END;

CREATE TRIGGER control_roster_conflict_insert AFTER INSERT ON control_conflicts
BEGIN
    UPDATE control_roster_state SET token = random()
        WHERE office = (SELECT office FROM control_officers WHERE user_id = NEW.user_id);
END;
CREATE TRIGGER control_roster_conflict_update AFTER UPDATE ON control_conflicts
BEGIN
    UPDATE control_roster_state SET token = random() WHERE office IN
        (SELECT office FROM control_officers WHERE user_id IN (OLD.user_id, NEW.user_id));
END;
CREATE TRIGGER control_roster_conflict_delete AFTER DELETE ON control_conflicts
BEGIN
    UPDATE control_roster_state SET token = random()
        WHERE office = (SELECT office FROM control_officers WHERE user_id = OLD.user_id);
END;
