-- A lodgement writes what its post expects (the plate and containers) itself, in its script,
-- normalised as `crossing::ident` does: this trigger parsed the whole document twice on every
-- lodgement (`json_extract` and `json_each`), 14 to 20 % of the SQLite writer's work for one,
-- and its `upper` left letters beyond ASCII as they were, which readings of a post do not.
-- A masked declaration's plate still goes with its document (`declarations_expect_update`).
DROP TRIGGER declarations_expect_insert;
