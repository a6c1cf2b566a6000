import CLibPQ
import Foundation
import Logging
import Synchronization

/// One libpq connection. It owns its `PGconn` and frees it exactly once, on every path.
///
/// All calls block the calling thread, so they belong on a thread of their own (the pool runs them
/// on an `NIOThreadPool`), never on Swift's cooperative pool. A connection must never be used by two
/// threads at once: the pool lends it to one closure at a time, and `busy` catches a violation.
public final class PostgresConnection: @unchecked Sendable {
    // Only touched by the thread that currently holds the connection (see `busy`).
    let handle: OpaquePointer  // internal: PostgresConnection+Notify.swift reads it
    private let busy = Atomic<Bool>(false)
    public let logger: Logger
    /// Signs every audit event appended through this connection (nil: they are stored unsigned,
    /// and `audit verify` reports them).
    public let auditKey: AuditSigningKey?
    /// Made once per connection: deriving the Crypto key costs as much as a signature.
    private(set) lazy var auditEventSigner: AuditEventSigner? = auditKey?.eventSigner()
    /// Set when a statement failed because the connection broke: the pool discards it.
    public private(set) var isBroken = false
    func markBroken() { isBroken = true }

    /// Transaction nesting depth, for savepoints.
    var transactionDepth = 0

    /// Connects with a libpq connection string or URI. Blocking.
    ///
    /// Our defaults come first so that anything the string sets overrides them — except the
    /// session settings: an `options` in the string is merged with ours (its own first), so the
    /// time zone and formats the decoders rely on, and the statement timeout, always hold.
    public init(
        connectionString: String, applicationName: String = "budget", statementTimeout: Duration? = nil,
        auditKey: AuditSigningKey? = nil, logger: Logger
    ) throws(PostgresError) {
        var options = "-c TimeZone=UTC -c DateStyle=ISO,YMD -c IntervalStyle=iso_8601 -c extra_float_digits=3 -c client_min_messages=warning"
        if let statementTimeout {
            // A runaway statement is cancelled by the server instead of holding a connection forever.
            options += " -c statement_timeout=\(statementTimeout.components.seconds * 1000 + statementTimeout.components.attoseconds / 1_000_000_000_000_000)"
        }
        if let theirs = Self.options(in: connectionString), !theirs.isEmpty {
            options = theirs + " " + options   // for a repeated setting, the later -c wins
        }
        let params: [(String, String)] = [
            ("connect_timeout", "5"),
            ("application_name", applicationName),
            ("client_encoding", "UTF8"),
            ("keepalives_idle", "30"),
            ("dbname", connectionString),
            // After the string's own parameters, which would otherwise replace it whole.
            ("options", options),
        ]
        let conn = Self.withCStrings(params.map(\.0)) { keys in
            Self.withCStrings(params.map(\.1)) { values in PQconnectdbParams(keys, values, 1) }
        }
        guard let conn else {
            throw PostgresError(kind: .connection, message: "out of memory allocating a connection")
        }
        guard PQstatus(conn) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(conn)).trimmingCharacters(in: .whitespacesAndNewlines)
            PQfinish(conn)  // a failed connect still allocates a handle
            throw PostgresError(kind: .connection, message: message)
        }
        handle = conn
        self.logger = logger
        self.auditKey = auditKey
    }

    deinit { PQfinish(handle) }

    /// The server's PID for this session (for `pg_terminate_backend` in tests and logs).
    public var backendPID: Int32 { PQbackendPID(handle) }

    /// True while libpq believes the socket is usable.
    public var isConnected: Bool { !isBroken && PQstatus(handle) == CONNECTION_OK }

    /// Checks an idle connection before reuse. An idle session receives nothing unless the
    /// server is ending it (pg_terminate_backend, a restart), so a readable socket means broken.
    public func probeIdle() -> Bool {
        guard !isBroken, PQstatus(handle) == CONNECTION_OK else { return false }
        var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, 0)
        if ready != 0 {
            isBroken = true
            return false
        }
        return true
    }

    /// Runs one statement with its parameters (`PQexecParams`, text format) and returns all rows.
    @discardableResult
    public func query(_ sql: SQL) throws(PostgresError) -> PostgresRows {
        if let index = sql.binds.firstIndex(where: { $0.text?.utf8.contains(0) == true }) {
            throw PostgresError(
                kind: .server, message: "parameter $\(index + 1) contains U+0000 (NUL), which text cannot hold",
                sqlState: .characterNotInRepertoire)
        }
        return try exclusive { () throws(PostgresError) -> PostgresRows in
            let binds = sql.binds
            let types = binds.map { Oid($0.oid) }
            let result: OpaquePointer? = Self.withOptionalCStrings(binds.map(\.text)) { values in
                types.withUnsafeBufferPointer { typePtr in
                    PQexecParams(handle, sql.text, Int32(binds.count), typePtr.baseAddress, values, nil, nil, 0)
                }
            }
            return try consume(result)
        }
    }

    /// Runs one or more statements without parameters (`PQexec`), e.g. a migration file.
    public func execute(unsafeSQL script: String) throws(PostgresError) {
        try exclusive { () throws(PostgresError) in
            _ = try consume(PQexec(handle, script))
        }
    }

    /// The `options` a connection string sets (nil when it sets none), read by libpq's own parser;
    /// a string libpq cannot parse has none here and is refused when connecting.
    static func options(in connectionString: String) -> String? {
        var message: UnsafeMutablePointer<CChar>?
        guard let parsed = PQconninfoParse(connectionString, &message) else {
            if let message { PQfreemem(message) }
            return nil
        }
        defer { PQconninfoFree(parsed) }
        var option = parsed
        while let keyword = option.pointee.keyword {
            if String(cString: keyword) == "options", let value = option.pointee.val {
                return String(cString: value)
            }
            option += 1
        }
        return nil
    }

    // MARK: - COPY FROM STDIN

    /// Streams rows with `COPY … FROM STDIN` (text format). `write` is called with a sink of lines.
    @discardableResult
    public func copyIn(_ statement: SQL, write: (inout CopyWriter) throws -> Void) throws -> Int {
        // PQexec sends no parameters: refuse rather than run the statement without them.
        guard statement.binds.isEmpty else {
            throw PostgresError(
                kind: .client, message: "COPY FROM STDIN takes no parameters (\(statement.binds.count) given)")
        }
        return try exclusive { () throws -> Int in
            let started = PQexec(handle, statement.text)
            guard let started, PQresultStatus(started) == PGRES_COPY_IN else {
                _ = try consume(started)
                throw PostgresError(kind: .client, message: "statement did not start COPY FROM STDIN")
            }
            PQclear(started)
            var writer = CopyWriter(connection: self)
            var failure: (any Error)?
            do {
                try write(&writer)
                try writer.flush()
            } catch {
                failure = error
            }
            let endStatus: Int32
            if let failure {
                endStatus = PQputCopyEnd(handle, "aborted by client: \(failure)")
            } else {
                endStatus = PQputCopyEnd(handle, nil)
            }
            if endStatus != 1 { throw connectionError() }
            let result = PQgetResult(handle)
            if let failure {
                // The server answers our abort with an error; the caller's own error is the news.
                if let result { PQclear(result) }
                drainResults()
                throw failure
            }
            let rows = try consume(result)
            drainResults()
            return rows.affectedRows
        }
    }

    /// Sends rows formatted beforehand with `COPY … FROM STDIN`; returns the rows stored.
    @discardableResult
    public func copyIn(_ statement: SQL, rows: CopyRows) throws -> Int {
        try copyIn(statement) { writer in try writer.send(rows) }
    }

    // MARK: - Internals

    private func exclusive<T>(_ body: () throws -> T) throws -> T {
        let (exchanged, _) = busy.compareExchange(expected: false, desired: true, ordering: .acquiring)
        precondition(exchanged, "a PostgresConnection was used by two threads at once")
        defer { busy.store(false, ordering: .releasing) }
        return try body()
    }

    private func exclusive<T>(_ body: () throws(PostgresError) -> T) throws(PostgresError) -> T {
        let (exchanged, _) = busy.compareExchange(expected: false, desired: true, ordering: .acquiring)
        precondition(exchanged, "a PostgresConnection was used by two threads at once")
        defer { busy.store(false, ordering: .releasing) }
        return try body()
    }

    /// Copies a result out, clears it, and turns failures into `PostgresError`.
    private func consume(_ result: OpaquePointer?) throws(PostgresError) -> PostgresRows {
        guard let result else { throw connectionError() }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            break
        case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
            // A COPY run as a plain statement would leave the session waiting for data: end it
            // here, so the connection stays usable, and say where COPY belongs.
            endStrayCopy(PQresultStatus(result))
            throw PostgresError(kind: .client, message: "a COPY statement runs only through copyIn")
        default:
            let error = serverError(result)
            if error.isConnectionFailure || PQstatus(handle) != CONNECTION_OK { isBroken = true }
            throw error
        }
        let columnCount = Int(PQnfields(result))
        let rowCount = Int(PQntuples(result))
        let columns = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
        var values: [[String?]] = []
        values.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            var rowValues: [String?] = []
            rowValues.reserveCapacity(columnCount)
            for column in 0..<columnCount {
                if PQgetisnull(result, Int32(row), Int32(column)) == 1 {
                    rowValues.append(nil)
                } else {
                    let length = Int(PQgetlength(result, Int32(row), Int32(column)))
                    let pointer = UnsafeRawPointer(PQgetvalue(result, Int32(row), Int32(column))!)
                    let buffer = UnsafeRawBufferPointer(start: pointer, count: length)
                    rowValues.append(String(decoding: buffer, as: UTF8.self))
                }
            }
            values.append(rowValues)
        }
        let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
        return PostgresRows(columns: columns, values: values, affectedRows: affected)
    }

    private func serverError(_ result: OpaquePointer) -> PostgresError {
        func field(_ code: Int32) -> String? {
            guard let pointer = PQresultErrorField(result, code) else { return nil }
            return String(cString: pointer)
        }
        guard let state = field(BUDGET_PG_DIAG_SQLSTATE) else {
            // No SQLSTATE: libpq itself failed, typically because the connection dropped.
            isBroken = true
            return connectionError()
        }
        return PostgresError(
            kind: .server,
            message: field(BUDGET_PG_DIAG_MESSAGE_PRIMARY) ?? "unknown server error",
            sqlState: SQLState(state),
            detail: field(BUDGET_PG_DIAG_MESSAGE_DETAIL),
            hint: field(BUDGET_PG_DIAG_MESSAGE_HINT),
            severity: field(BUDGET_PG_DIAG_SEVERITY),
            schema: field(BUDGET_PG_DIAG_SCHEMA_NAME),
            table: field(BUDGET_PG_DIAG_TABLE_NAME),
            column: field(BUDGET_PG_DIAG_COLUMN_NAME),
            constraint: field(BUDGET_PG_DIAG_CONSTRAINT_NAME)
        )
    }

    func connectionError() -> PostgresError {
        isBroken = true
        let message = String(cString: PQerrorMessage(handle)).trimmingCharacters(in: .whitespacesAndNewlines)
        return PostgresError(kind: .connection, message: message.isEmpty ? "connection lost" : message)
    }

    private func drainResults() {
        while let extra = PQgetResult(handle) { PQclear(extra) }
    }

    /// Ends a COPY that `query` or `execute` started: refuses to send data, or reads and drops it.
    private func endStrayCopy(_ status: ExecStatusType) {
        if status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH {
            var buffer: UnsafeMutablePointer<CChar>?
            while PQgetCopyData(handle, &buffer, 0) > 0 {
                if let buffer { PQfreemem(buffer) }
                buffer = nil
            }
        }
        if status == PGRES_COPY_IN || status == PGRES_COPY_BOTH {
            _ = PQputCopyEnd(handle, "COPY runs only through copyIn")
        }
        drainResults()
        if PQstatus(handle) != CONNECTION_OK { isBroken = true }
    }

    func putCopyData(_ bytes: UnsafeBufferPointer<UInt8>) throws(PostgresError) {
        let status = bytes.withMemoryRebound(to: CChar.self) { PQputCopyData(handle, $0.baseAddress, Int32($0.count)) }
        if status != 1 { throw connectionError() }
    }

    // C strings whose lifetime is exactly the closure's: nothing escapes.
    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        withOptionalCStrings(strings.map { Optional($0) }) { pointers in
            body(pointers + [nil])
        }
    }

    private static func withOptionalCStrings<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
        let duplicates: [UnsafeMutablePointer<CChar>?] = strings.map { $0.flatMap { strdup($0) } }
        defer { duplicates.forEach { free($0) } }
        return body(duplicates.map { UnsafePointer($0) })
    }
}

