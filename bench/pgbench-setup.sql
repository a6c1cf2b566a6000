-- The pgbench baselines' own copy of the tables a transition writes, in schema pgb, so the
-- baseline's audit rows (whose hashes pgbench cannot compute the way the server does) never
-- touch the real, verified audit log. Same definitions (LIKE … INCLUDING ALL: defaults, checks,
-- generated columns, indexes), same rows, same database and cluster.
DROP SCHEMA IF EXISTS pgb CASCADE;
CREATE SCHEMA pgb;
DO $$
DECLARE
    t text;
    cols text;
BEGIN
    FOREACH t IN ARRAY ARRAY['entries', 'entry_items', 'entry_indicators', 'entry_procurement', 'waivers',
                             'audit_events', 'audit_chain_heads'] LOOP
        EXECUTE format('CREATE TABLE pgb.%I (LIKE public.%I INCLUDING ALL)', t, t);
        SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO cols
        FROM pg_attribute WHERE attrelid = format('public.%I', t)::regclass AND attnum > 0
          AND NOT attisdropped AND attgenerated = '';
        EXECUTE format('INSERT INTO pgb.%I (%s) OVERRIDING SYSTEM VALUE SELECT %s FROM public.%I', t, cols, cols, t);
    END LOOP;
END
$$;
CREATE SEQUENCE pgb.audit_events_id_seq OWNED BY pgb.audit_events.id;
SELECT setval('pgb.audit_events_id_seq', (SELECT coalesce(max(id), 0) + 1 FROM pgb.audit_events));
ALTER TABLE pgb.audit_events ALTER COLUMN id SET DEFAULT nextval('pgb.audit_events_id_seq');
-- Entry number n (1…N) → id, so that pgbench client c can own entries c·per+1 … (c+1)·per.
CREATE TABLE pgb.map (n integer PRIMARY KEY, id uuid NOT NULL);
INSERT INTO pgb.map SELECT row_number() OVER (ORDER BY id), id FROM pgb.entries;
VACUUM ANALYZE;
