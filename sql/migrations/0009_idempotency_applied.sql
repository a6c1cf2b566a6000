-- When the change a claimed Idempotency-Key stands for committed: written in the same transaction
-- as the change (TransactionHook.beforeCommit), so a retry after a crash between the commit and
-- storing the response learns the change was applied instead of running it again. No rewrite:
-- a nullable column without a default.
ALTER TABLE idempotency_keys ADD COLUMN applied_at timestamptz;
