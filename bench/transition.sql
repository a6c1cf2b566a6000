-- pgbench baseline of one transition (submit or withdraw): the statements
-- EntryService.act sends, in the same order, in one READ COMMITTED transaction
-- (EntryRows.load with FOR UPDATE OF e, its three children queries, validate's waivers query on
-- submit, the entries UPDATE … RETURNING version, then AuditLog.append: the chain head
-- SELECT … FOR UPDATE, the audit_events INSERT … RETURNING id and the head UPDATE).
-- Run with -M extended (PQexecParams sends each statement the same way), on schema pgb
-- (bench/pgbench-setup.sql), and -D per=<entries per client>: client c walks its own entries.
-- Differences from the server, all in the baseline's favour or neutral: the entry is located by a
-- sub-select on pgb.map (one index probe), the new hash is sha256(previous hash) computed by
-- PostgreSQL instead of the canonical serialization hashed in Swift, and the bearer-token lookup
-- the server runs per request (a separate statement outside the transaction) is not included.
\set n :client_id * :per + random(1, :per)
BEGIN ISOLATION LEVEL READ COMMITTED;
SELECT e.id, e.year, e.unit_code, o.parent_code AS department_code, e.code, e.revision, e.supersedes, e.name,
       e.kind, e.func_code, e.general, e.fund, e.state_capital, e.special, e.other,
       array_to_string(e.plan, ',') AS plan, e.purpose, e.goals, e.state, e.version,
       (e.state = 'draft')::int AS is_draft, 'entry:' || e.year || ':' || e.code AS chain, '{' || e.id || '}' AS ids
FROM pgb.entries e JOIN organizations o ON o.code = e.unit_code
WHERE e.id = (SELECT id FROM pgb.map WHERE n = :n) FOR UPDATE OF e \gset
SELECT entry_id, econ, amount FROM pgb.entry_items WHERE entry_id = ANY(:ids::uuid[]) ORDER BY entry_id, position;
SELECT entry_id, l1, l2, l3, descr, value, basis FROM pgb.entry_indicators
WHERE entry_id = ANY(:ids::uuid[]) ORDER BY entry_id, position;
SELECT entry_id, item, catalog, unit, quantity, price FROM pgb.entry_procurement
WHERE entry_id = ANY(:ids::uuid[]) ORDER BY entry_id, position;
\if :is_draft
SELECT rule FROM pgb.waivers WHERE entry_id = :id;
UPDATE pgb.entries SET state = 'department_review', version = version + 1, updated_at = now()
WHERE id = :id RETURNING version;
\else
UPDATE pgb.entries SET state = 'draft', version = version + 1, updated_at = now()
WHERE id = :id RETURNING version;
\endif
SELECT seq AS h_seq, hash AS h_hash, clock_timestamp() AS h_now FROM pgb.audit_chain_heads WHERE chain = :chain FOR UPDATE \gset
\if :is_draft
INSERT INTO pgb.audit_events (chain, seq, at, actor, role, channel, action, entry_id, revision,
                              from_state, to_state, reason, changes, prev_hash, hash)
VALUES (:chain, :h_seq + 1, :h_now, 'bench-officer', 'officer', 'api', 'submit', :id, :revision,
        'draft', 'department_review', NULL, '{}', :h_hash, sha256(:h_hash::bytea))
RETURNING id;
\else
INSERT INTO pgb.audit_events (chain, seq, at, actor, role, channel, action, entry_id, revision,
                              from_state, to_state, reason, changes, prev_hash, hash)
VALUES (:chain, :h_seq + 1, :h_now, 'bench-officer', 'officer', 'api', 'withdraw', :id, :revision,
        'department_review', 'draft', NULL, '{}', :h_hash, sha256(:h_hash::bytea))
RETURNING id;
\endif
UPDATE pgb.audit_chain_heads SET seq = :h_seq + 1, hash = sha256(:h_hash::bytea) WHERE chain = :chain;
COMMIT;
