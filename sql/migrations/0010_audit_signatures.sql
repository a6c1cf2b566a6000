-- Signed audit checkpoints.
--
-- A hash chain its writer can extend proves nothing against that writer, so checkpoints are signed
-- with an Ed25519 key kept outside the database (BUDGET_AUDIT_KEY_FILE). Each signed checkpoint
-- names the previous signed one (id and SHA-256 of its signed bytes), so a deleted or altered
-- checkpoint breaks the chain of checkpoints. Rows recorded before this migration stay unsigned
-- and are reported as such by `budgetctl audit verify`.
--
-- The application role no longer inserts checkpoints: it calls audit_record_checkpoint, which reads
-- the chain heads itself (the caller cannot choose them) and stores the caller's signature. A
-- signature over other heads than the stored ones fails verification.

ALTER TABLE audit_checkpoints
    ADD COLUMN prev_id     bigint REFERENCES audit_checkpoints (id),
    ADD COLUMN prev_digest bytea CHECK (length(prev_digest) = 32),
    ADD COLUMN key_id      text CHECK (key_id ~ '^[0-9a-f]{16}$'),
    ADD COLUMN signature   bytea CHECK (length(signature) = 64);

-- Every new checkpoint is signed; NOT VALID leaves the unsigned rows of before alone.
ALTER TABLE audit_checkpoints ADD CONSTRAINT audit_checkpoints_signed
    CHECK (signature IS NOT NULL AND key_id IS NOT NULL AND (prev_id IS NULL) = (prev_digest IS NULL)) NOT VALID;

-- At most one successor per signed checkpoint: two servers checkpointing at once cannot fork the
-- chain (the second one gets a unique violation and retries later).
CREATE UNIQUE INDEX audit_checkpoints_one_successor ON audit_checkpoints ((coalesce(prev_id, 0)))
    WHERE signature IS NOT NULL;

-- Records a checkpoint of the heads this transaction sees. The caller signed the canonical bytes
-- of exactly these heads, the transaction's now() and the previous signed checkpoint, read in the
-- same REPEATABLE READ snapshot; the counts and previous id it passes are checked, not trusted.
CREATE FUNCTION audit_record_checkpoint(
    p_prev_id bigint, p_prev_digest bytea, p_chains bigint, p_events bigint, p_key_id text, p_signature bytea
) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    v_heads  jsonb;
    v_chains integer;
    v_events bigint;
    v_prev   bigint;
    v_id     bigint;
BEGIN
    IF current_setting('transaction_isolation') NOT IN ('repeatable read', 'serializable') THEN
        RAISE EXCEPTION 'audit_record_checkpoint needs a REPEATABLE READ transaction'
            USING ERRCODE = 'invalid_transaction_state';
    END IF;
    SELECT coalesce(jsonb_object_agg(chain, jsonb_build_array(seq, encode(hash, 'hex'))), '{}'::jsonb),
           count(*)::integer, coalesce(sum(seq), 0)::bigint
      INTO v_heads, v_chains, v_events
      FROM audit_chain_heads WHERE seq > 0;
    SELECT max(id) INTO v_prev FROM audit_checkpoints WHERE signature IS NOT NULL;
    IF v_chains <> p_chains OR v_events <> p_events OR v_prev IS DISTINCT FROM p_prev_id THEN
        RAISE EXCEPTION 'the audit log moved while the checkpoint was signed; retry'
            USING ERRCODE = 'serialization_failure';
    END IF;
    BEGIN
        INSERT INTO audit_checkpoints (at, chains, events, heads, prev_id, prev_digest, key_id, signature)
        VALUES (now(), v_chains, v_events, v_heads, v_prev, p_prev_digest, p_key_id, p_signature)
        RETURNING id INTO v_id;
    EXCEPTION WHEN unique_violation THEN
        -- Another checkpoint followed the same predecessor first: sign again on a fresh snapshot.
        RAISE EXCEPTION 'another audit checkpoint was recorded at the same time; retry'
            USING ERRCODE = 'serialization_failure';
    END;
    RETURN v_id;
END
$$;

REVOKE ALL ON FUNCTION audit_record_checkpoint(bigint, bytea, bigint, bigint, text, bytea) FROM PUBLIC;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'budget_app') THEN
        REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_checkpoints FROM budget_app;
        GRANT SELECT ON audit_checkpoints TO budget_app;
        GRANT EXECUTE ON FUNCTION audit_record_checkpoint(bigint, bytea, bigint, bigint, text, bytea) TO budget_app;
    END IF;
END
$$;
