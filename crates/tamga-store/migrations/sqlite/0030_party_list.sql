-- A party's declarations list is a union of one branch per party column (and the lodging user),
-- each walking its column's index newest first. PostgreSQL's migration adds the id to those
-- indexes; SQLite needs nothing: `id` is the rowid, which every SQLite index already ends with.
SELECT 1;
