-- Signed messages between tamga nodes of neighbouring administrations.
--
-- The outbox: messages this node sends, in the order written (`seq`). A message is sent
-- only when every earlier one of its conversation (a movement's MRN, an alert's id) to the
-- same recipient is settled: delivered (acknowledged) or refused by the peer. Retries wait
-- until `next_attempt_ms` (Unix milliseconds, so both backends compare integers).
CREATE TABLE federation_outbox (
    seq              BIGSERIAL PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE,
    recipient        TEXT NOT NULL,
    kind             TEXT NOT NULL,
    conversation     TEXT NOT NULL,
    body             TEXT NOT NULL,
    created_by       TEXT NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL,
    state            TEXT NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'delivered', 'refused')),
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_ms  BIGINT NOT NULL,
    last_error       TEXT,
    settled_at       TIMESTAMPTZ
);
CREATE INDEX federation_outbox_due ON federation_outbox (state, next_attempt_ms);
CREATE INDEX federation_outbox_conversation
    ON federation_outbox (recipient, conversation, seq);

-- The inbox: messages accepted from peers, once per (sender, id), with the envelope as it
-- arrived so that `tamga federation verify` can check it again offline.
CREATE TABLE federation_inbox (
    seq           BIGSERIAL PRIMARY KEY,
    sender        TEXT NOT NULL,
    id            TEXT NOT NULL,
    kind          TEXT NOT NULL,
    conversation  TEXT NOT NULL,
    body          TEXT NOT NULL,
    sent_at       TEXT NOT NULL,
    received_at   TIMESTAMPTZ NOT NULL,
    digest        TEXT NOT NULL,
    envelope      TEXT NOT NULL,
    UNIQUE (sender, id)
);
CREATE INDEX federation_inbox_kind ON federation_inbox (kind, conversation);
CREATE TRIGGER federation_inbox_append_only BEFORE UPDATE OR DELETE ON federation_inbox
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER federation_inbox_no_truncate BEFORE TRUNCATE ON federation_inbox
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Messages the inbox refused, with the reason the sender was given. `sender` and
-- `message_id` are what the message claimed, when it could be read at all.
CREATE TABLE federation_refusals (
    seq         BIGSERIAL PRIMARY KEY,
    at          TIMESTAMPTZ NOT NULL,
    sender      TEXT,
    message_id  TEXT,
    status      BIGINT NOT NULL,
    code        TEXT NOT NULL,
    pointer     TEXT NOT NULL,
    message     TEXT NOT NULL
);
CREATE TRIGGER federation_refusals_append_only BEFORE UPDATE OR DELETE ON federation_refusals
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER federation_refusals_no_truncate BEFORE TRUNCATE ON federation_refusals
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
