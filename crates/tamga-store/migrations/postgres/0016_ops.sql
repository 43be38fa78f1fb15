-- Operations: API tokens that can be listed and revoked, and the masking of closed
-- declarations' personal data after the retention period.

-- Tokens get an id (an administrator names a token by it, never by its secret or hash) and a
-- revocation.
ALTER TABLE api_tokens ADD COLUMN id BIGINT GENERATED ALWAYS AS IDENTITY;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_id_unique UNIQUE (id);
ALTER TABLE api_tokens ADD COLUMN revoked_at TIMESTAMPTZ, ADD COLUMN revoked_by TEXT;
CREATE INDEX api_tokens_user ON api_tokens (user_id, id);

-- A token is kept once issued (the audit log names it), and a revocation is final.
CREATE FUNCTION api_tokens_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'api_tokens are never deleted; revoke them';
    END IF;
    IF OLD.revoked_at IS NOT NULL THEN
        RAISE EXCEPTION 'a revoked API token stays revoked';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER api_tokens_guard BEFORE UPDATE OR DELETE ON api_tokens
    FOR EACH ROW EXECUTE FUNCTION api_tokens_guard();

-- When a closed declaration's personal data were masked; a masked document never changes again.
ALTER TABLE declarations ADD COLUMN personal_data_masked_at TIMESTAMPTZ;
CREATE INDEX declarations_retention ON declarations (status, updated_at)
    WHERE personal_data_masked_at IS NULL;
CREATE FUNCTION declarations_masked_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.personal_data_masked_at IS NOT NULL AND (NEW.document IS DISTINCT FROM OLD.document
        OR NEW.personal_data_masked_at IS DISTINCT FROM OLD.personal_data_masked_at) THEN
        RAISE EXCEPTION 'a masked declaration stays masked';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER declarations_masked_final BEFORE UPDATE OF document, personal_data_masked_at ON declarations
    FOR EACH ROW EXECUTE FUNCTION declarations_masked_final();
