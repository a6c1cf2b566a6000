import Foundation
import Persistence
import Synchronization

/// Authenticated bearer tokens, so a request need not ask the database who is calling.
///
/// Trusted only while the `budget_auth` feed is listening (``TokenCacheService``): every change
/// of a user or token flushes it, and so does losing the feed, after which it is bypassed until
/// LISTEN holds again. An entry lives at most `lifetime` (a safety net) and never past its
/// token's expiry.
final class TokenCache: Sendable {
    let capacity: Int
    let lifetime: Duration

    private struct Entry {
        var caller: Caller
        var until: ContinuousClock.Instant
    }

    private struct State {
        var entries: [TokenDigest: Entry] = [:]
        var listening = false
        /// Bumped by every flush: an answer read before it is not stored after it.
        var generation: UInt64 = 0
    }

    private let state = Mutex(State())

    init(capacity: Int = 10_000, lifetime: Duration = .seconds(60)) {
        self.capacity = capacity
        self.lifetime = lifetime
    }

    /// What a lookup found: the caller, or the generation to store the database's answer under.
    enum Lookup: Equatable {
        case hit(Caller)
        case miss(generation: UInt64?)
    }

    func lookup(_ digest: TokenDigest, now: ContinuousClock.Instant = .now) -> Lookup {
        state.withLock { state in
            guard state.listening else { return .miss(generation: nil) }
            if let entry = state.entries[digest] {
                if entry.until > now { return .hit(entry.caller) }
                state.entries[digest] = nil
            }
            return .miss(generation: state.generation)
        }
    }

    /// Keeps an answer read at `generation`, unless a flush came in between. `asked` is when the
    /// database was asked: `expiresIn` counts from then, not from when the answer arrived.
    func store(
        _ caller: Caller, for digest: TokenDigest, expiresIn: Duration?, generation: UInt64,
        asked: ContinuousClock.Instant = .now, now: ContinuousClock.Instant = .now
    ) {
        let until = asked + min(lifetime, expiresIn ?? lifetime)
        state.withLock { state in
            guard state.listening, state.generation == generation, until > now else { return }
            if state.entries.count >= capacity {
                state.entries = state.entries.filter { $0.value.until > now }
                if state.entries.count >= capacity, let any = state.entries.keys.first { state.entries[any] = nil }
            }
            state.entries[digest] = Entry(caller: caller, until: until)
        }
    }

    /// A user or token changed somewhere: forget everything.
    func flush() {
        state.withLock { state in
            state.entries = [:]
            state.generation &+= 1
        }
    }

    /// Whether the feed is listening; false flushes and bypasses the cache.
    func setListening(_ listening: Bool) {
        state.withLock { state in
            state.entries = [:]
            state.generation &+= 1
            state.listening = listening
        }
    }

    var isListening: Bool { state.withLock { $0.listening } }
    var count: Int { state.withLock { $0.entries.count } }
}
