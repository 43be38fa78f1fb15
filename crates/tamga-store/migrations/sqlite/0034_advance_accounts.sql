-- Advance accounts: a trader pays customs ahead (a bank transfer to customs' account, credited
-- here from the bank statement) and then pays a declaration's duties online from the balance.
-- The balance is kept as decimal text; the store computes it under the single writer.
CREATE TABLE advance_accounts (
    party_id    TEXT PRIMARY KEY REFERENCES parties (id),
    balance     TEXT NOT NULL,
    opened_at   TEXT NOT NULL
);

-- Every credit and debit, with the balance after it. A deposit's reference is the bank's
-- payment order, credited once; a payment's is the declaration it paid.
CREATE TABLE advance_entries (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    party_id    TEXT NOT NULL REFERENCES advance_accounts (party_id),
    kind        TEXT NOT NULL CHECK (kind IN ('deposit', 'payment')),
    amount      TEXT NOT NULL,
    balance     TEXT NOT NULL,
    reference   TEXT NOT NULL,
    mrn         TEXT,
    by_user     TEXT NOT NULL,
    at          TEXT NOT NULL
);
CREATE UNIQUE INDEX advance_entries_deposit ON advance_entries (party_id, reference)
    WHERE kind = 'deposit';
CREATE INDEX advance_entries_party ON advance_entries (party_id, id);

CREATE TRIGGER advance_entries_append_only_update BEFORE UPDATE ON advance_entries
BEGIN SELECT RAISE(ABORT, 'advance_entries is append-only'); END;
CREATE TRIGGER advance_entries_append_only_delete BEFORE DELETE ON advance_entries
BEGIN SELECT RAISE(ABORT, 'advance_entries is append-only'); END;
