-- The tamper-evident audit log: one entry per state change, written in the change's own
-- transaction, each entry holding the SHA-256 of the one before it in its chain. SQLite has
-- one writer, so one chain; PostgreSQL has several (see its migration).
CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    chain      INTEGER NOT NULL,
    seq        INTEGER NOT NULL,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    object     TEXT NOT NULL,
    digest     TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL,
    UNIQUE (chain, seq)
);
CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- The last entry of each chain: what the next entry links to.
CREATE TABLE audit_head (
    chain  INTEGER PRIMARY KEY,
    seq    INTEGER NOT NULL,
    hash   TEXT NOT NULL
);
INSERT INTO audit_head (chain, seq, hash)
VALUES (0, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Signed checkpoints: the signed text names each chain's sequence and head hash.
CREATE TABLE audit_checkpoints (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    message     TEXT NOT NULL,
    public_key  TEXT NOT NULL,
    signature   TEXT NOT NULL
);
CREATE TRIGGER audit_checkpoints_append_only_update BEFORE UPDATE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
CREATE TRIGGER audit_checkpoints_append_only_delete BEFORE DELETE ON audit_checkpoints
BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END;
