import Persistence
import Workflow

/// The answer every failure class must get from both front ends, written here independently of
/// either: the HTTP status of the API and the exit code of budgetctl.
public enum FailureTable {
    package static func expected(_ failure: FailureClass) -> (status: Int, exit: Int32) {
        switch failure {
        case .workflow(.notFound): (404, 3)
        case .workflow(.forbidden): (403, 1)
        case .workflow(.unauthorized): (401, 1)
        case .workflow(.conflict): (409, 4)
        case .workflow(.preconditionFailed): (412, 4)
        case .workflow(.validation), .workflow(.invalidInput): (422, 1)
        case .database(.unavailable), .database(.outcomeUnknown), .database(.busy), .database(.timedOut): (503, 5)
        case .database(.transient), .database(.duplicate): (409, 4)
        case .database(.refusedValues): (422, 1)
        case .database(.notMigrated): (500, 5)
        case .database(.internalFailure): (500, 1)
        }
    }

    /// A SQLSTATE the database raises for each class a trigger can provoke.
    package static let sqlStates: [(sqlState: String, failure: FailureClass)] = [
        ("23505", .database(.duplicate)),        // unique_violation
        ("23514", .database(.refusedValues)),    // check_violation
        ("23503", .database(.refusedValues)),    // foreign_key_violation
        ("22003", .database(.refusedValues)),    // numeric_value_out_of_range
        ("57014", .database(.timedOut)),         // query_canceled
        ("40001", .database(.transient)),        // serialization_failure, after the retries
        ("42P01", .database(.notMigrated)),      // undefined_table
        ("XX000", .database(.internalFailure)),  // internal_error
    ]
}
