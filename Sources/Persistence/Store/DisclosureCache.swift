import Disclosure
import Synchronization
import Workflow

/// A computed public disclosure with its renderings, each made once: concurrent requests for a
/// format not yet rendered await the one rendering task instead of each making their own, and
/// nobody holds a lock while a large disclosure renders.
public final class PublicDisclosure: Sendable {
    /// The disclosure.
    public let disclosure: Disclosure
    private let renderings = Mutex<[String: Task<[UInt8], any Error>]>([:])

    init(_ disclosure: Disclosure) {
        self.disclosure = disclosure
    }

    /// The rendering named `format` (e.g. `"json"`, `"csv:procurement"`), made by `render` the
    /// first time (a failed rendering is tried again by the next request).
    public func rendering(_ format: String, _ render: @escaping @Sendable (Disclosure) throws -> [UInt8]) async throws -> [UInt8] {
        let disclosure = disclosure
        let task = renderings.withLock { renderings in
            if let task = renderings[format] { return task }
            let task = Task { try render(disclosure) }
            renderings[format] = task
            return task
        }
        do {
            return try await task.value
        } catch {
            renderings.withLock { renderings in
                if renderings[format] == task { renderings[format] = nil }
            }
            throw error
        }
    }
}

/// Disclosures already computed, by department-year, each kept with the ``DisclosureService/Fingerprint``
/// of the data it was computed from. A caller compares that with the database's current one before
/// serving it, so a publication (or new disclosure inputs, or a new unit) through any server
/// instance on the same database makes every instance compute the disclosure afresh.
///
/// Concurrent misses coalesce: callers that saw the same fingerprint share one computation (it
/// started after they looked, so its snapshot is at least as new as what each of them saw), and a
/// burst of public requests right after a publication costs the database one computation.
final class DisclosureCache: Sendable {
    struct Key: Hashable {
        var department: String
        var year: Int
    }

    private struct Slot {
        var fingerprint: DisclosureService.Fingerprint
        var disclosure: PublicDisclosure
        var lastUsed: UInt64
    }

    private struct Flight: Hashable {
        var key: Key
        var fingerprint: DisclosureService.Fingerprint
    }

    private struct State {
        var slots: [Key: Slot] = [:]
        var clock: UInt64 = 0
        var inFlight: [Flight: Task<PublicDisclosure, any Error>] = [:]
        var computations = 0
        var joined = 0
    }

    private let capacity: Int
    private let state = Mutex(State())

    /// A cache of at most `capacity` department-years (the least recently used goes first); 0 keeps nothing.
    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    /// The cached disclosure of `key` and the fingerprint it was computed at, if any.
    func lookup(_ key: Key) -> (fingerprint: DisclosureService.Fingerprint, disclosure: PublicDisclosure)? {
        state.withLock { state in
            guard var slot = state.slots[key] else { return nil }
            state.clock += 1
            slot.lastUsed = state.clock
            state.slots[key] = slot
            return (slot.fingerprint, slot.disclosure)
        }
    }

    func store(_ key: Key, fingerprint: DisclosureService.Fingerprint, disclosure: PublicDisclosure) {
        guard capacity > 0 else { return }
        state.withLock { state in
            state.clock += 1
            if state.slots[key] == nil, state.slots.count >= capacity,
               let oldest = state.slots.min(by: { $0.value.lastUsed < $1.value.lastUsed })?.key {
                state.slots[oldest] = nil
            }
            state.slots[key] = Slot(fingerprint: fingerprint, disclosure: disclosure, lastUsed: state.clock)
        }
    }

    /// The disclosure of `key` computed by `compute` (which stores it), or by a computation already
    /// running for a caller that saw the same `fingerprint`.
    func coalesced(
        _ key: Key, seen fingerprint: DisclosureService.Fingerprint,
        compute: @escaping @Sendable () async throws -> PublicDisclosure
    ) async throws -> PublicDisclosure {
        let flight = Flight(key: key, fingerprint: fingerprint)
        let task = state.withLock { state in
            if let running = state.inFlight[flight] {
                state.joined += 1
                return running
            }
            state.computations += 1
            // Inserted under the lock before the task can take the lock to remove itself.
            let task = Task {
                defer { _ = self.state.withLock { $0.inFlight.removeValue(forKey: flight) } }
                return try await compute()
            }
            state.inFlight[flight] = task
            return task
        }
        return try await task.value
    }

    /// How many computations were started, and how many callers joined one already running.
    var counts: (computations: Int, joined: Int) { state.withLock { ($0.computations, $0.joined) } }
}
