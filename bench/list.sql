-- pgbench baseline of GET /v1/entries?limit=100 as one unit's officer: the list query of
-- EntryService.list, with the officer's scope condition (e.unit_code = …) and LIMIT 101.
-- Run with -M extended -D unit=<unit code>.
SELECT e.id, e.year, e.unit_code, o.parent_code AS department_code, e.code, e.revision, e.supersedes, e.name,
       e.kind, e.func_code, e.general, e.fund, e.state_capital, e.special, e.other,
       array_to_string(e.plan, ',') AS plan, e.purpose, e.goals, e.state, e.version
FROM entries e JOIN organizations o ON o.code = e.unit_code
WHERE TRUE AND e.unit_code = :unit
ORDER BY e.year, e.code, e.revision LIMIT 101;
