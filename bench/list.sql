-- pgbench baseline of GET /v1/entries?limit=100 as one unit's officer: the one statement the
-- server runs for a JSON page (EntryService.listJSONStatement; ListJSONTests holds the two equal),
-- rendering each entry's JSON object with its children in PostgreSQL. The bearer-token lookup the
-- server runs before it is not included. Run with -M extended -D unit=<unit code> -D limit=101.
SELECT p.year, p.code, p.revision, json_build_object(
    'amount', p.amount::text, 'code', p.code, 'department', p.department_code, 'fund', p.fund::text,
    'function_code', p.func_code, 'general', p.general::text, 'goals', p.goals, 'id', p.id,
    'indicators', COALESCE((
        SELECT json_agg(json_build_object('basis', x.basis, 'desc', x.descr, 'l1', x.l1, 'l2', x.l2,
                                          'l3', x.l3, 'value', x.value) ORDER BY x.position)
        FROM entry_indicators x WHERE x.entry_id = p.id), '[]'),
    'items', COALESCE((
        SELECT json_agg(json_build_object('amount', x.amount::text, 'econ', x.econ) ORDER BY x.position)
        FROM entry_items x WHERE x.entry_id = p.id), '[]'),
    'kind', p.kind, 'name', p.name, 'other', p.other::text,
    'plan', COALESCE((SELECT json_agg(v::text ORDER BY n) FROM unnest(p.plan) WITH ORDINALITY AS u(v, n)), '[]'),
    'procurement', COALESCE((
        SELECT json_agg(json_build_object('amount', x.amount::text, 'catalog', x.catalog, 'item', x.item,
                                          'price', x.price::text, 'quantity', trim_scale(x.quantity)::text,
                                          'unit', x.unit) ORDER BY x.position)
        FROM entry_procurement x WHERE x.entry_id = p.id), '[]'),
    'purpose', p.purpose, 'revision', p.revision, 'round', p.round, 'special', p.special::text, 'state', p.state,
    'state_capital', p.state_capital::text, 'supersedes', p.supersedes, 'unit', p.unit_code,
    'version', p.version, 'year', p.year)::text AS doc
FROM (SELECT e.* FROM entries e
      WHERE TRUE AND e.unit_code = :unit ORDER BY e.year, e.code, e.revision LIMIT :limit) p
ORDER BY p.year, p.code, p.revision;
