-- A party's declarations list is a union of one branch per party column (and the lodging user),
-- each walking its column's index newest first and stopping after one page. PostgreSQL needs the
-- id in the index for that walk; without it each branch sorts every row the party has.
DROP INDEX declarations_importer;
CREATE INDEX declarations_importer ON declarations (importer_id, id);
DROP INDEX declarations_exporter;
CREATE INDEX declarations_exporter ON declarations (exporter_id, id);
DROP INDEX declarations_representative;
CREATE INDEX declarations_representative ON declarations (representative_id, id);
DROP INDEX declarations_lodged_by;
CREATE INDEX declarations_lodged_by ON declarations (lodged_by, id);
