import Foundation
import HTTPTypes
import Hummingbird
import Persistence
import Workflow

/// Path and query parameters.
extension EntriesController {
    /// An organization code filter: refused by name when it cannot be a code (NUL, spaces,
    /// too long), rather than handed to PostgreSQL.
    static func organizationFilter(_ value: Substring?, field: String) throws -> String? {
        guard let value else { return nil }
        let text = String(value)
        guard TextLimits.isOrganizationCode(text) else {
            let message = "\(field) must be an organization code: 1 to \(TextLimits.organizationCodeLength) letters, digits, '.', '_' or '-'"
            throw WorkflowError.invalidInput(message, details: [ErrorDetail(field: field, message: message)])
        }
        return text
    }

    static func id(_ context: AppRequestContext) throws -> UUID {
        guard let id = UUID(uuidString: try context.parameters.require("id")) else {
            throw WorkflowError.notFound(resource: "entry")
        }
        return id
    }

    static func year(_ context: AppRequestContext) throws -> Int {
        try parseYear(try context.parameters.require("year"))
    }

    static func parseYear(_ text: String) throws -> Int {
        guard let year = Int(text), (1990...2200).contains(year) else {
            throw APIError.badRequest("year must be a fiscal year such as 2020, got \(text.prefix(20))", field: "year")
        }
        return year
    }
}
