import Logging
import Persistence
import ServiceLifecycle

/// Keeps the ``TokenCache`` honest: listens on `budget_auth` and flushes the cache on every change
/// of a user or token; while the session is lost the cache is flushed and bypassed.
struct TokenCacheService: Service {
    let cache: TokenCache
    let feed: AuthChangeFeed
    let logger: Logger

    func run() async throws {
        let cache = cache
        let logger = logger
        await cancelWhenGracefulShutdown {
            await feed.run(
                listening: { cache.setListening(true) },
                changed: { cache.flush() },
                lost: { error in
                    // Said once per loss, not at every failed reconnection.
                    let level: Logger.Level = cache.isListening ? .warning : .debug
                    cache.setListening(false)
                    logger.log(level: level, "the token cache is bypassed until its change feed listens again", metadata: ["error": "\(error)"])
                })
        }
        cache.setListening(false)
    }
}
