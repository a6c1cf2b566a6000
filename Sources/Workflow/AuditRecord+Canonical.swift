import Foundation

extension AuditRecord {
    /// The magic and format version that start every canonical serialization.
    public static let canonicalHeader: [UInt8] = Array("BAUD1".utf8)

    /// The exact bytes hashed for this event, given the previous event's hash (empty for the
    /// first event of a chain). Deterministic on every machine; format `BAUD1`:
    ///
    ///     "BAUD1"                           5 bytes, ASCII
    ///     previousHash                      bytes
    ///     chain                             string
    ///     seq, at                           int
    ///     actor, role, channel, action      string
    ///     entryID                           optional(16 raw UUID bytes, RFC 4122 order)
    ///     revision                          optional(int)
    ///     fromState, toState, reason        optional(string)
    ///     changes                           count as u64, then each key and value as string,
    ///                                       sorted by the key's UTF-8 bytes
    ///
    ///     u64       8 bytes, big-endian
    ///     int       8 bytes, big-endian two's complement
    ///     bytes     u64 length, then the bytes
    ///     string    its UTF-8 bytes as stored (no Unicode normalization), as `bytes`
    ///     optional  0x00 when absent; 0x01 then the value (so nil ≠ empty string)
    ///
    /// Every variable-length field is length-prefixed, so no two different records serialize
    /// to the same bytes.
    public func canonicalBytes(previousHash: [UInt8]) -> [UInt8] {
        canonicalBytes(previousHash: previousHash, sortedChanges: changes.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) })
    }

    /// The same bytes, with `sortedChanges` standing in for ``changes``: the pairs already sorted
    /// by the key's UTF-8 bytes, keys unique. A bulk import builds its summaries in that order and
    /// skips building and sorting a dictionary per event.
    public func canonicalBytes(previousHash: [UInt8], sortedChanges: [(key: String, value: String)]) -> [UInt8] {
        var out = CanonicalWriter()
        out.raw(Self.canonicalHeader)
        out.bytes(previousHash)
        out.string(chain)
        out.int(seq)
        out.int(at)
        out.string(actor)
        out.string(role)
        out.string(channel)
        out.string(action)
        out.optional(entryID) { out, id in
            let u = id.uuid
            out.raw([u.0, u.1, u.2, u.3, u.4, u.5, u.6, u.7, u.8, u.9, u.10, u.11, u.12, u.13, u.14, u.15])
        }
        out.optional(revision) { out, revision in out.int(Int64(revision)) }
        out.optional(fromState) { out, state in out.string(state) }
        out.optional(toState) { out, state in out.string(state) }
        out.optional(reason) { out, reason in out.string(reason) }
        out.length(sortedChanges.count)
        for (key, value) in sortedChanges {
            out.string(key)
            out.string(value)
        }
        return out.buffer
    }
}

/// Appends the primitive encodings of the canonical audit format.
struct CanonicalWriter {
    var buffer: [UInt8] = []

    init() {
        // Most events fit; a bulk import hashes one per entry.
        buffer.reserveCapacity(512)
    }

    mutating func raw(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
    }

    mutating func length(_ count: Int) {
        u64(UInt64(count))
    }

    mutating func int(_ value: Int64) {
        u64(UInt64(bitPattern: value))
    }

    mutating func bytes(_ value: [UInt8]) {
        length(value.count)
        raw(value)
    }

    mutating func string(_ value: String) {
        length(value.utf8.count)
        buffer.append(contentsOf: value.utf8)
    }

    mutating func optional<T>(_ value: T?, _ write: (inout CanonicalWriter, T) -> Void) {
        guard let value else {
            buffer.append(0x00)
            return
        }
        buffer.append(0x01)
        write(&self, value)
    }

    /// 8 bytes, big-endian.
    private mutating func u64(_ value: UInt64) {
        withUnsafeBytes(of: value.bigEndian) { buffer.append(contentsOf: $0) }
    }
}
