-- The valuation rebuild reads every item's unit value grouped by (HS6, origin). With the key
-- index alone the database found each row in the table after the index. The index now holds
-- the unit value too, so the rebuild can read it alone, in order. It replaces the old index, so
-- a lodgement writes no more than before.
DROP INDEX item_unit_values_key;
CREATE INDEX item_unit_values_key ON item_unit_values (hs6, origin) INCLUDE (unit_value);
