import Workflow

/// What kind of failure an error is, as the API and the CLI both classify it: a domain error's
/// category or a database failure's disposition. Each front end maps it to its answer in one
/// table (`APIError.status(of:)`, `CLIError.kind(of:)`), so the two cannot disagree unnoticed.
package enum FailureClass: Sendable, Hashable {
    case workflow(WorkflowError.Category)
    case database(PostgresError.Disposition)

    /// The class of a domain or database error; nil for any other error.
    public init?(_ error: any Error) {
        switch error {
        case let error as WorkflowError: self = .workflow(error.category)
        case let error as PostgresError: self = .database(error.disposition)
        default: return nil
        }
    }

    /// Every class, for tests that walk both tables.
    public static var allCases: [FailureClass] {
        WorkflowError.Category.allCases.map(FailureClass.workflow) + [
            .unavailable, .outcomeUnknown, .busy, .timedOut, .transient, .duplicate, .refusedValues, .notMigrated, .internalFailure,
        ].map(FailureClass.database)
    }
}
