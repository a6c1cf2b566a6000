import Logging
import Persistence
import ServiceLifecycle

/// Records every audit chain head periodically, so a truncated chain is detectable later
/// (see `AuditLog`). Several server instances may each do it: checkpoints are independent.
struct AuditCheckpointService: Service {
    let admin: AdminService
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return  // shutting down
            }
            do {
                let id = try await admin.checkpointAudit()
                logger.debug("audit checkpoint recorded", metadata: ["checkpoint": "\(id)"])
            } catch {
                logger.warning("audit checkpoint failed; will retry", metadata: ["error": "\(error)"])
            }
        }
    }
}
