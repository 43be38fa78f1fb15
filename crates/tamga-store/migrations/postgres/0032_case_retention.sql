-- Personal data retention reaches offence cases: a closed case opened before the cut-off
-- loses the text of its notes (officers write them freely, so they may name persons), once;
-- who wrote each note and when, and everything the statistics count, stay. Closed is a final
-- state, so a masked case never changes again.
ALTER TABLE offence_cases ADD COLUMN personal_data_masked_at TIMESTAMPTZ;
CREATE INDEX offence_cases_retention ON offence_cases (opened_at)
    WHERE personal_data_masked_at IS NULL;

CREATE FUNCTION offence_cases_masked_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'offence cases are kept';
    END IF;
    IF OLD.personal_data_masked_at IS NOT NULL THEN
        RAISE EXCEPTION 'a masked offence case stays masked';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER offence_cases_masked_final BEFORE UPDATE OR DELETE ON offence_cases
    FOR EACH ROW EXECUTE FUNCTION offence_cases_masked_final();
