-- Keyset paging of a unit's entries in (year, code, revision) order, the order lists use.
CREATE INDEX entries_unit_order_idx ON entries (unit_code, year, code, revision);
DROP INDEX entries_unit_year_idx;
