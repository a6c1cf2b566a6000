/// A BLP batch that broke a size limit (a line too long, too many records): refused as too
/// large, unlike a bad line, which is invalid input.
public struct BLPBatchTooLarge: Error, Sendable, Hashable {
    /// The first limit the batch broke.
    public var error: BLPError
}

extension BLPEntryMapping {
    /// The verdict on a decoded entries batch of `entries` drafts: ``BLPBatchTooLarge`` when it
    /// broke a limit, `invalidInput` listing every bad line, or when it holds no entry at all.
    public static func checkBatch(_ decoded: Decoded, entries: Int) throws {
        if let limit = decoded.errors.first(where: { $0.code == .lineTooLong || $0.code == .tooManyRecords }) {
            throw BLPBatchTooLarge(error: limit)
        }
        guard decoded.isValid else {
            throw WorkflowError.invalidInput(
                "the batch has \(decoded.errors.count) bad line(s); nothing was stored",
                details: decoded.errors.map { ErrorDetail(line: $0.line, field: $0.field, message: $0.reason) })
        }
        guard entries > 0 else { throw WorkflowError.invalidInput("the batch has no entry records") }
    }

    /// Decodes an entries body a piece at a time, handing over its drafts `piece` at a time
    /// (fewer at the end) while the rest is still being read, and stops when `send` returns
    /// false. A bad line stops the handing over but not the reading, so every error is reported
    /// by ``checkBatch(_:entries:)``, which it throws at the end.
    public static func streamEntries(
        _ body: [UInt8], unit: String, year: Int, limits: BLPLimits, piece: Int, send: ([DraftLine]) -> Bool
    ) throws {
        var decoder = BLPEntryDecoder(unit: unit, year: year, limits: limits)
        var pending: [DraftLine] = []
        var count = 0
        var start = 0
        while start < body.count {
            let end = min(start + 64 * 1024, body.count)
            decoder.consume(body[start..<end])
            start = end
            guard !decoder.hasErrors else { continue }  // nothing will be stored; read on for every error
            pending += decoder.takeEntries().map { DraftLine(draft: $0.draft, line: $0.line) }
            if pending.count >= piece {
                count += pending.count
                guard send(pending) else { return }
                pending = []
            }
        }
        let decoded = decoder.finish()
        pending += decoded.entries.map { DraftLine(draft: $0.draft, line: $0.line) }
        try checkBatch(decoded, entries: count + pending.count)
        _ = send(pending)
    }
}
