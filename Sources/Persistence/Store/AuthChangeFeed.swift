import Foundation
import Logging
import NIOPosix

/// Changes of users and bearer tokens as PostgreSQL tells them on the `budget_auth` channel.
///
/// The triggers of migration 0013 notify on every change of `users` and `api_tokens`, in the
/// changing transaction, whoever makes it (another server, budgetctl, psql), so a cache of
/// authenticated tokens can be flushed the moment a revocation commits.
public struct AuthChangeFeed: Sendable {
    public static let channel = "budget_auth"
    let configuration: ConnectionPool.Configuration
    let logger: Logger

    package init(configuration: ConnectionPool.Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Listens until the task is cancelled. `listening` is called each time LISTEN holds (changes
    /// made while it did not were missed), `changed` for each notification, `lost` when the
    /// session is lost; then it connects again after `retryAfter`.
    public func run(
        retryAfter: Duration = .seconds(1),
        listening: @escaping @Sendable () -> Void, changed: @escaping @Sendable () -> Void,
        lost: @escaping @Sendable (any Error) -> Void
    ) async {
        // Its own thread: the session blocks in poll(2) between notifications.
        let thread = NIOThreadPool(numberOfThreads: 1)
        thread.start()
        defer { thread.shutdownGracefully { _ in } }
        let configuration = configuration
        let logger = logger
        while !Task.isCancelled {
            do {
                let session = try await thread.runIfActive {
                    let session = try PostgresConnection(
                        connectionString: configuration.connectionString, applicationName: configuration.applicationName + "-listen",
                        logger: logger)
                    try session.execute(unsafeSQL: "LISTEN \(Self.channel)")
                    return session
                }
                listening()
                while !Task.isCancelled {
                    let received = try await thread.runIfActive { try session.notifications(waitingUpTo: .milliseconds(250)) }
                    if received.contains(where: { $0.channel == Self.channel }) { changed() }
                }
            } catch {
                if Task.isCancelled { return }
                lost(error)
                try? await Task.sleep(for: retryAfter)
            }
        }
    }

}
