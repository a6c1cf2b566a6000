import Foundation
import HTTPTypes
import Hummingbird
import Persistence
import Workflow

/// Request decoding: JSON bodies, action reasons, unit/year agreement.
extension EntriesController {
    /// The reason of an action: JSON `{"reason": "…"}`, BLP `action reason="…"`, or none.
    static func reason(_ body: [UInt8], request: Request) throws -> String? {
        try actionBody(body, request: request).reason
    }

    /// An action's body: `{"reason": "…", "kind": "调剂"}` or BLP `action reason="…" kind=调剂`.
    /// `kind` (调剂 or 追加) is for a `revise` after the department-year's 批复.
    static func actionBody(_ body: [UInt8], request: Request) throws -> (reason: String?, kind: AdjustmentKind?) {
        guard !body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else { return (nil, nil) }
        switch try WireFormat.ofBody(request) {
        case .json:
            let decoded = try decodeJSON(EntryJSON.ActionBody.self, body)
            return (decoded.reason, try AdjustmentKind.parse(decoded.kind))
        case .blp:
            let parsed = BLPParser.parse(body, schema: actionSchema, limits: .standard)
            guard parsed.isValid else {
                throw WorkflowError.invalidInput("bad action body",
                    details: parsed.errors.map { ErrorDetail(line: $0.line, field: $0.field, message: $0.reason) })
            }
            return (parsed.records.first?["reason"], try AdjustmentKind.parse(parsed.records.first?["kind"]))
        }
    }

    /// A JSON body decoded after ``JSONShapeCheck`` (UTF-8, syntax with line and column, repeated
    /// keys), so no decoder internals reach the answer.
    static func decodeJSON<T: Decodable>(_ type: T.Type, _ body: [UInt8]) throws -> T {
        if let problem = JSONShapeCheck.problem(in: body) {
            throw WorkflowError.invalidInput(problem.message, details: problem.field.map { [ErrorDetail(field: $0, message: problem.message)] } ?? [])
        }
        do {
            return try JSON.decoder.decode(T.self, from: Data(body))
        } catch let error as DecodingError {
            throw WorkflowError.invalidInput(APIError.describe(error))
        } catch let error as EntryJSON.UnknownKeys {
            throw WorkflowError.invalidInput(error.message, details: error.fields.map { ErrorDetail(field: $0, message: "unknown field \($0)") })
        }
    }

    /// `unit`/`year` of a sent entry that disagree with the path's or the stored entry's.
    static func disagreements(_ sent: EntryJSON.SentDraft, unit: String?, year: Int?, what: String) -> [ErrorDetail] {
        ClaimedPlace(unit: sent.unit, year: sent.year).disagreements(unit: unit, year: year, what: what)
    }

    static let actionSchema = BLPSchema([BLPSchema.RecordType("action", keys: ["reason", "kind"])])
}
