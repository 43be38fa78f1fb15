-- Personal data retention beyond the declaration: the risk explanation of a masked
-- declaration (watchlist hits' names, the values a profile matched), old cargo reports
-- (consignors, consignees, the conveyance) and the seizures of closed cases (persons). Each
-- table stays append-only but for one masking: the document and the time it was masked change,
-- nothing else, and never again.
ALTER TABLE risk_decisions ADD COLUMN personal_data_masked_at TEXT;
ALTER TABLE cargo_reports ADD COLUMN personal_data_masked_at TEXT;
ALTER TABLE seizures ADD COLUMN personal_data_masked_at TEXT;
CREATE INDEX cargo_reports_retention ON cargo_reports (received_at)
    WHERE personal_data_masked_at IS NULL;
CREATE INDEX seizures_retention ON seizures (recorded_at)
    WHERE personal_data_masked_at IS NULL;

DROP TRIGGER risk_decisions_append_only_update;
CREATE TRIGGER risk_decisions_append_only_update BEFORE UPDATE ON risk_decisions
WHEN NOT (OLD.personal_data_masked_at IS NULL AND NEW.personal_data_masked_at IS NOT NULL
    AND NEW.declaration_id IS OLD.declaration_id AND NEW.office IS OLD.office
    AND NEW.channel IS OLD.channel AND NEW.score IS OLD.score AND NEW.random IS OLD.random
    AND NEW.decided_at IS OLD.decided_at AND NEW.decided_on IS OLD.decided_on)
BEGIN SELECT RAISE(ABORT, 'risk_decisions is append-only'); END;

DROP TRIGGER seizures_append_only_update;
CREATE TRIGGER seizures_append_only_update BEFORE UPDATE ON seizures
WHEN NOT (OLD.personal_data_masked_at IS NULL AND NEW.personal_data_masked_at IS NOT NULL
    AND NEW.id IS OLD.id AND NEW.case_number IS OLD.case_number AND NEW.office IS OLD.office
    AND NEW.recorded_by IS OLD.recorded_by AND NEW.recorded_at IS OLD.recorded_at)
BEGIN SELECT RAISE(ABORT, 'seizures is append-only'); END;

CREATE TRIGGER cargo_reports_masked_final BEFORE UPDATE ON cargo_reports
    WHEN OLD.personal_data_masked_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a masked cargo report stays masked'); END;
