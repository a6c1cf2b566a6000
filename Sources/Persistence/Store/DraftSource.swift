import Foundation
import Workflow

/// The drafts of one batch, handed over a few hundred at a time as they are decoded, so that
/// checking and formatting the next ones overlaps with PostgreSQL storing the previous ones.
///
/// A source runs on the batch's worker thread while the transaction holds a connection, so it
/// runs only Workflow code: drafts already decoded, or a body decoded by Workflow's BLP decoder.
public struct DraftSource: Sendable {
    /// Calls `send` with the batch's drafts in order, and stops early when `send` returns false
    /// (the batch was abandoned). An error it throws is the batch's decoding failure: it is
    /// reported instead of validation errors, and nothing is stored.
    public typealias Produce = @Sendable (_ send: (_ inputs: [DraftLine]) -> Bool) throws -> Void

    let produce: Produce

    /// A source of pure decoding code (Workflow's decoders, a test's list); never a caller's
    /// own error types, which would then cross into the transaction.
    public init(_ produce: @escaping Produce) {
        self.produce = produce
    }

    /// Drafts already decoded (JSON bodies, the CLI), handed over in pieces of `piece`.
    public static func drafts(_ inputs: [DraftLine], piece: Int = EntryService.bulkPiece) -> DraftSource {
        DraftSource { send in
            var start = 0
            while start < inputs.count {
                let end = min(start + piece, inputs.count)
                guard send(Array(inputs[start..<end])) else { return }
                start = end
            }
        }
    }

    /// A BLP entries body of `unit`'s `year`, decoded on the worker while earlier drafts are
    /// stored. Its decoding failure is `BLPBatchTooLarge` (a broken limit) or `WorkflowError`.
    public static func blp(_ body: [UInt8], unit: String, year: Int, limits: BLPLimits, piece: Int = EntryService.bulkPiece) -> DraftSource {
        DraftSource { send in
            try BLPEntryMapping.streamEntries(body, unit: unit, year: year, limits: limits, piece: piece, send: send)
        }
    }
}

/// Hands the prepared pieces of a batch from the thread that decodes and checks them to the
/// thread that holds the connection, and stops the producer when the consumer gives up.
final class PieceHandOff<Piece: Sendable, Outcome: Sendable>: @unchecked Sendable {
    // Everything below is guarded by `condition`.
    private let condition = NSCondition()
    private var pieces: [Piece] = []
    private var outcome: Result<Outcome, any Error>?
    private var abandoned = false

    /// Producer: queues a piece; false when the consumer gave up, so the producer should stop.
    func put(_ piece: Piece) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        guard !abandoned else { return false }
        pieces.append(piece)
        condition.signal()
        return true
    }

    /// Producer: no more pieces; `outcome` is what the whole batch came to.
    func finish(_ outcome: Result<Outcome, any Error>) {
        condition.lock()
        self.outcome = outcome
        condition.broadcast()
        condition.unlock()
    }

    /// What the consumer gets next.
    enum Next {
        /// Every piece queued since the last call, in order (at least one).
        case pieces([Piece])
        /// Every piece was taken; the producer's outcome.
        case end(Result<Outcome, any Error>)
    }

    /// Consumer: all pieces queued so far, waiting for one, or the batch's outcome once every
    /// piece was taken. Taking everything at once lets the consumer's rounds grow while it is
    /// slower than the producer: the first is small, so storing starts early, later ones are large.
    func takeAll() -> Next {
        condition.lock()
        defer { condition.unlock() }
        while pieces.isEmpty && outcome == nil { condition.wait() }
        if !pieces.isEmpty {
            defer { pieces.removeAll() }
            return .pieces(pieces)
        }
        return .end(outcome!)
    }

    /// Consumer: gives up, and waits until the producer has stopped, so it never outlives the batch.
    func abandonAndWait() {
        condition.lock()
        abandoned = true
        pieces.removeAll()
        while outcome == nil { condition.wait() }
        condition.unlock()
    }
}
