import Foundation

/// The outcome of recomputing the audit chains and checking every checkpoint.
public struct AuditVerification: Sendable, Hashable, Codable {
    /// What `verify` checks besides the chains.
    public struct Options: Sendable {
        /// The public keys signed events and checkpoints are checked with (by key id). Empty: none
        /// at hand, which is an error once a signed event or checkpoint is met.
        public var keys: [AuditPublicKey]
        /// Fail on any unsigned checkpoint, and when no checkpoint is signed at all.
        public var requireSigned: Bool
        /// A checkpoint the auditor noted earlier (id and digest): it must still be there, unchanged,
        /// which catches checkpoints deleted from the end of their chain.
        public var expected: (id: Int64, digest: [UInt8])?

        public init(keys: [AuditPublicKey] = [], requireSigned: Bool = false, expected: (id: Int64, digest: [UInt8])? = nil) {
            self.keys = keys
            self.requireSigned = requireSigned
            self.expected = expected
        }
    }

    public struct Problem: Sendable, Hashable, Codable {
        /// The first event that does not match (nil when the problem is a head or checkpoint).
        public var eventID: Int64?
        /// The chain concerned; empty when the problem is a checkpoint as a whole.
        public var chain: String
        public var seq: Int64?
        /// The checkpoint concerned, if any.
        public var checkpointID: Int64?
        public var reason: String

        public init(eventID: Int64? = nil, chain: String, seq: Int64? = nil, checkpointID: Int64? = nil, reason: String) {
            self.eventID = eventID
            self.chain = chain
            self.seq = seq
            self.checkpointID = checkpointID
            self.reason = reason
        }

        enum CodingKeys: String, CodingKey {
            case chain, seq, reason
            case eventID = "event_id"
            case checkpointID = "checkpoint_id"
        }
    }

    /// The newest signed checkpoint: what an auditor notes to pass later as `--expect-checkpoint`.
    public struct SignedCheckpoint: Sendable, Hashable, Codable {
        public var id: Int64
        public var digest: String
        package var at: Timestamp
        public var keyID: String

        enum CodingKeys: String, CodingKey {
            case id, digest, at
            case keyID = "key_id"
        }
    }

    public var events: Int
    public var chains: Int
    public var checkpoints: Int = 0
    public var signedCheckpoints: Int = 0
    /// Recorded before checkpoints were signed; checked against the events, but vouched for by nobody.
    public var unsignedCheckpoints: Int = 0
    public var latestSigned: SignedCheckpoint?
    /// Events after the newest signed checkpoint: their own signatures vouch for them, but a
    /// deleted tail among them is caught only by a later checkpoint.
    public var eventsAfterLatestSigned: Int = 0
    /// Events written before events were signed (at or below `audit_unsigned_heads`).
    public var legacyUnsignedEvents: Int = 0
    public var problem: Problem?
    public var ok: Bool { problem == nil }
}
