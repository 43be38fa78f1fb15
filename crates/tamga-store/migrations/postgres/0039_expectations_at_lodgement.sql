-- A lodgement writes what its post expects (the plate and containers) itself, in its script,
-- normalised as `crossing::ident` does, as on SQLite (where the trigger parsed the whole
-- document twice on every lodgement). A masked declaration's plate still goes with its
-- document: the trigger stays for updates of the document.
DROP TRIGGER declarations_expect ON declarations;
CREATE TRIGGER declarations_expect AFTER UPDATE OF document ON declarations
    FOR EACH ROW EXECUTE FUNCTION expect_declaration();
