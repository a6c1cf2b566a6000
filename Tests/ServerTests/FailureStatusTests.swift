import Foundation
import HTTPTypes
import Persistence
import TestSupport
import Testing
import Workflow

@testable import Server

@Suite("failure classes → HTTP status (one table)")
struct FailureStatusTests {
    @Test("every category and disposition gets the status the shared table names", arguments: FailureClass.allCases)
    func table(_ failure: FailureClass) {
        #expect(Int(APIError.status(of: failure).code) == FailureTable.expected(failure).status, "\(failure)")
    }

    @Test("errors reach the table: a domain error by its category, a database error by its disposition")
    func errors() {
        for category in WorkflowError.Category.allCases {
            let error = Self.workflowError(category)
            #expect(error.category == category)
            #expect(Int(APIError(error).status.code) == FailureTable.expected(.workflow(category)).status, "\(category)")
        }
        for (state, failure) in FailureTable.sqlStates {
            let error = PostgresError(kind: .server, message: "constraint secret_fkey", sqlState: SQLState(state), constraint: "secret_fkey")
            #expect(FailureClass(error) == failure, "\(state)")
            #expect(Int(APIError(error).status.code) == FailureTable.expected(failure).status, "\(state)")
            #expect(!APIError(error).message.contains("secret_fkey"), "no database wording: \(APIError(error).message)")
        }
    }

    static func workflowError(_ category: WorkflowError.Category) -> WorkflowError {
        switch category {
        case .notFound: .notFound(resource: "entry")
        case .forbidden: .forbidden("no")
        case .conflict: .conflict("no")
        case .preconditionFailed: .staleVersion(expected: 1, actual: 2)
        case .validation: .validationFailed([])
        case .invalidInput: .invalidInput("no")
        case .unauthorized: .unauthorized("no")
        }
    }
}
