-- The tamper-evident audit log: one entry per state change, written in the change's own
-- transaction, each entry holding the SHA-256 of the one before it in its chain.
--
-- Each chain's head row is locked until its writer commits, so a chain serialises its
-- writers up to and including their commits. Eight chains let eight transactions commit at
-- once: a writer takes the first head nobody holds (SKIP LOCKED), so lodgements on several
-- servers do not queue behind one row.
CREATE TABLE audit_log (
    id         BIGSERIAL PRIMARY KEY,
    chain      BIGINT NOT NULL,
    seq        BIGINT NOT NULL,
    at         TIMESTAMPTZ NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    object     TEXT NOT NULL,
    digest     TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL,
    UNIQUE (chain, seq)
);
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

CREATE TABLE audit_head (
    chain  BIGINT PRIMARY KEY,
    seq    BIGINT NOT NULL,
    hash   TEXT NOT NULL
);
INSERT INTO audit_head (chain, seq, hash)
SELECT c, 0, '0000000000000000000000000000000000000000000000000000000000000000'
FROM generate_series(0, 7) AS c;

CREATE TABLE audit_checkpoints (
    id          BIGSERIAL PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL,
    message     TEXT NOT NULL,
    public_key  TEXT NOT NULL,
    signature   TEXT NOT NULL
);
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
