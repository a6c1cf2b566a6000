import Foundation

extension EntryService {
    /// This service for one claimed Idempotency-Key request: each of its read-write transactions
    /// also marks the key applied, last before COMMIT, so the change and the mark commit together.
    /// Only transactions made through the returned value do; any other, even in the same task,
    /// leaves the key alone.
    public func applying(_ claim: IdempotencyStore.Claim) -> EntryService {
        var claimed = self
        claimed.claim = claim
        return claimed
    }

    /// A read-write transaction of this service (read-only ones use `pool.transaction(readOnly:)`).
    func transaction<T: Sendable>(
        isolation: IsolationLevel = .readCommitted, _ body: @escaping @Sendable (PostgresConnection) throws -> T
    ) async throws -> T {
        try await IdempotencyStore.transaction(on: pool, marking: claim, isolation: isolation, body)
    }
}
