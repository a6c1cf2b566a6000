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
    /// Request-body bytes all connections together may buffer at once (see `BodyBudget`).
    var maxBufferedBodyBytes: Int = 64 * 1024 * 1024
    /// The time a whole request body may take to arrive.
    var bodyReadTimeout: Duration = .seconds(60)

    var blp: BLPLimits {
        var limits = BLPLimits.standard
        limits.maxLineBytes = maxLineBytes
        limits.maxRecords = maxBatchRecords
        return limits
    }

    /// The whole body, or 413 when it is larger than allowed.
    ///
    /// A declared length is allocated once, exactly: growing by doubling would hold up to twice
    /// the bytes the body budget counts.
    func body(of request: Request) async throws -> [UInt8] {
        let declared = request.headers[.contentLength].flatMap { Int($0) }.map { min(max($0, 0), maxBodyBytes) }
        var collected = ByteBufferAllocator().buffer(capacity: declared ?? 0)
        for try await chunk in request.body {
            guard collected.readableBytes + chunk.readableBytes <= maxBodyBytes else {
                throw APIError.tooLarge("the request body is larger than \(maxBodyBytes) bytes; split the batch").closingConnection()
            }
            collected.writeImmutableBuffer(chunk)
        }
        return Array(collected.readableBytesView)
    }
}
