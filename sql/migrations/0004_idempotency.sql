-- Idempotency-Key support for POST batches and actions: the first response is stored and a retry
-- with the same key (and the same body) gets it back instead of applying twice.

CREATE TABLE idempotency_keys (
    actor        text NOT NULL,
    key          text NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    method       text NOT NULL,
    path         text NOT NULL,
    body_hash    bytea NOT NULL CHECK (length(body_hash) = 32),
    status       integer,            -- NULL while the first request is still running
    content_type text,
    response     bytea,
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (actor, key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'budget_app') THEN
        GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency_keys TO budget_app;
    END IF;
END
$$;
