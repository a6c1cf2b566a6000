import Foundation

/// One event of the append-only, hash-chained audit log (审计日志), in its pure form.
///
/// Persistence assigns ``chain`` and ``seq``, stores the record and its hash
/// `SHA-256(canonicalBytes(previousHash:))`; `budgetctl audit verify` recomputes the hashes.
/// Events are chained per ``chain`` (e.g. one chain per unit-year) so that writers to different
/// chains never wait for one global lock.
public struct AuditRecord: Sendable, Hashable, Codable {
    /// The chain the event belongs to, e.g. `"unit:201002:2020"`.
    public var chain: String
    /// Position in the chain, from 1, without gaps.
    public var seq: Int64
    /// Server time in microseconds since the Unix epoch, UTC.
    public var at: Int64
    /// The acting user's name.
    public var actor: String
    /// The acting user's role (``Role`` raw value), as it was at the time.
    public var role: String
    /// `"api"` or `"cli"`.
    public var channel: String
    /// What happened, e.g. `"create"`, `"edit"`, `"submit"`, `"waive"`, `"control_set"`.
    public var action: String
    /// The entry concerned, if any.
    public var entryID: UUID?
    /// The entry's revision, if any.
    public var revision: Int?
    /// ``EntryState`` raw value before, for transitions.
    public var fromState: String?
    /// ``EntryState`` raw value after, for transitions.
    public var toState: String?
    /// The actor's reason, if given.
    public var reason: String?
    /// What changed: field → new value as text.
    public var changes: [String: String]

    /// A record; the optional fields default to absent and `changes` to none.
    public init(
        chain: String, seq: Int64, at: Int64, actor: String, role: String, channel: String, action: String,
        entryID: UUID? = nil, revision: Int? = nil, fromState: String? = nil, toState: String? = nil,
        reason: String? = nil, changes: [String: String] = [:]
    ) {
        self.chain = chain
        self.seq = seq
        self.at = at
        self.actor = actor
        self.role = role
        self.channel = channel
        self.action = action
        self.entryID = entryID
        self.revision = revision
        self.fromState = fromState
        self.toState = toState
        self.reason = reason
        self.changes = changes
    }

    enum CodingKeys: String, CodingKey {
        case chain, seq, at, actor, role, channel, action, revision, reason, changes
        case entryID = "entry_id"
        case fromState = "from_state"
        case toState = "to_state"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(chain, forKey: .chain)
        try container.encode(seq, forKey: .seq)
        try container.encode(at, forKey: .at)
        try container.encode(actor, forKey: .actor)
        try container.encode(role, forKey: .role)
        try container.encode(channel, forKey: .channel)
        try container.encode(action, forKey: .action)
        try container.encode(entryID?.uuidString.lowercased(), forKey: .entryID)  // lowercase, as stored
        try container.encode(revision, forKey: .revision)
        try container.encode(fromState, forKey: .fromState)
        try container.encode(toState, forKey: .toState)
        try container.encode(reason, forKey: .reason)
        try container.encode(changes, forKey: .changes)
    }
}
