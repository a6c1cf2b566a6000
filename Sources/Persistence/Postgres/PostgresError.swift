/// A SQLSTATE code (https://www.postgresql.org/docs/current/errcodes-appendix.html).
///
/// Open and string-backed so that codes this program does not name are kept, not lost.
package struct SQLState: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    package let rawValue: String
    package init(rawValue: String) { self.rawValue = rawValue }
    package init(_ rawValue: String) { self.rawValue = rawValue }
    package var description: String { rawValue }

    /// The two-character class, e.g. "23" for integrity constraint violations.
    package var errorClass: Substring { rawValue.prefix(2) }

    package static let uniqueViolation = SQLState("23505")
    package static let foreignKeyViolation = SQLState("23503")
    package static let checkViolation = SQLState("23514")
    package static let notNullViolation = SQLState("23502")
    package static let exclusionViolation = SQLState("23P01")
    package static let serializationFailure = SQLState("40001")
    package static let deadlockDetected = SQLState("40P01")
    package static let lockNotAvailable = SQLState("55P03")
    package static let queryCanceled = SQLState("57014")
    /// "cached plan must not change result type": a prepared statement met a changed table.
    package static let cachedPlanChanged = SQLState("0A000")
    package static let undefinedPreparedStatement = SQLState("26000")
    package static let adminShutdown = SQLState("57P01")
    package static let crashShutdown = SQLState("57P02")
    package static let cannotConnectNow = SQLState("57P03")
    package static let undefinedTable = SQLState("42P01")
    package static let insufficientPrivilege = SQLState("42501")
    package static let raiseException = SQLState("P0001")
    package static let invalidTextRepresentation = SQLState("22P02")
    package static let numericValueOutOfRange = SQLState("22003")
    package static let characterNotInRepertoire = SQLState("22021")

    /// Failures that a retry of the whole transaction may cure.
    package var isTransient: Bool { self == .serializationFailure || self == .deadlockDetected }
}

/// An error from PostgreSQL or from talking to it. Server fields are kept as data.
///
/// `description` never includes bound parameter values.
package struct PostgresError: Error, Sendable, CustomStringConvertible {
    package enum Kind: Sendable, Equatable {
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

    package var kind: Kind
    package var sqlState: SQLState?
    package var message: String
    package var detail: String?
    package var hint: String?
    package var severity: String?
    package var schema: String?
    package var table: String?
    package var column: String?
    package var constraint: String?

    package init(
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

    /// True when the connection is no longer usable and must be discarded: libpq lost it, or the
    /// server ended the session (class 08, 57P01 administrator command, 57P02 crash, 57P03 starting
    /// up or shutting down).
    package var isConnectionFailure: Bool {
        if kind == .connection || kind == .commitOutcomeUnknown { return true }
        guard let state = sqlState else { return false }
        return state.errorClass == "08" || state == .adminShutdown || state == .crashShutdown || state == .cannotConnectNow
    }

    /// What a failure means to whoever asked, decided here once for the API and the CLI.
    package enum Disposition: Sendable, Equatable {
        /// The database went away or cannot be reached: retry later (API 503, CLI exit 5).
        case unavailable
        /// The connection broke during COMMIT: the change may or may not be applied.
        case outcomeUnknown
        /// Every connection is busy: retry shortly.
        case busy
        /// The statement ran past its time limit.
        case timedOut
        /// A serialization failure or deadlock a retry may cure.
        case transient
        /// A unique or exclusion constraint: the record already exists (a conflict).
        case duplicate
        /// A check, foreign-key or not-null constraint, or a value the database cannot hold
        /// (classes 22 and 23): input that validation should have refused first.
        case refusedValues
        /// A table is missing: the database is not migrated.
        case notMigrated
        /// Anything else: a defect or a misconfiguration.
        case internalFailure
    }

    package var disposition: Disposition {
        switch kind {
        case .commitOutcomeUnknown: return .outcomeUnknown
        case .connection, .poolClosed: return .unavailable
        case .poolExhausted: return .busy
        case .decoding, .client: return .internalFailure
        case .server: break
        }
        if isConnectionFailure { return .unavailable }
        guard let state = sqlState else { return .internalFailure }
        if state == .queryCanceled { return .timedOut }
        if state.isTransient { return .transient }
        if state == .uniqueViolation || state == .exclusionViolation { return .duplicate }
        if state.errorClass == "22" || state.errorClass == "23" { return .refusedValues }
        if state == .undefinedTable { return .notMigrated }
        return .internalFailure
    }

    package var description: String {
        var text = "PostgreSQL \(kind)"
        if let sqlState { text += " \(sqlState)" }
        text += ": \(message)"
        if let constraint { text += " (constraint \(constraint))" }
        return text
    }
}
