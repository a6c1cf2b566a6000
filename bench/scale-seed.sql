-- Bulk seed of bench/scale.sh: entries :lo .. :hi (run again with a higher range to grow the
-- database), in the shape the API produces: entries with their items, indicators and
-- procurement, and every entry's audit chain (create, submit, approve … as its state implies, with
-- the chain head). 500 units in 10 departments (S01U001 … S10U500); unit S01U001 is a big unit
-- (3 % of all entries, so its officer's pages are full at 10,000 entries too); years 2022–2025
-- published (a few discarded, 2.5 % revised: revision 1 superseded by a published revision 2),
-- 2026 in preparation (draft 25 %, department_review 20 %, finance_review 30 %, approved 5 %,
-- published 20 %). Codes start with the unit's code, as real codes start with the department's
-- (201-0502-JBN-E5EL). Rows are inserted in creation order (hashed over units), not clustered by
-- unit; audit events in time order (every chain's events far apart). Hashes are not the server's
-- canonical ones (`audit verify` would reject them); reading history does not recompute them.
\set ON_ERROR_STOP 1
BEGIN;
CREATE TEMP TABLE s ON COMMIT DROP AS
SELECT i, u, 'S' || lpad((1 + (u - 1) / 50)::text, 2, '0') AS dept,
       'S' || lpad((1 + (u - 1) / 50)::text, 2, '0') || 'U' || lpad(u::text, 3, '0') AS unit,
       y AS year, st, k AS kind, (1000 + (i * 37) % 99000)::numeric(16, 2) AS general,
       (y < 2026 AND st = 'published' AND abs(hashint4extended(i, 5)) % 40 = 13) AS revised,
       timestamptz '2021-09-01' + (y - 2022) * interval '1 year' + (abs(hashint4extended(i, 6)) % 7776000) * interval '1 second' AS created
FROM generate_series(:lo, :hi) AS i,
LATERAL (SELECT CASE WHEN abs(hashint4extended(i, 1)) % 100 < 3 THEN 1 ELSE 1 + abs(hashint4extended(i, 7)) % 500 END AS u) a,
LATERAL (SELECT CASE WHEN abs(hashint4extended(i, 2)) % 20 < 12 THEN 2022 + (abs(hashint4extended(i, 2)) % 20) / 3 ELSE 2026 END AS y) b,
LATERAL (SELECT CASE WHEN y < 2026 THEN CASE WHEN abs(hashint4extended(i, 3)) % 50 = 7 THEN 'discarded' ELSE 'published' END
                ELSE (ARRAY['draft', 'draft', 'draft', 'draft', 'draft', 'department_review', 'department_review',
                            'department_review', 'department_review', 'finance_review', 'finance_review', 'finance_review',
                            'finance_review', 'finance_review', 'finance_review', 'approved', 'published', 'published',
                            'published', 'published'])[1 + abs(hashint4extended(i, 3)) % 20] END AS st) c,
LATERAL (SELECT (ARRAY['personnel', 'operation', 'project'])[1 + abs(hashint4extended(i, 4)) % 3] AS k) d;

-- One row per revision: r = 1 (superseded when revised), r = 2 for the revised ones.
CREATE TEMP TABLE r ON COMMIT DROP AS
SELECT s.*, 1 AS rev, md5('scale:' || i || ':1')::uuid AS id, NULL::uuid AS supersedes,
       CASE WHEN revised THEN 'superseded' ELSE st END AS state
FROM s
UNION ALL
SELECT s.*, 2, md5('scale:' || i || ':2')::uuid, md5('scale:' || i || ':1')::uuid, 'published' FROM s WHERE revised;

-- The audit path of each kind of row: (seq, action, from, to, which revision the event names).
CREATE TEMP TABLE path (path text, seq int, action text, from_state text, to_state text, rev int, who text) ON COMMIT DROP;
INSERT INTO path VALUES
    ('draft', 1, 'create', NULL, 'draft', 1, 'officer'),
    ('discarded', 1, 'create', NULL, 'draft', 1, 'officer'), ('discarded', 2, 'discard', 'draft', 'discarded', 1, 'officer');
INSERT INTO path
SELECT p, n, a, f, t, 1, w
FROM unnest(ARRAY['department_review', 'finance_review', 'approved', 'published']) WITH ORDINALITY AS x(p, depth),
     (VALUES (1, 'create', NULL, 'draft', 'officer'), (2, 'submit', 'draft', 'department_review', 'officer'),
             (3, 'approve', 'department_review', 'finance_review', 'reviewer'),
             (4, 'approve', 'finance_review', 'approved', 'finance'), (5, 'publish', 'approved', 'published', 'finance')) AS v(n, a, f, t, w)
WHERE n <= depth + 1;
INSERT INTO path VALUES
    ('revised', 1, 'create', NULL, 'draft', 1, 'officer'), ('revised', 2, 'submit', 'draft', 'department_review', 1, 'officer'),
    ('revised', 3, 'approve', 'department_review', 'finance_review', 1, 'reviewer'),
    ('revised', 4, 'approve', 'finance_review', 'approved', 1, 'finance'), ('revised', 5, 'publish', 'approved', 'published', 1, 'finance'),
    ('revised', 6, 'revise', 'published', 'draft', 2, 'officer'), ('revised', 7, 'submit', 'draft', 'department_review', 2, 'officer'),
    ('revised', 8, 'approve', 'department_review', 'finance_review', 2, 'reviewer'),
    ('revised', 9, 'approve', 'finance_review', 'approved', 2, 'finance'),
    ('revised', 10, 'supersede', 'published', 'superseded', 1, 'finance'), ('revised', 11, 'publish', 'approved', 'published', 2, 'finance');

INSERT INTO entries (id, year, unit_code, code, revision, supersedes, name, kind, func_code, general, plan, purpose,
                     goals, state, version, revise_reason, created_at, updated_at, approved_at, published_at)
SELECT r.id, year, unit, unit || '-' || lpad(i::text, 7, '0'), rev, supersedes, '基准项目' || i, kind, '2013102', general,
       CASE WHEN kind = 'project' THEN '{30,60,90,100}'::numeric[] ELSE '{}' END,
       '该项目用于' || year || '年基准测试单位的调研支出及公车运行维护费',
       CASE WHEN kind = 'project' THEN '按期完成调研任务，形成调研报告，服务对象满意度不低于95%' ELSE '' END,
       state,
       -- version = 1 + the changes of this revision
       CASE WHEN revised AND rev = 1 THEN 6 WHEN revised THEN 5
            ELSE (SELECT count(*) FROM path WHERE path.path = r.st AND path.rev = 1) END,
       CASE WHEN rev = 2 THEN '调整预算' END,
       created + (rev - 1) * interval '30 days',
       created + (CASE WHEN state = 'draft' THEN 0 ELSE (SELECT count(*) FROM path WHERE path.path = r.st) + 5 * (rev - 1) END) * interval '1 day'
               + (abs(hashint4extended(i, 8)) % 86400) * interval '1 second',
       CASE WHEN state IN ('approved', 'published', 'superseded') THEN created + (3 + 5 * (rev - 1)) * interval '1 day' END,
       CASE WHEN state IN ('published', 'superseded') THEN created + (4 + 5 * (rev - 1)) * interval '1 day' END
FROM r ORDER BY i, rev;

INSERT INTO entry_items (entry_id, position, econ, amount)
SELECT id, p, CASE WHEN kind = 'project' THEN '30211'
                   ELSE (ARRAY['30201', '30207', '30228', '30231', '30217', '30299'])[1 + (i + p) % 6] END,
       CASE WHEN kind = 'project' THEN general ELSE general / 2 END
FROM r, generate_series(0, 1) AS p WHERE kind <> 'project' OR p = 0
ORDER BY i, rev, p;

INSERT INTO entry_indicators (entry_id, position, l1, l2, l3, descr, value, basis)
SELECT id, p, (ARRAY['产出指标', '满意度指标'])[1 + p], (ARRAY['数量指标', '服务对象满意度指标'])[1 + p],
       (ARRAY['调研报告', '满意度'])[1 + p], (ARRAY['形成调研报告', '领导满意度'])[1 + p],
       (ARRAY['≥3篇', '≥95百分比'])[1 + p], '依据部门职责'
FROM r, generate_series(0, 1) AS p WHERE kind = 'project'
ORDER BY i, rev, p;

INSERT INTO entry_procurement (entry_id, position, item, catalog, unit, quantity, price, amount)
SELECT id, 0, '台式计算机', 'A02010104', '台', 2, 5000.00, 10000.00
FROM r WHERE kind = 'project' AND i % 5 = 0 AND general >= 10000
ORDER BY i, rev;

-- Every row's events, in time order across all entries (a chain's events are far apart).
INSERT INTO audit_events (chain, seq, at, actor, role, channel, action, entry_id, revision, from_state, to_state,
                          reason, changes, prev_hash, hash)
SELECT 'entry:' || s.year || ':' || s.unit || '-' || lpad(s.i::text, 7, '0') AS chain, p.seq,
       s.created + p.seq * interval '1 day' + (abs(hashint4extended(s.i, 8)) % 86400) * interval '1 second',
       CASE p.who WHEN 'officer' THEN 'officer-' || s.unit WHEN 'reviewer' THEN 'reviewer-' || s.dept ELSE 'bench-finance' END,
       CASE p.who WHEN 'officer' THEN 'officer' WHEN 'reviewer' THEN 'department_reviewer' ELSE 'finance_reviewer' END,
       CASE WHEN p.who = 'finance' THEN 'cli' ELSE 'api' END, p.action, md5('scale:' || s.i || ':' || p.rev)::uuid, p.rev,
       p.from_state, p.to_state, CASE WHEN p.action = 'revise' THEN '调整预算' END,
       CASE p.action
           WHEN 'create' THEN jsonb_build_object('code', s.unit || '-' || lpad(s.i::text, 7, '0'), 'name', '基准项目' || s.i,
                'kind', s.kind, 'func', '2013102', 'amount', s.general::text, 'general', s.general::text,
                'items', CASE WHEN s.kind = 'project' THEN '1' ELSE '2' END)
                || CASE WHEN s.kind = 'project' THEN '{"indicators": "2"}'::jsonb ELSE '{}' END
           WHEN 'revise' THEN jsonb_build_object('revises', md5('scale:' || s.i || ':1')::uuid::text, 'revision', '2')
           WHEN 'supersede' THEN jsonb_build_object('superseded_by', md5('scale:' || s.i || ':2')::uuid::text)
           ELSE '{}' END,
       CASE WHEN p.seq = 1 THEN '\x0000000000000000000000000000000000000000000000000000000000000000'::bytea
            ELSE sha256(convert_to('entry:' || s.year || ':' || s.unit || '-' || lpad(s.i::text, 7, '0') || ':' || (p.seq - 1), 'UTF8')) END,
       sha256(convert_to('entry:' || s.year || ':' || s.unit || '-' || lpad(s.i::text, 7, '0') || ':' || p.seq, 'UTF8'))
FROM s JOIN path p ON p.path = CASE WHEN s.revised THEN 'revised' ELSE s.st END
ORDER BY s.created + p.seq * interval '1 day', s.i;

INSERT INTO audit_chain_heads (chain, seq, hash)
SELECT 'entry:' || s.year || ':' || s.unit || '-' || lpad(s.i::text, 7, '0'), n,
       sha256(convert_to('entry:' || s.year || ':' || s.unit || '-' || lpad(s.i::text, 7, '0') || ':' || n, 'UTF8'))
FROM s JOIN (SELECT path, max(seq) AS n FROM path GROUP BY path) p ON p.path = CASE WHEN s.revised THEN 'revised' ELSE s.st END;
COMMIT;
