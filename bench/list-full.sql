-- pgbench: everything GET /v1/entries?limit=100 sends to PostgreSQL (list query plus the three
-- children queries of EntryRows.attachChildren for the page's 100 ids), minus the token lookup.
-- Run with -M extended -D unit=<unit code> -D ids='{…100 ids…}'.
SELECT e.id, e.year, e.unit_code, o.parent_code AS department_code, e.code, e.revision, e.supersedes, e.name,
       e.kind, e.func_code, e.general, e.fund, e.state_capital, e.special, e.other,
       array_to_string(e.plan, ',') AS plan, e.purpose, e.goals, e.state, e.version
FROM entries e JOIN organizations o ON o.code = e.unit_code
WHERE TRUE AND e.unit_code = :unit
ORDER BY e.year, e.code, e.revision LIMIT 101;
SELECT entry_id, econ, amount FROM entry_items WHERE entry_id = ANY(:ids::uuid[]) ORDER BY entry_id, position;
SELECT entry_id, l1, l2, l3, descr, value, basis FROM entry_indicators
WHERE entry_id = ANY(:ids::uuid[]) ORDER BY entry_id, position;
SELECT entry_id, item, catalog, unit, quantity, price FROM entry_procurement
WHERE entry_id = ANY(:ids::uuid[]) ORDER BY entry_id, position;
