-- Every audit event signed when it is appended.
--
-- Signed checkpoints alone let the application role append an event with a correctly recomputed
-- hash, move the chain head, and have the next checkpoint vouch for it. From now on each event
-- carries an Ed25519 signature of its hash ("BAUDSIG1" || hash) by the key in
-- BUDGET_AUDIT_KEY_FILE, which the database never sees; `budgetctl audit verify` requires one on
-- every event beyond the positions recorded in audit_unsigned_heads.

ALTER TABLE audit_events
    ADD COLUMN key_id    text CHECK (key_id ~ '^[0-9a-f]{16}$'),
    ADD COLUMN signature bytea CHECK (length(signature) = 64),
    ADD CONSTRAINT audit_events_signature_key CHECK ((key_id IS NULL) = (signature IS NULL));

-- Every chain head at migration time: events at or below these positions were written before
-- events were signed and may be unsigned. Writers wait for this snapshot (SHARE blocks the head
-- updates of appends), so no event slips in between it and the new columns.
LOCK TABLE audit_chain_heads IN SHARE MODE;

CREATE TABLE audit_unsigned_heads (
    chain text PRIMARY KEY,
    seq   bigint NOT NULL CHECK (seq >= 1)
);
INSERT INTO audit_unsigned_heads (chain, seq) SELECT chain, seq FROM audit_chain_heads WHERE seq > 0;

CREATE TRIGGER audit_unsigned_heads_append_only BEFORE INSERT OR UPDATE OR DELETE ON audit_unsigned_heads
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_unsigned_heads_no_truncate BEFORE TRUNCATE ON audit_unsigned_heads
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

REVOKE ALL ON audit_unsigned_heads FROM PUBLIC;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'budget_app') THEN
        REVOKE ALL ON audit_unsigned_heads FROM budget_app;
        GRANT SELECT ON audit_unsigned_heads TO budget_app;
    END IF;
END
$$;
