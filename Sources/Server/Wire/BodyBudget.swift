import CMalloc
import Synchronization

/// The request-body bytes all connections together may hold in memory at once.
///
/// Each request reserves its declared `Content-Length` before its body is read (a chunked body
/// reserves as its chunks arrive); a request that does not fit is refused with 503 instead of
/// being buffered, so many slow or stalled uploads cannot grow the process without bound.
final class BodyBudget: Sendable {
    let capacity: Int
    private let used = Mutex<Int>(0)
    /// The most held since the budget was last empty.
    private let highWater = Mutex<Int>(0)

    init(capacity: Int) { self.capacity = capacity }

    /// Bytes reserved right now, across all requests.
    var inUse: Int { used.withLock { $0 } }

    /// Takes `bytes` when that many are left; false (and nothing taken) otherwise.
    func reserve(_ bytes: Int) -> Bool {
        used.withLock { used in
            guard bytes <= capacity - used else { return false }
            used += bytes
            let now = used
            highWater.withLock { $0 = max($0, now) }
            return true
        }
    }

    func release(_ bytes: Int) {
        let empty = used.withLock { used in
            used = max(0, used - bytes)
            return used == 0
        }
        guard empty else { return }
        let held = highWater.withLock { held in
            defer { held = 0 }
            return held
        }
        // Many uploads at once leave the allocator's per-thread heaps full of free pages that
        // glibc keeps; once the last body is gone, hand them back.
        if held >= Self.trimAfter {
            Task.detached(priority: .background) { _ = malloc_trim(0) }
        }
    }

    static let trimAfter = 16 * 1024 * 1024
}

/// The part of the budget one request holds; returned once, when the request is done.
final class BodyReservation: Sendable {
    private let budget: BodyBudget
    private let held = Mutex<Int>(0)

    init(budget: BodyBudget) { self.budget = budget }

    var bytes: Int { held.withLock { $0 } }

    /// Holds `total` bytes in all (takes only the difference); false when the budget is short.
    func grow(to total: Int) -> Bool {
        held.withLock { held in
            guard total > held else { return true }
            guard budget.reserve(total - held) else { return false }
            held = total
            return true
        }
    }

    func releaseAll() {
        let bytes = held.withLock { held in
            defer { held = 0 }
            return held
        }
        budget.release(bytes)
    }
}
