import Logging
import Persistence
import ServiceLifecycle

/// Signs and records every audit chain head periodically (see `AuditLog`), so that a later change
/// to the log below those heads is detected by `budgetctl audit verify`; skipped while nothing new
/// was logged. Several server instances
/// may each do it: a checkpoint that races another one is signed again on a fresh snapshot.
struct AuditCheckpointService: Service {
    let admin: AdminService
    let key: AuditSigningKey
    let interval: Duration
    let logger: Logger

    func run() async throws {
        logger.info("audit checkpoints are signed", metadata: ["key_id": "\(key.publicKey.id)"])
        while !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return  // shutting down
            }
            do {
                if let id = try await admin.checkpointAuditIfChanged(signedWith: key) {
                    logger.debug("audit checkpoint recorded", metadata: ["checkpoint": "\(id)"])
                }
            } catch {
                logger.warning("audit checkpoint failed; will retry", metadata: ["error": "\(error)"])
            }
        }
    }
}
