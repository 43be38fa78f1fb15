-- Passwords for the web UI (Argon2id PHC strings; API tokens stay for machines) and the
-- sessions its login issues. A session is found by the SHA-256 of its cookie value, never the
-- value itself; revoking sets `revoked_at`, so who was signed in when stays on record.
ALTER TABLE users ADD COLUMN password_hash TEXT;
ALTER TABLE users ADD COLUMN password_must_change BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE users ADD COLUMN language TEXT;

CREATE TABLE web_sessions (
    id_hash     TEXT PRIMARY KEY,
    user_id     BIGINT NOT NULL REFERENCES users (id),
    csrf        TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL,
    revoked_at  TIMESTAMPTZ
);
CREATE INDEX web_sessions_user ON web_sessions (user_id);
