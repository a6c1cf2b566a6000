import CLibPQ
import Foundation
import Logging
import Synchronization

/// One libpq connection. It owns its `PGconn` and frees it exactly once, on every path.
///
/// All calls block the calling thread, so they belong on a thread of their own (the pool runs them
/// on an `NIOThreadPool`), never on Swift's cooperative pool. A connection must never be used by two
/// threads at once: the pool lends it to one closure at a time, and `busy` catches a violation.
package final class PostgresConnection: @unchecked Sendable {
    // Only touched by the thread that currently holds the connection (see `busy`).
    let handle: OpaquePointer  // internal: PostgresConnection+Notify.swift reads it
    /// libpq's cancel request object: `PQcancel` on it is safe from any thread.
    private let cancelHandle: OpaquePointer?
    private let busy = Atomic<Bool>(false)
    /// The pool's lease while one is running; statements refuse to start once it is cancelled.
    var lease: StatementLease?
    package let logger: Logger
    /// Signs every audit event appended through this connection (nil: they are stored unsigned,
    /// and `audit verify` reports them).
    package let auditKey: AuditSigningKey?
    /// Made once per connection: deriving the Crypto key costs as much as a signature.
    private(set) lazy var auditEventSigner: AuditEventSigner? = auditKey?.eventSigner()
    /// Set when a statement failed because the connection broke: the pool discards it.
    package private(set) var isBroken = false
    func markBroken() { isBroken = true }

    /// Transaction nesting depth, for savepoints.
    var transactionDepth = 0
    /// The BEGIN of a transaction that has run no statement yet: it travels with the first one.
    var pendingBegin: String?
    /// The connection failed in the round trip that carried BEGIN: nothing of the transaction
    /// can have been committed, so it may run again on another connection.
    var beginLost: PostgresError?
    /// Statements prepared in this session.
    private var statements = StatementCache()
    /// Network round trips to the server so far (a pipelined batch is one).
    package private(set) var roundTrips = 0

    /// Connects with a libpq connection string or URI. Blocking.
    ///
    /// Our defaults come first so that anything the string sets overrides them — except the
    /// session settings: an `options` in the string is merged with ours (its own first), so the
    /// time zone and formats the decoders rely on, and the statement timeout, always hold.
    package init(
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
        cancelHandle = PQgetCancel(conn)
        self.logger = logger
        self.auditKey = auditKey
    }

    deinit {
        if let cancelHandle { PQfreeCancel(cancelHandle) }
        PQfinish(handle)
    }

    /// Asks the server to cancel whatever statement this session is running. Any thread may call
    /// it, also while another thread holds the connection; it blocks for a short connection.
    func requestCancel() {
        guard let cancelHandle else { return }
        var message = [CChar](repeating: 0, count: 256)
        if PQcancel(cancelHandle, &message, Int32(message.count)) != 1 {
            let text = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            logger.info("could not cancel a statement", metadata: ["error": "\(text)"])
        }
    }

    /// The error a statement gets when its task was cancelled before it started.
    private func refuseIfCancelled() throws(PostgresError) {
        if lease?.isCancelled == true {
            throw PostgresError(kind: .server, message: "canceling statement due to user request", sqlState: .queryCanceled)
        }
    }

    /// True once the pool's caller has gone away: no further statement runs on this lease.
    var isCancelled: Bool { lease?.isCancelled == true }

    /// The server's PID for this session (for `pg_terminate_backend` in tests and logs).
    package var backendPID: Int32 { PQbackendPID(handle) }

    /// True while libpq believes the socket is usable.
    package var isConnected: Bool { !isBroken && PQstatus(handle) == CONNECTION_OK }

    /// Checks an idle connection before reuse. An idle session receives nothing unless the
    /// server is ending it (pg_terminate_backend, a restart), so a readable socket means broken.
    package func probeIdle() -> Bool {
        guard !isBroken, PQstatus(handle) == CONNECTION_OK else { return false }
        var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        let ready = poll(&descriptor, 1, 0)
        if ready != 0 {
            isBroken = true
            return false
        }
        return true
    }

    /// Runs one statement with its parameters (text format) and returns all rows.
    ///
    /// A statement with parameters whose text runs again on this connection is prepared once
    /// (`PQprepare`, in the same round trip) and then run by name.
    @discardableResult
    package func query(_ sql: SQL) throws(PostgresError) -> PostgresRows {
        try pipeline([sql])[0]
    }

    /// Runs statements in one round trip (libpq pipeline mode) and returns each one's rows.
    ///
    /// The first failure is thrown and the statements after it do not run. Outside a transaction
    /// the batch is one implicit transaction: a failure undoes the statements before it too.
    package func pipeline(_ batch: [SQL]) throws(PostgresError) -> [PostgresRows] {
        for sql in batch {
            if let index = sql.binds.firstIndex(where: { $0.text?.utf8.contains(0) == true }) {
                throw PostgresError(
                    kind: .server, message: "parameter $\(index + 1) contains U+0000 (NUL), which text cannot hold",
                    sqlState: .characterNotInRepertoire)
            }
        }
        try refuseIfCancelled()
        guard !batch.isEmpty else { return [] }
        return try exclusive { () throws(PostgresError) -> [PostgresRows] in try run(batch) }
    }

    /// Runs one or more statements without parameters (`PQexec`), e.g. a migration file.
    package func execute(unsafeSQL script: String) throws(PostgresError) {
        try refuseIfCancelled()
        try exclusive { () throws(PostgresError) in
            try flushPendingBegin()
            roundTrips += 1
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
    package func copyIn(_ statement: SQL, write: (inout CopyWriter) throws -> Void) throws -> Int {
        // PQexec sends no parameters: refuse rather than run the statement without them.
        guard statement.binds.isEmpty else {
            throw PostgresError(
                kind: .client, message: "COPY FROM STDIN takes no parameters (\(statement.binds.count) given)")
        }
        try refuseIfCancelled()
        return try exclusive { () throws -> Int in
            try flushPendingBegin()
            roundTrips += 2  // the start, and the end with its result; the data streams between
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
    package func copyIn(_ statement: SQL, rows: CopyRows) throws -> Int {
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

    /// One message of a batch.
    private enum Step {
        /// Unnamed statement (`PQexecParams` / `PQsendQueryParams`).
        case statement(SQL)
        /// Prepare `SQL` under a name (`PQsendPrepare`).
        case prepare(String, SQL)
        /// Run a prepared statement (`PQexecPrepared` / `PQsendQueryPrepared`).
        case run(String, SQL)
    }

    /// Runs a batch, with a pending BEGIN in front, in one round trip; retries once a statement
    /// whose prepared form the server no longer has or can no longer use (after a schema change).
    private func run(_ batch: [SQL]) throws(PostgresError) -> [PostgresRows] {
        deallocateEvicted()
        let begin = pendingBegin
        pendingBegin = nil
        var steps: [Step] = begin.map { [.statement(SQL(unsafeSQL: $0))] } ?? []
        var answers: [Int] = []  // the step whose result is each statement's
        for sql in batch {
            switch sql.binds.isEmpty ? .unnamed : statements.plan(for: Self.cacheKey(sql)) {
            case .unnamed: steps.append(.statement(sql))
            case .prepare(let name): steps += [.prepare(name, sql), .run(name, sql)]
            case .prepared(let name): steps.append(.run(name, sql))
            }
            answers.append(steps.count - 1)
        }
        let outcomes: [Result<PostgresRows, PostgresError>]
        do throws(PostgresError) {
            outcomes = steps.count == 1 ? [execute(steps[0])] : try pipelined(steps)
        } catch {
            if begin != nil { beginLost = error }
            throw error
        }
        for (index, outcome) in outcomes.enumerated() {
            guard case .failure(let error) = outcome else { continue }
            // Only BEGIN's own loss may be retried elsewhere, as when BEGIN was a round trip of its own.
            if begin != nil, index == 0, error.isConnectionFailure || isBroken { beginLost = error }
            switch steps[index] {
            case .prepare(_, let sql):
                statements.forget(Self.cacheKey(sql), prepared: false)
            case .run(_, let sql) where error.sqlState == .cachedPlanChanged || error.sqlState == .undefinedPreparedStatement:
                statements.forget(Self.cacheKey(sql), prepared: error.sqlState == .cachedPlanChanged)
                // Outside a transaction the failed statement changed nothing: run it once unprepared.
                if batch.count == 1, begin == nil, !isBroken, PQtransactionStatus(handle) == PQTRANS_IDLE {
                    return [try execute(.statement(sql)).get()]
                }
            default:
                break
            }
            throw error
        }
        return answers.map { index in
            guard case .success(let rows) = outcomes[index] else { preconditionFailure("failures were thrown above") }
            return rows
        }
    }

    /// One step on its own, as one round trip.
    private func execute(_ step: Step) -> Result<PostgresRows, PostgresError> {
        roundTrips += 1
        let result: OpaquePointer?
        switch step {
        case .statement(let sql):
            let types = sql.binds.map { Oid($0.oid) }
            result = Self.withOptionalCStrings(sql.binds.map(\.text)) { values in
                types.withUnsafeBufferPointer { typePtr in
                    PQexecParams(handle, sql.text, Int32(types.count), typePtr.baseAddress, values, nil, nil, 0)
                }
            }
        case .run(let name, let sql):
            result = Self.withOptionalCStrings(sql.binds.map(\.text)) { values in
                PQexecPrepared(handle, name, Int32(sql.binds.count), values, nil, nil, 0)
            }
        case .prepare(let name, let sql):
            let types = sql.binds.map { Oid($0.oid) }
            result = types.withUnsafeBufferPointer { typePtr in
                PQprepare(handle, name, sql.text, Int32(types.count), typePtr.baseAddress)
            }
        }
        do throws(PostgresError) {
            return .success(try consume(result))
        } catch {
            return .failure(error)
        }
    }

    /// Sends every step, then one sync, and reads every result: one round trip.
    private func pipelined(_ steps: [Step]) throws(PostgresError) -> [Result<PostgresRows, PostgresError>] {
        roundTrips += 1
        guard PQenterPipelineMode(handle) == 1 else { throw connectionError() }
        for step in steps {
            let sent: Int32
            switch step {
            case .statement(let sql):
                let types = sql.binds.map { Oid($0.oid) }
                sent = Self.withOptionalCStrings(sql.binds.map(\.text)) { values in
                    types.withUnsafeBufferPointer { typePtr in
                        PQsendQueryParams(handle, sql.text, Int32(types.count), typePtr.baseAddress, values, nil, nil, 0)
                    }
                }
            case .prepare(let name, let sql):
                let types = sql.binds.map { Oid($0.oid) }
                sent = types.withUnsafeBufferPointer { typePtr in
                    PQsendPrepare(handle, name, sql.text, Int32(types.count), typePtr.baseAddress)
                }
            case .run(let name, let sql):
                sent = Self.withOptionalCStrings(sql.binds.map(\.text)) { values in
                    PQsendQueryPrepared(handle, name, Int32(sql.binds.count), values, nil, nil, 0)
                }
            }
            if sent != 1 { throw connectionError() }  // broken: the pool discards it, pipeline and all
        }
        if PQpipelineSync(handle) != 1 { throw connectionError() }
        var outcomes: [Result<PostgresRows, PostgresError>] = []
        for _ in steps {
            guard !isBroken, let result = PQgetResult(handle) else {
                outcomes.append(.failure(isBroken ? connectionError() : lostInPipeline()))
                continue
            }
            if PQresultStatus(result) == PGRES_PIPELINE_ABORTED {
                PQclear(result)
                outcomes.append(.failure(PostgresError(kind: .client, message: "not run: an earlier statement of the batch failed")))
            } else {
                do throws(PostgresError) {
                    outcomes.append(.success(try consume(result)))
                } catch {
                    outcomes.append(.failure(error))
                }
            }
            if !isBroken { drainResults() }  // each step's results end with a NULL
        }
        // A broken connection is discarded with its pipeline; the failures above tell what happened.
        if isBroken { return outcomes }
        guard let sync = PQgetResult(handle) else { return try lost(after: outcomes) }
        let synced = PQresultStatus(sync) == PGRES_PIPELINE_SYNC
        PQclear(sync)
        guard synced, PQexitPipelineMode(handle) == 1 else { return try lost(after: outcomes) }
        return outcomes
    }

    /// The batch's own first failure if it had one (that is the news), else the lost pipeline.
    private func lost(after outcomes: [Result<PostgresRows, PostgresError>]) throws(PostgresError) -> [Result<PostgresRows, PostgresError>] {
        let error = lostInPipeline()
        guard outcomes.contains(where: { if case .failure = $0 { true } else { false } }) else { throw error }
        return outcomes
    }

    /// libpq lost track of the pipeline: the connection is not reused.
    private func lostInPipeline() -> PostgresError {
        isBroken = true
        return PostgresError(kind: .connection, message: "the connection lost its place in a pipelined batch")
    }

    /// Prepared statements are told apart by text and parameter types.
    private static func cacheKey(_ sql: SQL) -> String {
        sql.text + "\u{0}" + sql.binds.map { String($0.oid) }.joined(separator: ",")
    }

    /// Deallocates statements the cache let go of, between transactions (a failure there would
    /// abort the transaction); an error only means the server has it no more.
    private func deallocateEvicted() {
        guard !statements.toDeallocate.isEmpty, pendingBegin == nil, PQtransactionStatus(handle) == PQTRANS_IDLE else { return }
        let script = statements.toDeallocate.map { "DEALLOCATE \($0)" }.joined(separator: "; ")
        statements.deallocated()
        roundTrips += 1
        if let result = PQexec(handle, script) { PQclear(result) }
    }

    /// Sends a pending BEGIN on its own, before a statement that cannot be pipelined.
    private func flushPendingBegin() throws(PostgresError) {
        guard let begin = pendingBegin else { return }
        pendingBegin = nil
        do throws(PostgresError) {
            _ = try execute(.statement(SQL(unsafeSQL: begin))).get()
        } catch {
            if error.isConnectionFailure || isBroken { beginLost = error }
            throw error
        }
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
package struct CopyWriter {
    let connection: PostgresConnection
    var pending = CopyRows()
    package private(set) var rows = 0
    static let chunk = 256 * 1024

    init(connection: PostgresConnection) { self.connection = connection }

    /// Appends one row of values (nil = NULL), escaped for COPY's text format.
    package mutating func row(_ values: [String?]) throws(PostgresError) {
        pending.row(values)
        rows += 1
        if pending.bytes.count >= Self.chunk { try flush() }
    }

    /// Sends rows formatted beforehand (possibly on another thread), in chunks.
    package mutating func send(_ formatted: CopyRows) throws(PostgresError) {
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
