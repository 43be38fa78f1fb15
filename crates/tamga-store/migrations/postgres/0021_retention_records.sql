-- Personal data retention beyond the declaration: the risk explanation of a masked
-- declaration (watchlist hits' names, the values a profile matched), old cargo reports
-- (consignors, consignees, the conveyance) and the seizures of closed cases (persons). Each
-- table stays append-only but for one masking: the document and the time it was masked change,
-- nothing else, and never again.
ALTER TABLE risk_decisions ADD COLUMN personal_data_masked_at TIMESTAMPTZ;
ALTER TABLE cargo_reports ADD COLUMN personal_data_masked_at TIMESTAMPTZ;
ALTER TABLE seizures ADD COLUMN personal_data_masked_at TIMESTAMPTZ;
CREATE INDEX cargo_reports_retention ON cargo_reports (received_at)
    WHERE personal_data_masked_at IS NULL;
CREATE INDEX seizures_retention ON seizures (recorded_at)
    WHERE personal_data_masked_at IS NULL;

-- Append-only, but for the one masking of a row: every column but the document and the
-- masking time unchanged, the row not masked before.
CREATE FUNCTION refuse_change_but_masking() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.personal_data_masked_at IS NULL
        AND NEW.personal_data_masked_at IS NOT NULL
        AND to_jsonb(NEW) - 'document' - 'personal_data_masked_at'
            = to_jsonb(OLD) - 'document' - 'personal_data_masked_at' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;
DROP TRIGGER risk_decisions_append_only ON risk_decisions;
CREATE TRIGGER risk_decisions_append_only BEFORE UPDATE OR DELETE ON risk_decisions
    FOR EACH ROW EXECUTE FUNCTION refuse_change_but_masking();
DROP TRIGGER seizures_append_only ON seizures;
CREATE TRIGGER seizures_append_only BEFORE UPDATE OR DELETE ON seizures
    FOR EACH ROW EXECUTE FUNCTION refuse_change_but_masking();

CREATE FUNCTION cargo_reports_masked_final() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.personal_data_masked_at IS NOT NULL THEN
        RAISE EXCEPTION 'a masked cargo report stays masked';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER cargo_reports_masked_final BEFORE UPDATE ON cargo_reports
    FOR EACH ROW EXECUTE FUNCTION cargo_reports_masked_final();
