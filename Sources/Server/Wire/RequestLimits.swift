import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Persistence
import Workflow

/// Request size limits (SPEC §6: 413 with a clear message beyond them).
struct RequestLimits: Sendable {
    var maxBodyBytes: Int = 8 * 1024 * 1024
    var maxLineBytes: Int = 64 * 1024
    var maxBatchRecords: Int = 10_000

    var blp: BLPLimits {
        var limits = BLPLimits.standard
        limits.maxLineBytes = maxLineBytes
        limits.maxRecords = maxBatchRecords
        return limits
    }

    /// The whole body, or 413 when it is larger than allowed.
    func body(of request: Request) async throws -> [UInt8] {
        do {
            let buffer = try await request.body.collect(upTo: maxBodyBytes)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw APIError.tooLarge("the request body is larger than \(maxBodyBytes) bytes; split the batch")
        }
    }
}
