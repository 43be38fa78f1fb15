-- Personal data retention reaches offence cases: a closed case opened before the cut-off
-- loses the text of its notes (officers write them freely, so they may name persons), once;
-- who wrote each note and when, and everything the statistics count, stay. Closed is a final
-- state, so a masked case never changes again.
ALTER TABLE offence_cases ADD COLUMN personal_data_masked_at TEXT;
CREATE INDEX offence_cases_retention ON offence_cases (opened_at)
    WHERE personal_data_masked_at IS NULL;

CREATE TRIGGER offence_cases_masked_final BEFORE UPDATE ON offence_cases
    WHEN OLD.personal_data_masked_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a masked offence case stays masked'); END;
CREATE TRIGGER offence_cases_no_delete BEFORE DELETE ON offence_cases
BEGIN SELECT RAISE(ABORT, 'offence cases are kept'); END;
