-- The declarations list filtered by declarant, newest first: without this index the database
-- finds a declarant's rows by the (declarant_id, lrn) key and sorts all of them by id, which
-- took 165 ms a page for a declarant with 200,000 declarations (about 1 ms with it).
CREATE INDEX declarations_declarant ON declarations (declarant_id, id);
