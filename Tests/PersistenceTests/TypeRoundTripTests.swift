import Foundation
import Persistence
import TestSupport
import Testing
import Workflow

@Suite("PostgreSQL type round trips")
struct TypeRoundTripTests {
    @Test("text, including Chinese, quotes and SQL-looking input, is bound, not spliced")
    func text() async throws {
        let db = try await TestPostgres.makeDatabase(migrated: false)
        let samples = ["督查调研所需经费", "it's \"quoted\" \\ back", "'; DROP TABLE x; --", "", "≥95百分比\n第二行\t制表"]
        for sample in samples {
            let echoed: String = try await db.pool.withConnection { c in
                try c.query("SELECT \(sample)::text AS v").first!.decode("v")
            }
            #expect(echoed == sample)
        }
        let length: Int = try await db.pool.withConnection { c in
            try c.query("SELECT length(\("督查调研所需经费")::text) AS n").first!.decode("n")
        }
        #expect(length == 8)  // characters, so the database really holds UTF-8
    }

    @Test("money to the fen through NUMERIC, with no floating point")
    func money() async throws {
        let db = try await TestPostgres.makeDatabase(migrated: false)
        let values = ["0.00", "0.01", "150000.00", "10124900.00", "999999999999.99", "-0.05", "1000000000000.00"]
        for text in values {
            let money = try Money.parse(text)
            let back: Money = try await db.pool.withConnection { c in
                try c.query("SELECT \(money)::numeric(16,2) AS v").first!.decode("v")
            }
            #expect(back == money)
            #expect(back.description == text)
        }
        // NUMERIC may print more scale than two; exact zeros beyond the fen are accepted.
        let wide: Money = try await db.pool.withConnection { c in
            try c.query("SELECT 12.3400::numeric(18,4) AS v").first!.decode("v")
        }
        #expect(wide == (try Money.parse("12.34")))
        // A value below the fen is an error, never a rounding.
        await #expect(throws: PostgresError.self) {
            let _: Money = try await db.pool.withConnection { c in
                try c.query("SELECT 12.345::numeric AS v").first!.decode("v")
            }
        }
        let sum: Money = try await db.pool.withConnection { c in
            try c.query("SELECT sum(v) AS v FROM (VALUES (0.10::numeric), (0.20), (0.30)) t(v)").first!.decode("v")
        }
        #expect(sum == Money(fen: 60))
    }

    @Test("integers, bool, uuid, bytea, jsonb and NULL")
    func scalars() async throws {
        let db = try await TestPostgres.makeDatabase(migrated: false)
        let id = UUID()
        let bytes = ByteA((0...255).map { UInt8($0) })
        let json = JSONB(json: #"{"名称": "督查", "n": [1, 2]}"#)
        let row = try await db.pool.withConnection { c in
            try c.query("""
                SELECT \(Int64.max) AS big, \(Int64.min) AS small, \(Int32(-7)) AS i4, \(true) AS yes, \(false) AS no,
                       \(id) AS id, \(bytes) AS bytes, \(json) AS doc, \(Optional<String>.none)::text AS missing
                """).first!
        }
        #expect(try row.decode("big", as: Int64.self) == Int64.max)
        #expect(try row.decode("small", as: Int64.self) == Int64.min)
        #expect(try row.decode("i4", as: Int32.self) == -7)
        #expect(try row.decode("yes", as: Bool.self) == true)
        #expect(try row.decode("no", as: Bool.self) == false)
        #expect(try row.decode("id", as: UUID.self) == id)
        #expect(try row.decode("bytes", as: ByteA.self) == bytes)
        #expect(try row.decode("missing", as: String?.self) == nil)
        #expect(throws: PostgresError.self) { try row.decode("missing", as: String.self) }
        let doc = try row.decode("doc", as: JSONB.self).decode([String: AnyJSON].self)
        #expect(doc["名称"] == .string("督查"))
    }

    @Test("a string map written as JSON by hand survives jsonb exactly")
    func stringMapJSON() async throws {
        let db = try await TestPostgres.makeDatabase(migrated: false)
        let map = ["名称": "督查调研所需经费", "quote": "say \"hi\"", "slash": "a\\b/c", "lines": "1\n2\r3\t4", "bell": "\u{07}", "": "empty key"]
        let back: JSONB = try await db.pool.withConnection { c in
            try c.query("SELECT \(JSONB(stringMap: map))::jsonb AS v").first!.decode("v")
        }
        #expect(try back.decode([String: String].self) == map)
    }

    @Test("timestamptz keeps every microsecond, across time zones")
    func timestamps() async throws {
        let db = try await TestPostgres.makeDatabase(migrated: false)
        let samples: [Int64] = [0, 1, 1_579_077_000_123_456, -1, -86_400_000_001, 4_102_444_799_999_999]
        for micros in samples {
            let ts = Timestamp(microsecondsSinceEpoch: micros)
            let back: Timestamp = try await db.pool.withConnection { c in
                try c.query("SELECT \(ts) AS v").first!.decode("v")
            }
            #expect(back == ts, "\(micros)")
        }
        // Decoding honours a non-UTC session zone too.
        let shanghai: Timestamp = try await db.pool.withConnection { c in
            try c.query("SET TimeZone = 'Asia/Shanghai'")
            defer { _ = try? c.query("SET TimeZone = 'UTC'") }
            return try c.query("SELECT '2020-01-15 08:30:00.000001+00'::timestamptz AS v").first!.decode("v")
        }
        #expect(shanghai.description == "2020-01-15T08:30:00.000001Z")
    }
}

