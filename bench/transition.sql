-- pgbench baseline of one transition (submit or withdraw) as EntryService.run sends it: the
-- snapshot in one statement (EntryService.loadSnapshot: the entry locked, its children as JSON,
-- waivers, revision facts, the chain head locked, the clock), then the plan in one statement
-- (PlanWriter: the entries UPDATE, the audit_events INSERT and the head UPDATE as one
-- data-modifying CTE), then COMMIT. Run with -M extended on schema pgb (bench/pgbench-setup.sql)
-- and -D per=<entries per client>: client c walks its own entries. The control-figure and
-- approved-revision parts read nothing for these two actions, as in the server. Differences from
-- the server: pgbench sends BEGIN on its own (the server pipelines it with the snapshot: one round
-- trip fewer), the hash is sha256(previous hash) computed by PostgreSQL, and nothing is signed.
\set n :client_id * :per + random(1, :per)
BEGIN ISOLATION LEVEL READ COMMITTED;
WITH e AS MATERIALIZED (
    SELECT e.id, e.year, e.unit_code, e.department_code, e.code, e.revision, e.supersedes, e.name,
           e.kind, e.func_code, e.general, e.fund, e.state_capital, e.special, e.other,
           array_to_string(e.plan, ',') AS plan, e.purpose, e.goals, e.state, e.version, e.round
    FROM pgb.entries e JOIN organizations o ON o.code = e.unit_code
    WHERE e.id = (SELECT id FROM pgb.map WHERE n = :n) FOR UPDATE OF e
), ceiling AS MATERIALIZED (
    SELECT c.amount FROM control_figures c JOIN e ON c.unit_code = e.unit_code AND c.year = e.year
    WHERE e.state = ANY('{}'::text[]) FOR UPDATE OF c
), approved AS MATERIALIZED (
    SELECT r.id, r.revision FROM pgb.entries r JOIN e ON r.year = e.year AND r.code = e.code
    WHERE r.state = 'approved' AND r.id <> e.id AND e.state = ANY('{}'::text[]) FOR UPDATE OF r
), head AS MATERIALIZED (
    SELECT h.chain, h.seq, h.hash FROM pgb.audit_chain_heads h JOIN e ON h.chain = 'entry:' || e.year || ':' || e.code
    FOR UPDATE OF h
)
SELECT e.id, e.revision, (e.state = 'draft')::int AS is_draft,
    (SELECT version FROM pgb.entries WHERE id = e.id) AS seen_version,
    (SELECT json_agg(json_build_object('econ', x.econ, 'amount', x.amount::text) ORDER BY x.position)
     FROM pgb.entry_items x WHERE x.entry_id = e.id)::text AS items,
    (SELECT json_agg(json_build_object('l1', x.l1, 'l2', x.l2, 'l3', x.l3, 'desc', x.descr, 'value', x.value,
                                       'basis', x.basis) ORDER BY x.position)
     FROM pgb.entry_indicators x WHERE x.entry_id = e.id)::text AS indicators,
    (SELECT json_agg(json_build_object('item', x.item, 'catalog', x.catalog, 'unit', x.unit,
                                       'quantity', x.quantity::text, 'price', x.price::text) ORDER BY x.position)
     FROM pgb.entry_procurement x WHERE x.entry_id = e.id)::text AS procurement,
    (SELECT string_agg(w.rule, ',') FROM pgb.waivers w WHERE w.entry_id = e.id) AS waived,
    (SELECT max(r.revision) FROM pgb.entries r WHERE r.year = e.year AND r.code = e.code) AS latest_revision,
    EXISTS (SELECT 1 FROM pgb.entries r WHERE r.year = e.year AND r.code = e.code AND r.id <> e.id
            AND r.state = ANY('{draft,department_review,finance_review}'::text[])) AS other_open,
    (SELECT amount FROM ceiling) AS ceiling,
    (SELECT id FROM approved) AS approved_id,
    (SELECT revision FROM approved) AS approved_revision,
    (SELECT chain FROM head) AS chain,
    (SELECT seq FROM head) AS h_seq,
    (SELECT hash FROM head) AS h_hash,
    (SELECT json_agg(json_build_object('round', b.round, 'opens_on', to_char(b.opens_on, 'YYYY-MM-DD'),
                                       'closes_on', to_char(b.closes_on, 'YYYY-MM-DD'), 'closed', b.closed_at IS NOT NULL))
     FROM budget_rounds b WHERE b.year = e.year)::text AS rounds,
    to_char((now() AT TIME ZONE 'Asia/Shanghai')::date, 'YYYY-MM-DD') AS today,
    clock_timestamp() AS h_now
FROM e \gset
\if :is_draft
WITH w AS (
    UPDATE pgb.entries SET state = 'department_review', version = version + 1, updated_at = now()
    WHERE id = :id RETURNING id, version
), a AS (
    INSERT INTO pgb.audit_events (chain, seq, at, actor, role, channel, action, entry_id, revision, from_state, to_state,
                                  reason, changes, prev_hash, hash, key_id, signature)
    VALUES (:chain, :h_seq + 1, :h_now, 'bench-officer', 'officer', 'api', 'submit', :id, :revision,
            'draft', 'department_review', NULL, '{}', :h_hash, sha256(:h_hash::bytea), NULL, NULL)
    RETURNING id
), h AS (
    UPDATE pgb.audit_chain_heads h SET seq = v.seq, hash = v.hash
    FROM (VALUES (:chain::text, (:h_seq + 1)::bigint, sha256(:h_hash::bytea))) AS v(chain, seq, hash)
    WHERE h.chain = v.chain
)
SELECT id, version, NULL::bigint AS event FROM w UNION ALL SELECT NULL, NULL, id FROM a ORDER BY 3;
\else
WITH w AS (
    UPDATE pgb.entries SET state = 'draft', version = version + 1, updated_at = now()
    WHERE id = :id RETURNING id, version
), a AS (
    INSERT INTO pgb.audit_events (chain, seq, at, actor, role, channel, action, entry_id, revision, from_state, to_state,
                                  reason, changes, prev_hash, hash, key_id, signature)
    VALUES (:chain, :h_seq + 1, :h_now, 'bench-officer', 'officer', 'api', 'withdraw', :id, :revision,
            'department_review', 'draft', NULL, '{}', :h_hash, sha256(:h_hash::bytea), NULL, NULL)
    RETURNING id
), h AS (
    UPDATE pgb.audit_chain_heads h SET seq = v.seq, hash = v.hash
    FROM (VALUES (:chain::text, (:h_seq + 1)::bigint, sha256(:h_hash::bytea))) AS v(chain, seq, hash)
    WHERE h.chain = v.chain
)
SELECT id, version, NULL::bigint AS event FROM w UNION ALL SELECT NULL, NULL, id FROM a ORDER BY 3;
\endif
COMMIT;
