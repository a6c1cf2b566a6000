import Foundation
import HTTPTypes
import Hummingbird
import Persistence
import Workflow

/// Request decoding of draft batches (JSON and BLP).
extension EntriesController {
    func decodeDrafts(_ body: [UInt8], format: WireFormat, unit: String?, year: Int?) throws -> [EntryService.DraftInput] {
        switch format {
        case .blp:
            let decoded = BLPEntryMapping.decodeEntries(BLPParser.parse(body, schema: .entries, limits: limits.blp), unit: unit, year: year)
            try Self.check(decoded, entries: decoded.entries.count)
            return decoded.entries.map { .init(draft: $0.draft, line: $0.line) }
        case .json:
            let batch = try Self.decodeJSON(EntryJSON.Batch.self, body)
            guard batch.entries.count <= limits.maxBatchRecords else {
                throw APIError.tooLarge("the batch has \(batch.entries.count) entries; at most \(limits.maxBatchRecords) per request")
            }
            var inputs: [EntryService.DraftInput] = []
            var details: [ErrorDetail] = []
            for (index, attempt) in batch.entries.enumerated() {
                switch attempt.result {
                case .success(let sent):
                    let disagreements = Self.disagreements(sent, unit: unit, year: year, what: "the request's")
                    if disagreements.isEmpty {
                        inputs.append(.init(draft: sent.draft, line: index + 1))
                    } else {
                        details += disagreements.map { ErrorDetail(line: index + 1, field: $0.field, message: $0.message) }
                    }
                case .failure(let error as EntryJSON.UnknownKeys):
                    details += error.fields.map { ErrorDetail(line: index + 1, field: $0, message: "unknown field \($0)") }
                case .failure(let error as DecodingError):
                    details.append(ErrorDetail(line: index + 1, message: APIError.describe(error)))
                case .failure(let error):
                    details.append(ErrorDetail(line: index + 1, message: "\(error)"))
                }
            }
            guard details.isEmpty else {
                throw WorkflowError.invalidInput("the batch has \(details.count) bad entr(ies); nothing was stored", details: details)
            }
            guard !inputs.isEmpty else { throw WorkflowError.invalidInput("the batch has no entries") }
            return inputs
        }
    }

    /// 413 when a BLP batch broke a limit, 422 when a line is bad or there is no entry at all.
    static func check(_ decoded: BLPEntryMapping.Decoded, entries: Int) throws {
        do {
            try BLPEntryMapping.checkBatch(decoded, entries: entries)
        } catch let refusal as BLPBatchTooLarge {
            throw tooLarge(refusal)
        }
    }

    static func tooLarge(_ refusal: BLPBatchTooLarge) -> APIError {
        let limit = refusal.error
        return APIError(status: .contentTooLarge, code: "too_large", message: limit.reason,
                        details: [ErrorDetail(line: limit.line, field: limit.field, message: limit.reason)])
    }

    /// The one entry a PUT sends, with the `unit`/`year` it names.
    func replacementDraft(_ body: [UInt8], format: WireFormat) throws -> EntryJSON.SentDraft {
        switch format {
        case .blp:
            // unit= and year= of an exported entry may come along; they must name the entry's own.
            let parsed = BLPParser.parse(body, schema: .entries, limits: limits.blp)
            let decoded = BLPEntryMapping.decodeEntries(parsed, unit: nil, year: nil)
            try Self.check(decoded, entries: decoded.entries.count)
            guard decoded.entries.count == 1,
                  let record = parsed.groups.first(where: { $0.record.type == "entry" })?.record
            else { throw WorkflowError.invalidInput("PUT takes exactly one entry record") }
            var year: Int?
            if let text = record["year"], !text.isEmpty {
                guard let number = Int(text) else {
                    throw WorkflowError.invalidInput("year \(text.prefix(20)) is not a year", details: [ErrorDetail(field: "year", message: "not a year")])
                }
                year = number
            }
            return EntryJSON.SentDraft(draft: decoded.entries[0].draft, unit: record["unit"], year: year)
        case .json:
            return try Self.decodeJSON(EntryJSON.StrictDraft.self, body).sent
        }
    }
}
