/// Every failure the domain reports to a caller: a stable ``code``, a human ``message``, structured
/// ``details`` and a ``category`` that the HTTP server and the CLI each map to a status or exit code
/// in exactly one place.
public enum WorkflowError: Error, Sendable, Hashable {
    /// The thing does not exist, or is outside the actor's scope (the two are indistinguishable).
    case notFound(resource: String)
    /// The actor's role may never do this.
    case forbidden(String)
    /// The action is not possible from the entry's current state (非法状态转换).
    case illegalTransition(state: EntryState, action: EntryAction)
    /// The action needs a non-empty reason (reject, revise, waive…).
    case reasonRequired(action: String)
    /// Validation rules are broken; every violation is listed.
    case validationFailed([Violation])
    /// The caller's version (`If-Match`) is not the current one.
    case staleVersion(expected: Int, actual: Int)
    /// The request conflicts with the current data (duplicate code, an open revision exists…).
    case conflict(String)
    /// The request itself is malformed; `details` says where.
    case invalidInput(String, details: [ErrorDetail] = [])
    /// No valid credentials.
    case unauthorized(String)
    /// Several items of an all-or-nothing batch failed; nothing was changed. `details` names each.
    case batchFailed(String, details: [ErrorDetail], category: Category)

    /// How a caller should treat an error; the one thing the HTTP status and exit code depend on.
    public enum Category: String, Sendable, Hashable, Codable, CaseIterable {
        case notFound = "not_found"
        case forbidden
        case conflict
        case preconditionFailed = "precondition_failed"
        case validation
        case invalidInput = "invalid_input"
        case unauthorized
    }

    /// The stable machine-readable code, e.g. `"illegal_transition"`.
    public var code: String {
        switch self {
        case .notFound: return "not_found"
        case .forbidden: return "forbidden"
        case .illegalTransition: return "illegal_transition"
        case .reasonRequired: return "reason_required"
        case .validationFailed: return "validation_failed"
        case .staleVersion: return "stale_version"
        case .conflict: return "conflict"
        case .invalidInput: return "invalid_input"
        case .unauthorized: return "unauthorized"
        case .batchFailed(_, _, let category):
            switch category {
            case .validation: return "validation_failed"
            case .notFound: return "not_found"
            case .forbidden: return "forbidden"
            case .conflict, .preconditionFailed, .invalidInput, .unauthorized: return "batch_failed"
            }
        }
    }

    /// The category the HTTP status and CLI exit code are derived from.
    public var category: Category {
        switch self {
        case .notFound: return .notFound
        case .forbidden: return .forbidden
        case .illegalTransition, .conflict: return .conflict
        case .staleVersion: return .preconditionFailed
        case .validationFailed: return .validation
        case .reasonRequired, .invalidInput: return .invalidInput
        case .unauthorized: return .unauthorized
        case .batchFailed(_, _, let category): return category
        }
    }

    /// A one-line human message.
    public var message: String {
        switch self {
        case .notFound(let resource):
            return "\(resource) not found"
        case .forbidden(let why):
            return why
        case .illegalTransition(let state, let action):
            let already: Set<EntryState> = [.departmentReview, .financeReview, .approved, .published]
            if action == .submit, already.contains(state) {
                return "illegal transition: cannot submit an entry in state \(state.rawValue): it is already submitted"
            }
            return "illegal transition: cannot \(action.rawValue) an entry in state \(state.rawValue)"
        case .reasonRequired(let action):
            return "\(action) requires a non-empty reason"
        case .validationFailed(let violations):
            let rules = Set(violations.map(\.rule)).sorted().map(\.rawValue).joined(separator: ", ")
            return "validation failed: \(violations.count) violation(s) of \(rules)"
        case .staleVersion(let expected, let actual):
            return "stale version: expected \(expected), the entry is at version \(actual)"
        case .conflict(let why):
            return why
        case .invalidInput(let why, _):
            return why
        case .unauthorized(let why):
            return why
        case .batchFailed(let why, _, _):
            return why
        }
    }

    /// Structured details: one per violation for validation failures, the caller's for invalid input.
    public var details: [ErrorDetail] {
        switch self {
        case .validationFailed(let violations):
            return violations.map { ErrorDetail(field: $0.field, rule: $0.rule, message: $0.message) }
        case .invalidInput(_, let details), .batchFailed(_, let details, _):
            return details
        case .notFound, .forbidden, .illegalTransition, .reasonRequired, .staleVersion, .conflict, .unauthorized:
            return []
        }
    }
}

extension WorkflowError: CustomStringConvertible {
    public var description: String { "\(code): \(message)" }
}

/// One element of an error's `details`: a violation, or a bad input line (BLP line number).
public struct ErrorDetail: Sendable, Hashable, Codable {
    /// 1-based input line, for batch input.
    public var line: Int?
    /// The offending field, snake_case.
    public var field: String?
    /// The broken rule, for validation failures.
    public var rule: RuleCode?
    public var message: String

    /// A detail; give whichever of line, field and rule apply.
    public init(line: Int? = nil, field: String? = nil, rule: RuleCode? = nil, message: String) {
        self.line = line
        self.field = field
        self.rule = rule
        self.message = message
    }
}
