/// Work that must commit together with whatever the current task changes.
///
/// Set with `TransactionHook.$beforeCommit.withValue(…)`: every read-write
/// `ConnectionPool.transaction` of the task (and its child tasks) runs it last, inside the
/// transaction, so it commits or rolls back with the change. The Idempotency-Key record uses it to
/// say "applied" atomically with what was applied.
package enum TransactionHook {
    @TaskLocal package static var beforeCommit: (@Sendable (PostgresConnection) throws -> Void)?
}
