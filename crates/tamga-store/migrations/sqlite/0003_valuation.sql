-- Valuation control: the unit value (customs value per kg, national currency) of every item
-- assessed at acceptance, and the reference unit values built from them or imported.
CREATE TABLE item_unit_values (
    declaration_id  INTEGER NOT NULL REFERENCES declarations (id),
    sequence        INTEGER NOT NULL,
    hs6             TEXT NOT NULL,
    origin          TEXT,
    unit_value      TEXT NOT NULL,
    PRIMARY KEY (declaration_id, sequence)
);
CREATE INDEX item_unit_values_key ON item_unit_values (hs6, origin);

CREATE TABLE valuation_references (
    hs6        TEXT NOT NULL,
    origin     TEXT NOT NULL,
    median     TEXT NOT NULL,
    q1         TEXT NOT NULL,
    q3         TEXT NOT NULL,
    count      INTEGER NOT NULL,
    source     TEXT NOT NULL,
    built_at   TEXT NOT NULL,
    PRIMARY KEY (hs6, origin)
);
