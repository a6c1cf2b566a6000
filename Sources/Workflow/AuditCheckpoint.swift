import Foundation

/// A checkpoint of the audit log (审计检查点), in its pure form: every chain head at one moment,
/// linked to the previous signed checkpoint so that checkpoints form a chain of their own.
///
/// The server signs ``canonicalBytes`` with its Ed25519 audit key; `budgetctl audit verify`
/// rebuilds the bytes from the stored row and checks the signature with the public key.
public struct AuditCheckpoint: Sendable, Hashable {
    /// One chain's head: the last sequence number and that event's hash.
    public struct Head: Sendable, Hashable {
        public var chain: String
        public var seq: Int64
        public var hash: [UInt8]

        public init(chain: String, seq: Int64, hash: [UInt8]) {
            self.chain = chain
            self.seq = seq
            self.hash = hash
        }
    }

    /// The previous signed checkpoint: its row id and ``digest``.
    public struct Link: Sendable, Hashable {
        public var id: Int64
        public var digest: [UInt8]

        public init(id: Int64, digest: [UInt8]) {
            self.id = id
            self.digest = digest
        }
    }

    /// Database time in microseconds since the Unix epoch, UTC.
    public var at: Int64
    /// Nil for the first signed checkpoint.
    public var previous: Link?
    /// Every chain head; order does not matter (the bytes sort them).
    public var heads: [Head]

    public init(at: Int64, previous: Link?, heads: [Head]) {
        self.at = at
        self.previous = previous
        self.heads = heads
    }

    /// The magic and format version that start every checkpoint serialization.
    public static let canonicalHeader: [UInt8] = Array("BCKP1".utf8)

    /// The exact bytes signed. Format `BCKP1`, with the primitives of `AuditRecord.canonicalBytes`:
    ///
    ///     "BCKP1"                5 bytes, ASCII
    ///     at                     int
    ///     previous               optional(int id, then bytes digest)
    ///     heads                  count as u64, then each chain (string), seq (int), hash (bytes),
    ///                            sorted by the chain's UTF-8 bytes
    public var canonicalBytes: [UInt8] {
        var out = CanonicalWriter()
        out.raw(Self.canonicalHeader)
        out.int(at)
        out.optional(previous) { out, link in
            out.int(link.id)
            out.bytes(link.digest)
        }
        let sorted = heads.sorted { $0.chain.utf8.lexicographicallyPrecedes($1.chain.utf8) }
        out.length(sorted.count)
        for head in sorted {
            out.string(head.chain)
            out.int(head.seq)
            out.bytes(head.hash)
        }
        return out.buffer
    }

    /// The number of events the heads account for (each chain's sequence starts at 1).
    public var events: Int64 { heads.reduce(0) { $0 + $1.seq } }
}
