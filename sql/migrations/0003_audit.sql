-- The tamper-evident audit log.
--
-- Events are hash-chained per chain (one chain per entry code-year, and one per other subject such
-- as a user or a control figure), so writers on different entries never wait for each other. Each
-- event stores the hash of the previous event in its chain; audit_chain_heads holds each chain's
-- latest sequence number and hash, locked row-wise while appending. Checkpoints periodically record
-- every chain head, so a deleted chain tail is detectable even if its head row is rewritten too.

CREATE TABLE audit_events (
    id         bigserial PRIMARY KEY,
    chain      text NOT NULL,
    seq        bigint NOT NULL CHECK (seq >= 1),
    at         timestamptz NOT NULL,
    actor      text NOT NULL,
    role       text NOT NULL,
    channel    text NOT NULL CHECK (channel IN ('api', 'cli')),
    action     text NOT NULL,
    entry_id   uuid,
    revision   integer,
    from_state text,
    to_state   text,
    reason     text,
    changes    jsonb NOT NULL DEFAULT '{}',
    prev_hash  bytea NOT NULL CHECK (length(prev_hash) = 32),
    hash       bytea NOT NULL CHECK (length(hash) = 32),
    CONSTRAINT audit_events_chain_seq_key UNIQUE (chain, seq)
);
CREATE INDEX audit_events_entry_idx ON audit_events (entry_id, id);

CREATE TABLE audit_chain_heads (
    chain text PRIMARY KEY,
    seq   bigint NOT NULL,
    hash  bytea NOT NULL CHECK (length(hash) = 32)
);

CREATE TABLE audit_checkpoints (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    chains      integer NOT NULL,
    events      bigint NOT NULL,
    -- {"chain": [seq, "hash hex"], …}: every chain head at checkpoint time.
    heads       jsonb NOT NULL
);

-- Append-only, enforced by PostgreSQL itself.
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_checkpoints_append_only BEFORE UPDATE OR DELETE ON audit_checkpoints
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

-- The application's role: it may read and append to the log but never change it, and it does not
-- own the tables, so it cannot disable the triggers. Creating the role needs CREATEROLE; where the
-- migrating user lacks it, the DBA creates it with deploy/roles.sql.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'budget_app') THEN
        CREATE ROLE budget_app NOLOGIN;
    END IF;
EXCEPTION
    WHEN insufficient_privilege THEN
        RAISE NOTICE 'role budget_app not created (no CREATEROLE); see deploy/roles.sql';
    WHEN duplicate_object OR unique_violation THEN
        NULL;  -- another database of this cluster created it at the same moment

END
$$;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'budget_app') THEN
        GRANT SELECT, INSERT, UPDATE ON organizations, users, api_tokens, entries, control_figures,
            publications, audit_chain_heads TO budget_app;
        GRANT SELECT, INSERT, UPDATE, DELETE ON entry_items, entry_indicators, entry_procurement, waivers TO budget_app;
        GRANT SELECT, INSERT ON audit_events, audit_checkpoints TO budget_app;
        GRANT SELECT ON schema_migrations TO budget_app;
        GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO budget_app;
        REVOKE UPDATE, DELETE, TRUNCATE ON audit_events, audit_checkpoints FROM budget_app;
    END IF;
END
$$;
