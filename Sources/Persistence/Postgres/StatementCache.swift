/// Which statements of one connection are prepared in the server, by SQL text.
///
/// A text is prepared the second time it runs, so statements built fresh for each call (long
/// IN-lists, generated filters) never fill the cache. At most `capacity` stay prepared; the
/// least recently used is dropped (`DEALLOCATE`d when the session is between transactions).
struct StatementCache {
    enum Plan: Equatable {
        /// Run unnamed (`PQexecParams`): first sight of this text.
        case unnamed
        /// Prepare under this name now, then run it.
        case prepare(String)
        /// Already prepared under this name.
        case prepared(String)
    }

    private struct Entry {
        let name: String
        var lastUse: UInt64
    }

    let capacity: Int
    private var entries: [String: Entry] = [:]
    private var seenOnce: Set<String> = []
    private var clock: UInt64 = 0
    private var nextName = 0
    /// Names evicted or failed whose server-side statement should still be deallocated.
    private(set) var toDeallocate: [String] = []

    init(capacity: Int = 256) { self.capacity = max(1, capacity) }

    var count: Int { entries.count }

    mutating func plan(for text: String) -> Plan {
        clock += 1
        if var entry = entries[text] {
            entry.lastUse = clock
            entries[text] = entry
            return .prepared(entry.name)
        }
        guard seenOnce.remove(text) != nil else {
            if seenOnce.count >= capacity * 4 { seenOnce.removeAll(keepingCapacity: true) }
            seenOnce.insert(text)
            return .unnamed
        }
        if entries.count >= capacity, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            entries[oldest.key] = nil
            toDeallocate.append(oldest.value.name)
        }
        nextName += 1
        let name = "budget_s\(nextName)"
        entries[text] = Entry(name: name, lastUse: clock)
        return .prepare(name)
    }

    /// The server no longer has (or should no longer use) the statement for `text`.
    /// `prepared`: it exists in the server and must be deallocated.
    mutating func forget(_ text: String, prepared: Bool) {
        guard let entry = entries.removeValue(forKey: text) else { return }
        if prepared { toDeallocate.append(entry.name) }
    }

    mutating func deallocated() { toDeallocate.removeAll() }
}