/// Buffers COPY text rows and hands them to libpq in large chunks.
public struct CopyWriter {
    let connection: PostgresConnection
    var pending = CopyRows()
    public private(set) var rows = 0
    static let chunk = 256 * 1024

    init(connection: PostgresConnection) { self.connection = connection }

    /// Appends one row of values (nil = NULL), escaped for COPY's text format.
    public mutating func row(_ values: [String?]) throws(PostgresError) {
        pending.row(values)
        rows += 1
        if pending.bytes.count >= Self.chunk { try flush() }
    }

    /// Sends rows formatted beforehand (possibly on another thread), in chunks.
    public mutating func send(_ formatted: CopyRows) throws(PostgresError) {
        try flush()
        try formatted.bytes.withUnsafeBufferPointer { (all) throws(PostgresError) in
            var start = 0
            while start < all.count {
                let end = min(start + Self.chunk, all.count)
                try connection.putCopyData(UnsafeBufferPointer(rebasing: all[start..<end]))
                start = end
            }
        }
        rows += formatted.count
    }

    mutating func flush() throws(PostgresError) {
        guard !pending.bytes.isEmpty else { return }
        try pending.bytes.withUnsafeBufferPointer { (buffer) throws(PostgresError) in try connection.putCopyData(buffer) }
        pending.removeAll()
    }
}
