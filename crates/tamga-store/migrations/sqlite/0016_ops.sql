-- Operations: API tokens that can be listed and revoked, and the masking of closed
-- declarations' personal data after the retention period.

-- Tokens get an id (an administrator names a token by it, never by its secret or hash) and a
-- revocation. SQLite cannot add a primary key to a table, so the table is rebuilt; nothing
-- references it.
CREATE TABLE api_tokens_new (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash  TEXT NOT NULL UNIQUE,
    user_id     INTEGER NOT NULL REFERENCES users (id),
    created_at  TEXT NOT NULL,
    revoked_at  TEXT,
    revoked_by  TEXT
);
INSERT INTO api_tokens_new (token_hash, user_id, created_at)
    SELECT token_hash, user_id, created_at FROM api_tokens ORDER BY created_at, token_hash;
DROP TABLE api_tokens;
ALTER TABLE api_tokens_new RENAME TO api_tokens;
CREATE INDEX api_tokens_user ON api_tokens (user_id, id);

-- A token is kept once issued (the audit log names it), and a revocation is final.
CREATE TRIGGER api_tokens_kept BEFORE DELETE ON api_tokens
BEGIN SELECT RAISE(ABORT, 'api_tokens are never deleted; revoke them'); END;
CREATE TRIGGER api_tokens_revocation_final BEFORE UPDATE ON api_tokens
WHEN OLD.revoked_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a revoked API token stays revoked'); END;

-- When a closed declaration's personal data were masked; a masked document never changes again.
ALTER TABLE declarations ADD COLUMN personal_data_masked_at TEXT;
CREATE INDEX declarations_retention ON declarations (status, updated_at)
    WHERE personal_data_masked_at IS NULL;
CREATE TRIGGER declarations_masked_final BEFORE UPDATE OF document, personal_data_masked_at
    ON declarations WHEN OLD.personal_data_masked_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a masked declaration stays masked'); END;
