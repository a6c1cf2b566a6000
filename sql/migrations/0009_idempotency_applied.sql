-- Idempotency-Key records made safe against crashes and slow first requests:
--   applied_at  when the change the key stands for committed, written in the same transaction as
--               the change (TransactionHook.beforeCommit): a retry after a crash between that
--               commit and storing the answer learns it was applied instead of running it again;
--   claim       the run that holds the key: a retry that takes over a stale claim gets a new one,
--               and the superseded run can then neither mark the key applied (its change rolls
--               back) nor store its answer;
--   headers     the answer's headers besides Content-Type (ETag, Retry-After …), one
--               "Name: value" a line, so a replay is the whole first answer.
-- Nullable columns without defaults: no table rewrite.
ALTER TABLE idempotency_keys ADD COLUMN applied_at timestamptz,
                             ADD COLUMN claim uuid,
                             ADD COLUMN headers text;
