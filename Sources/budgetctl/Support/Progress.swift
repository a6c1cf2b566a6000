#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// One self-overwriting status line on stderr for long operations, shown only when stderr is a
/// terminal; piped or redirected output stays quiet.
final class ProgressLine: Sendable {
    private struct State {
        var lastDraw: ContinuousClock.Instant?
        var drawn = false
    }

    let enabled: Bool
    private let state = Mutex(State())

    init(enabled: Bool = isatty(STDERR_FILENO) == 1) { self.enabled = enabled }

    /// Redraws the line, at most ten times a second unless `force`.
    func update(_ text: String, force: Bool = false) {
        guard enabled else { return }
        let now = ContinuousClock.now
        let draw = state.withLock { s -> Bool in
            if !force, let last = s.lastDraw, now - last < .milliseconds(100) { return false }
            s.lastDraw = now
            s.drawn = true
            return true
        }
        if draw { write("\r\u{1B}[K" + text) }
    }

    /// Clears the line.
    func finish() {
        guard enabled else { return }
        let drawn = state.withLock { s in
            defer { s.drawn = false }
            return s.drawn
        }
        if drawn { write("\r\u{1B}[K") }
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Shows `label` with the elapsed seconds while `body` runs (for work that reports no progress of its own).
    static func ticking<T>(_ label: String, _ body: () async throws -> T) async throws -> T {
        let line = ProgressLine()
        guard line.enabled else { return try await body() }
        let start = ContinuousClock.now
        let ticker = Task {
            while !Task.isCancelled {
                let elapsed = ContinuousClock.now - start
                line.update("\(label) \(elapsed.components.seconds)s", force: true)
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
        func stop() async {
            ticker.cancel()
            await ticker.value
            line.finish()
        }
        do {
            let result = try await body()
            await stop()
            return result
        } catch {
            await stop()
            throw error
        }
    }
}