/// Enough JSON to inspect a decoded jsonb document.
enum AnyJSON: Decodable, Equatable {
    case string(String), number(Int), array([AnyJSON])
    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) { self = .string(s) }
        else if let n = try? c.decode(Int.self) { self = .number(n) }
        else { self = .array(try c.decode([AnyJSON].self)) }
    }
}

@Suite("COPY FROM STDIN")
struct CopyTests {
    @Test("rows streamed with COPY arrive exactly, escapes and NULLs included")
    func copyIn() async throws {
        let db = try await TestPostgres.makeDatabase(migrated: false)
        let rows: [[String?]] = [
            ["1", "督查调研所需经费", "150000.00"],
            ["2", "tab\there, newline\nthere, back\\slash", nil],
            ["3", "", "0.01"],
        ] + (4...20_000).map { [String($0), "第\($0)项", "\($0).50"] }
        let copied = try await db.pool.withConnection { c in
            try c.query("CREATE TABLE lines (id int PRIMARY KEY, name text NOT NULL, amount numeric(16,2))")
            return try c.copyIn("COPY lines (id, name, amount) FROM STDIN") { writer in
                for row in rows { try writer.row(row) }
            }
        }
        #expect(copied == rows.count)
        let back = try await db.pool.withConnection { c in
            try c.query("SELECT id, name, amount::text AS amount FROM lines WHERE id <= 3 ORDER BY id").map {
                [try $0.decode("id", as: String.self), try $0.decode("name", as: String.self), try $0.decode("amount", as: String?.self)]
            }
        }
        #expect(back == Array(rows.prefix(3)))
        let sum: Money = try await db.pool.withConnection { c in
            try c.query("SELECT sum(amount) AS s FROM lines").first!.decode("s")
        }
        let expected = (4...20_000).reduce(Int64(15_000_001)) { $0 + Int64($1) * 100 + 50 }
        #expect(sum == Money(fen: expected))
    }

    @Test("a failure while writing aborts the COPY and stores nothing")
    func copyAbort() async throws {
        struct Stop: Error {}
        let db = try await TestPostgres.makeDatabase(migrated: false)
        try await db.pool.withConnection { c in try c.query("CREATE TABLE lines (id int)") }
        await #expect(throws: Stop.self) {
            try await db.pool.withConnection { c in
                try c.copyIn("COPY lines (id) FROM STDIN") { writer in
                    for i in 0..<100 { try writer.row([String(i)]) }
                    throw Stop()
                }
            }
        }
        let count: Int = try await db.pool.withConnection { c in try c.query("SELECT count(*)::int AS n FROM lines").first!.decode("n") }
        #expect(count == 0)
    }
}
