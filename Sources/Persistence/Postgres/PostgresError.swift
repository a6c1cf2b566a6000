/// A SQLSTATE code (https://www.postgresql.org/docs/current/errcodes-appendix.html).
///
/// Open and string-backed so that codes this program does not name are kept, not lost.
public struct SQLState: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// The two-character class, e.g. "23" for integrity constraint violations.
    public var errorClass: Substring { rawValue.prefix(2) }

    public static let uniqueViolation = SQLState("23505")
    public static let foreignKeyViolation = SQLState("23503")
    public static let checkViolation = SQLState("23514")
    public static let notNullViolation = SQLState("23502")
    public static let exclusionViolation = SQLState("23P01")
    public static let serializationFailure = SQLState("40001")
    public static let deadlockDetected = SQLState("40P01")
    public static let lockNotAvailable = SQLState("55P03")
    public static let queryCanceled = SQLState("57014")
    public static let adminShutdown = SQLState("57P01")
    public static let cannotConnectNow = SQLState("57P03")
    public static let undefinedTable = SQLState("42P01")
    public static let insufficientPrivilege = SQLState("42501")
    public static let raiseException = SQLState("P0001")
    public static let invalidTextRepresentation = SQLState("22P02")
    public static let numericValueOutOfRange = SQLState("22003")
    public static let characterNotInRepertoire = SQLState("22021")

    /// Failures that a retry of the whole transaction may cure.
    public var isTransient: Bool { self == .serializationFailure || self == .deadlockDetected }
}

/// An error from PostgreSQL or from talking to it. Server fields are kept as data.
///
/// `description` never includes bound parameter values.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The server could not be reached, or the connection broke.
        case connection
        /// The server executed the statement and reported an error.
        case server
        /// A value could not be decoded into the requested Swift type.
        case decoding
        /// The database pool had no connection to give within its deadline.
        case poolExhausted
        /// The pool is shutting down.
        case poolClosed
        /// The connection broke while COMMIT was on its way: the change may or may not be applied.
        case commitOutcomeUnknown
        /// Misuse of the client, e.g. a COPY where none is active.
        case client
    }

    public var kind: Kind
    public var sqlState: SQLState?
    public var message: String
    public var detail: String?
    public var hint: String?
    public var severity: String?
    public var schema: String?
    public var table: String?
    public var column: String?
    public var constraint: String?

    public init(
        kind: Kind, message: String, sqlState: SQLState? = nil, detail: String? = nil,
        hint: String? = nil, severity: String? = nil, schema: String? = nil, table: String? = nil,
        column: String? = nil, constraint: String? = nil
    ) {
        self.kind = kind
        self.message = message
        self.sqlState = sqlState
        self.detail = detail
        self.hint = hint
        self.severity = severity
        self.schema = schema
        self.table = table
        self.column = column
        self.constraint = constraint
    }

    /// True when the connection is no longer usable and must be discarded.
    public var isConnectionFailure: Bool {
        if kind == .connection || kind == .commitOutcomeUnknown { return true }
        guard let state = sqlState else { return false }
        return state.errorClass == "08" || state == .adminShutdown || state == .cannotConnectNow
    }

    public var description: String {
        var text = "PostgreSQL \(kind)"
        if let sqlState { text += " \(sqlState)" }
        text += ": \(message)"
        if let constraint { text += " (constraint \(constraint))" }
        return text
    }
}
