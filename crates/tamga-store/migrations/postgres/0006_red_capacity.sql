-- The red inspections of each office and office-local day, counted inside each lodgement's
-- transaction: every server on the database shares the count, and a restart keeps it.
CREATE TABLE red_capacity (
    office  TEXT NOT NULL,
    day     TEXT NOT NULL,
    used    BIGINT NOT NULL CHECK (used >= 0),
    PRIMARY KEY (office, day)
);

-- The reds already decided count against their days.
INSERT INTO red_capacity (office, day, used)
SELECT office, decided_on, COUNT(*) FROM risk_decisions WHERE channel = 'red'
GROUP BY office, decided_on;
