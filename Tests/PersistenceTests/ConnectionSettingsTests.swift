import Foundation
import Persistence
import TestSupport
import Testing

@Suite("the libpq connection: session settings, COPY and parameters are never silently lost")
struct ConnectionSettingsTests {
    func connect(_ extra: String = "", statementTimeout: Duration? = nil) throws -> PostgresConnection {
        try PostgresConnection(
            connectionString: try TestPostgres.conninfo(database: "postgres") + extra,
            statementTimeout: statementTimeout, logger: TestPostgres.logger)
    }

    func setting(_ name: String, on connection: PostgresConnection) throws -> String {
        try connection.query("SELECT current_setting(\(name)) AS value").first!.decode("value")
    }

    @Test("an options= in the connection string is merged with ours: the time zone and the statement timeout still hold")
    func optionsMerged() throws {
        let connection = try connect(" options='-c search_path=pg_catalog,public -c TimeZone=Asia/Shanghai'", statementTimeout: .seconds(7))
        #expect(try setting("search_path", on: connection).replacingOccurrences(of: " ", with: "") == "pg_catalog,public")
        #expect(try setting("TimeZone", on: connection) == "UTC")   // the decoders need UTC
        #expect(try setting("statement_timeout", on: connection) == "7s")
        #expect(try setting("DateStyle", on: connection) == "ISO, YMD")
    }

    @Test("a URI's options are read too")
    func optionsInURI() throws {
        let env = ProcessInfo.processInfo.environment
        let host = try #require(env["BUDGET_TEST_PGHOST"]), port = try #require(env["BUDGET_TEST_PGPORT"])
        let connection = try PostgresConnection(
            connectionString: "postgresql://postgres@\(host):\(port)/postgres?options=-c%20work_mem%3D7MB",
            statementTimeout: .seconds(3), logger: TestPostgres.logger)
        #expect(try setting("work_mem", on: connection) == "7MB")
        #expect(try setting("statement_timeout", on: connection) == "3s")
    }

    @Test("a COPY run as a plain statement is refused and leaves the connection usable", arguments: [
        "COPY copy_probe FROM STDIN", "COPY copy_probe TO STDOUT",
    ])
    func strayCopy(statement: String) throws {
        let connection = try connect()
        try connection.execute(unsafeSQL: "CREATE TEMP TABLE copy_probe (n int); INSERT INTO copy_probe VALUES (1), (2)")
        #expect {
            try connection.execute(unsafeSQL: statement)
        } throws: { error in
            (error as? PostgresError)?.kind == .client && "\(error)".contains("copyIn")
        }
        #expect(connection.isConnected)
        let count: Int = try connection.query("SELECT count(*)::int AS n FROM copy_probe").first!.decode("n")
        #expect(count == 2)
    }

    @Test("COPY FROM STDIN with parameters is refused, not run without them")
    func copyBinds() throws {
        let connection = try connect()
        try connection.execute(unsafeSQL: "CREATE TEMP TABLE copy_probe (n int)")
        let table = "copy_probe"
        #expect {
            try connection.copyIn("COPY copy_probe FROM STDIN WHERE n = \(1) -- \(table)") { writer in
                try writer.row(["5"])
            }
        } throws: { error in
            (error as? PostgresError)?.kind == .client && "\(error)".contains("no parameters")
        }
        let count: Int = try connection.query("SELECT count(*)::int AS n FROM copy_probe").first!.decode("n")
        #expect(count == 0)
        #expect(connection.isConnected)
    }
}
