-- Attachments kept in the data directory, content-addressed by SHA-256 (the bytes are files;
-- these rows say who uploaded which content, under what name and type), and the findings' tasks
-- and the seizures that refer to each content, which decide who may download it. Append-only.
CREATE TABLE attachments (
    sha256        TEXT NOT NULL,
    uploaded_by   INTEGER NOT NULL REFERENCES users (id),
    size          INTEGER NOT NULL,
    content_type  TEXT NOT NULL,
    file_name     TEXT NOT NULL,
    uploaded_at   TEXT NOT NULL,
    PRIMARY KEY (sha256, uploaded_by)
);

CREATE TABLE attachment_uses (
    sha256      TEXT NOT NULL,
    task_id     INTEGER REFERENCES control_tasks (id),
    seizure_id  INTEGER REFERENCES seizures (id),
    CHECK ((task_id IS NULL) <> (seizure_id IS NULL))
);
CREATE INDEX attachment_uses_sha256 ON attachment_uses (sha256);

CREATE TRIGGER attachments_append_only_update BEFORE UPDATE ON attachments
BEGIN SELECT RAISE(ABORT, 'attachments is append-only'); END;
CREATE TRIGGER attachments_append_only_delete BEFORE DELETE ON attachments
BEGIN SELECT RAISE(ABORT, 'attachments is append-only'); END;
CREATE TRIGGER attachment_uses_append_only_update BEFORE UPDATE ON attachment_uses
BEGIN SELECT RAISE(ABORT, 'attachment_uses is append-only'); END;
CREATE TRIGGER attachment_uses_append_only_delete BEFORE DELETE ON attachment_uses
BEGIN SELECT RAISE(ABORT, 'attachment_uses is append-only'); END;
