-- Valuation control: the unit value (customs value per kg, national currency) of every item
-- assessed at acceptance, and the reference unit values built from them or imported.
CREATE TABLE item_unit_values (
    declaration_id  BIGINT NOT NULL REFERENCES declarations (id),
    sequence        BIGINT NOT NULL,
    hs6             TEXT NOT NULL,
    origin          TEXT,
    unit_value      NUMERIC NOT NULL,
    PRIMARY KEY (declaration_id, sequence)
);
CREATE INDEX item_unit_values_key ON item_unit_values (hs6, origin);

CREATE TABLE valuation_references (
    hs6        TEXT NOT NULL,
    origin     TEXT NOT NULL,
    median     NUMERIC NOT NULL,
    q1         NUMERIC NOT NULL,
    q3         NUMERIC NOT NULL,
    count      BIGINT NOT NULL,
    source     TEXT NOT NULL,
    built_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (hs6, origin)
);
