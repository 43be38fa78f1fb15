-- Signed messages between tamga nodes of neighbouring administrations.
--
-- The outbox: messages this node sends, in the order written (`seq`). A message is sent
-- only when every earlier one of its conversation (a movement's MRN, an alert's id) to the
-- same recipient is settled: delivered (acknowledged) or refused by the peer. Retries wait
-- until `next_attempt_ms` (Unix milliseconds, so both backends compare integers).
CREATE TABLE federation_outbox (
    seq              INTEGER PRIMARY KEY AUTOINCREMENT,
    id               TEXT NOT NULL UNIQUE,
    recipient        TEXT NOT NULL,
    kind             TEXT NOT NULL,
    conversation     TEXT NOT NULL,
    body             TEXT NOT NULL,
    created_by       TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    state            TEXT NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'delivered', 'refused')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms  INTEGER NOT NULL,
    last_error       TEXT,
    settled_at       TEXT
);
CREATE INDEX federation_outbox_due ON federation_outbox (state, next_attempt_ms);
CREATE INDEX federation_outbox_conversation
    ON federation_outbox (recipient, conversation, seq);

-- The inbox: messages accepted from peers, once per (sender, id), with the envelope as it
-- arrived so that `tamga federation verify` can check it again offline.
CREATE TABLE federation_inbox (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    sender        TEXT NOT NULL,
    id            TEXT NOT NULL,
    kind          TEXT NOT NULL,
    conversation  TEXT NOT NULL,
    body          TEXT NOT NULL,
    sent_at       TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    digest        TEXT NOT NULL,
    envelope      TEXT NOT NULL,
    UNIQUE (sender, id)
);
CREATE INDEX federation_inbox_kind ON federation_inbox (kind, conversation);
CREATE TRIGGER federation_inbox_append_only_update BEFORE UPDATE ON federation_inbox
BEGIN SELECT RAISE(ABORT, 'federation_inbox is append-only'); END;
CREATE TRIGGER federation_inbox_append_only_delete BEFORE DELETE ON federation_inbox
BEGIN SELECT RAISE(ABORT, 'federation_inbox is append-only'); END;

-- Messages the inbox refused, with the reason the sender was given. `sender` and
-- `message_id` are what the message claimed, when it could be read at all.
CREATE TABLE federation_refusals (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    sender      TEXT,
    message_id  TEXT,
    status      INTEGER NOT NULL,
    code        TEXT NOT NULL,
    pointer     TEXT NOT NULL,
    message     TEXT NOT NULL
);
CREATE TRIGGER federation_refusals_append_only_update BEFORE UPDATE ON federation_refusals
BEGIN SELECT RAISE(ABORT, 'federation_refusals is append-only'); END;
CREATE TRIGGER federation_refusals_append_only_delete BEFORE DELETE ON federation_refusals
BEGIN SELECT RAISE(ABORT, 'federation_refusals is append-only'); END;
