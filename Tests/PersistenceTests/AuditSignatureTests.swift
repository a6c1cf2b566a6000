import Foundation
import Persistence
import TestSupport
import Testing
import Workflow

/// Signed events (migration 0012) and signed checkpoints (0010): what the application role, a
/// superuser and a holder of a wrong key can and cannot hide from `verify`.
@Suite("signed audit events and checkpoints")
struct AuditSignatureTests {
    /// Two entries, created, submitted and approved by the department: six entry events.
    func populated() async throws -> (Fixture, TestAuditKey) {
        let f = try await Fixture.make()
        for entry in try await f.create([Fixture.project("S-1"), Fixture.project("S-2")]) {
            _ = try await f.entries.act(.submit, on: entry.id, by: f.officer)
            _ = try await f.entries.act(.approve, on: entry.id, by: f.reviewer)
        }
        return (f, try TestAuditKey.run())  // the key the fixture's pool signs events with
    }

    func verify(_ f: Fixture, _ key: TestAuditKey, requireSigned: Bool = false) async throws -> AuditVerification {
        try await f.admin.verifyAudit(by: f.auditor, options: .init(keys: [key.publicKey], requireSigned: requireSigned))
    }

    /// A connection acting as the application role, as the server's login does (deploy/roles.sql).
    func appRole(_ f: Fixture) throws -> PostgresConnection {
        let connection = try f.db.superuser()
        try connection.query("SET ROLE budget_app")
        return connection
    }

    /// As `connection`'s role: appends an event to `chain` whose hash is correctly recomputed over
    /// the canonical bytes, and moves the chain head to it — what an intruder with the database
    /// credential of the application can do (and what an event from before 0012 looks like).
    @discardableResult
    func forgeEvent(on connection: PostgresConnection, chain: String) throws -> Int64 {
        let head = try connection.query("SELECT seq, hash FROM audit_chain_heads WHERE chain = \(chain)").first
        let seq = try (head?.decode("seq", as: Int64.self) ?? 0) + 1
        let previous = try head?.decode("hash", as: ByteA.self) ?? ByteA([UInt8](repeating: 0, count: 32))
        let at = Timestamp.now()
        let record = AuditRecord(
            chain: chain, seq: seq, at: at.microsecondsSinceEpoch, actor: "finance", role: "finance_reviewer", channel: "api",
            action: "waive", reason: "forged", changes: ["rule": "V7"])
        let hash: ByteA = try connection.query("SELECT sha256(\(ByteA(record.canonicalBytes(previousHash: previous.bytes)))) AS h")
            .first!.decode("h")
        let id: Int64 = try connection.query("""
            INSERT INTO audit_events (chain, seq, at, actor, role, channel, action, reason, changes, prev_hash, hash)
            VALUES (\(chain), \(seq), \(at), 'finance', 'finance_reviewer', 'api', 'waive', 'forged', \(JSONB(stringMap: ["rule": "V7"])),
                    \(previous), \(hash))
            RETURNING id
            """).first!.decode("id")
        try connection.query("""
            INSERT INTO audit_chain_heads (chain, seq, hash) VALUES (\(chain), \(seq), \(hash))
            ON CONFLICT (chain) DO UPDATE SET seq = excluded.seq, hash = excluded.hash
            """)
        return id
    }

    func count(_ f: Fixture, _ sql: SQL) throws -> Int {
        try f.db.superuser().query(sql).first!.decode("n")
    }

    @Test("checkpoints are signed, chained, and verified one by one with the public key")
    func signedAndChained() async throws {
        let (f, key) = try await populated()
        let first = try await f.admin.checkpointAudit(signedWith: key.key)
        try await f.approve(try await f.create([Fixture.project("S-3")])[0].id)
        let second = try await f.admin.checkpointAudit(signedWith: key.key)
        let row = try f.db.superuser().query("SELECT prev_id, key_id, length(signature) AS n FROM audit_checkpoints WHERE id = \(second)").first!
        #expect(try row.decode("prev_id", as: Int64?.self) == first)
        #expect(try row.decode("key_id", as: String.self) == key.publicKey.id)
        #expect(try row.decode("n", as: Int.self) == 64)
        let result = try await verify(f, key)
        #expect(result.ok, "\(String(describing: result.problem))")
        #expect(result.signedCheckpoints == 2 && result.unsignedCheckpoints == 0)
        #expect(result.latestSigned?.id == second)
        #expect(result.eventsAfterLatestSigned == 0)
    }

    @Test("(c) the application role cannot insert a checkpoint row; it records one only through the signing function")
    func appRoleCannotInsertCheckpoints() async throws {
        let (f, key) = try await populated()
        let app = try appRole(f)
        do {
            try app.query("INSERT INTO audit_checkpoints (chains, events, heads) VALUES (0, 0, '{}')")
            Issue.record("budget_app inserted a checkpoint row")
        } catch {
            #expect(error.sqlState == .insufficientPrivilege, "\(error)")
        }
        // The server's own path works as the application role: the function reads the heads itself.
        let appPool = ConnectionPool(
            configuration: .init(connectionString: f.db.conninfo + " options='-c role=budget_app'", size: 1), logger: TestPostgres.logger)
        let id = try await AdminService(pool: appPool).checkpointAudit(signedWith: key.key)
        await appPool.shutdown()
        let heads: Int = try count(f, "SELECT chains AS n FROM audit_checkpoints WHERE id = \(id)")
        #expect(heads == 2 + 5)  // two entries, five org chains of the fixture
        #expect(try await verify(f, key).ok)
    }

    @Test("(a) the application role forges an event with a recomputed hash and moves the head: verify names it as unsigned")
    func appRoleForgery() async throws {
        let (f, key) = try await populated()
        try await f.admin.checkpointAudit(signedWith: key.key)
        #expect(try await verify(f, key).ok)
        let app = try appRole(f)
        let forged = try forgeEvent(on: app, chain: "entry:2020:S-1")
        // Chain and head agree with the forgery: a hash chain alone sees nothing. The signature
        // is what the application role cannot make.
        var result = try await verify(f, key)
        #expect(result.problem?.eventID == forged, "\(String(describing: result.problem))")
        #expect(result.problem?.chain == "entry:2020:S-1")
        #expect(result.problem?.reason.contains("unsigned: written by a process without the audit key") == true)
        // A signature lifted from a genuine event, under the genuine key id, does not fit the forged hash.
        let su = try f.db.superuser()
        try su.query("SET session_replication_role = replica")
        try su.query("""
            UPDATE audit_events SET (key_id, signature) =
                (SELECT key_id, signature FROM audit_events WHERE chain = 'entry:2020:S-1' AND seq = 1)
            WHERE id = \(forged)
            """)
        result = try await verify(f, key)
        #expect(result.problem?.eventID == forged)
        #expect(result.problem?.reason.contains("signature does not match") == true)
        // Nor can it declare the forgery a legacy event: the list of unsigned heads is not its to write.
        for statement: SQL in [
            "INSERT INTO audit_unsigned_heads (chain, seq) VALUES ('entry:2020:S-1', 99)",
            "UPDATE audit_unsigned_heads SET seq = 99",
        ] {
            do {
                try app.query(statement)
                Issue.record("budget_app wrote audit_unsigned_heads")
            } catch {
                #expect(error.sqlState == .insufficientPrivilege, "\(error)")
            }
        }
    }

    @Test("(a) the application role cannot get a checkpoint over a forged event signed: the signing function stores its made-up signature, which fails")
    func appRoleForgedCheckpoint() async throws {
        let (f, key) = try await populated()
        try await f.admin.checkpointAudit(signedWith: key.key)
        let app = try appRole(f)
        do {
            try app.query("""
                INSERT INTO audit_checkpoints (chains, events, heads)
                SELECT count(*), sum(seq), jsonb_object_agg(chain, jsonb_build_array(seq, encode(hash, 'hex')))
                FROM audit_chain_heads WHERE seq > 0
                """)
            Issue.record("budget_app inserted a checkpoint row")
        } catch {
            #expect(error.sqlState == .insufficientPrivilege, "\(error)")
        }
        try app.query("BEGIN ISOLATION LEVEL REPEATABLE READ")
        let previous: Int64 = try app.query("SELECT max(id) AS n FROM audit_checkpoints").first!.decode("n")
        let totals = try app.query("SELECT count(*)::int AS c, sum(seq)::bigint AS e FROM audit_chain_heads WHERE seq > 0").first!
        let forged: Int64 = try app.query("""
            SELECT audit_record_checkpoint(\(previous), \(ByteA([UInt8](repeating: 7, count: 32))), \(try totals.decode("c", as: Int.self)),
                                           \(try totals.decode("e", as: Int64.self)), \(key.publicKey.id), \(ByteA([UInt8](repeating: 1, count: 64)))) AS id
            """).first!.decode("id")
        try app.query("COMMIT")
        let result = try await verify(f, key)
        #expect(result.problem?.checkpointID == forged)
        #expect(result.problem?.reason.contains("signature does not match") == true)
    }

    @Test("an event written by a process without the audit key fails verify, named")
    func writerWithoutKey() async throws {
        let (f, key) = try await populated()
        let keyless = ConnectionPool(configuration: .init(connectionString: f.db.conninfo, size: 1), logger: TestPostgres.logger)
        _ = try await AdminService(pool: keyless).addUser(name: "late", role: .auditor, org: nil, by: f.administrator)
        await keyless.shutdown()
        let unsigned = Int64(try count(f, "SELECT id AS n FROM audit_events WHERE chain = 'user:late'"))
        let result = try await verify(f, key)
        #expect(result.problem?.eventID == unsigned, "\(String(describing: result.problem))")
        #expect(result.problem?.chain == "user:late")
        #expect(result.problem?.reason.contains("unsigned: written by a process without the audit key") == true)
    }

    @Test("both append paths sign: one row at a time and the bulk COPY, each event with its own valid signature")
    func bothPathsSign() async throws {
        let (f, key) = try await populated()  // one-by-one: create, submit, approve
        let drafts = (0..<300).map { EntryService.DraftInput(draft: Fixture.project("B-\($0)"), line: $0 + 1) }
        _ = try await f.entries.saveDrafts(from: .drafts(drafts, piece: 70), unit: "201002", year: 2020, by: f.officer)
        let rows = try f.db.superuser().query("""
            SELECT count(*)::int AS n, count(signature)::int AS signed, count(DISTINCT signature)::int AS distinct_signatures,
                   bool_and(key_id = \(key.publicKey.id)) AS ours
            FROM audit_events WHERE chain LIKE 'entry:%'
            """).first!
        #expect(try rows.decode("n", as: Int.self) == 6 + 300)
        #expect(try rows.decode("signed", as: Int.self) == 6 + 300)
        #expect(try rows.decode("distinct_signatures", as: Int.self) == 6 + 300)
        #expect(try rows.decode("ours", as: Bool.self))
        let result = try await verify(f, key)
        #expect(result.ok, "\(String(describing: result.problem))")
        #expect(result.legacyUnsignedEvents == 0)
    }

    @Test("(b) a superuser deletes a tail event, rewinds the head and adds a checkpoint: the older signed checkpoint names the gap")
    func superuserTruncation() async throws {
        let (f, key) = try await populated()
        let signed = try await f.admin.checkpointAudit(signedWith: key.key)
        let su = try f.db.superuser()
        try su.execute(unsafeSQL: "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only")
        let previousHash: ByteA = try su.query("SELECT hash FROM audit_events WHERE chain = 'entry:2020:S-2' AND seq = 2").first!.decode("hash")
        try su.query("DELETE FROM audit_events WHERE chain = 'entry:2020:S-2' AND seq = 3")
        try su.query("UPDATE audit_chain_heads SET seq = 2, hash = \(previousHash) WHERE chain = 'entry:2020:S-2'")
        // A fresh checkpoint of the rewritten heads; the superuser has no key, so it cannot sign.
        // Unsigned, the table refuses it now (0010's check); with a made-up signature it is stored.
        do {
            try su.query("""
                INSERT INTO audit_checkpoints (chains, events, heads)
                SELECT count(*), sum(seq), jsonb_object_agg(chain, jsonb_build_array(seq, encode(hash, 'hex')))
                FROM audit_chain_heads WHERE seq > 0
                """)
            Issue.record("an unsigned checkpoint was stored")
        } catch {
            #expect(error.sqlState == SQLState("23514"), "\(error)")
        }
        let fresh: Int64 = try su.query("""
            INSERT INTO audit_checkpoints (chains, events, heads, prev_id, prev_digest, key_id, signature)
            SELECT count(*), sum(seq), jsonb_object_agg(chain, jsonb_build_array(seq, encode(hash, 'hex'))),
                   \(signed), \(ByteA([UInt8](repeating: 0, count: 32))), \(key.publicKey.id), \(ByteA([UInt8](repeating: 0, count: 64)))
            FROM audit_chain_heads WHERE seq > 0
            RETURNING id
            """).first!.decode("id")
        var result = try await verify(f, key)
        #expect(result.problem?.checkpointID == signed, "every checkpoint is checked, not only the newest")
        #expect(result.problem?.chain == "entry:2020:S-2")
        #expect(result.problem?.reason.contains("recorded event 3 of this chain, which is gone") == true)
        // Deleting that checkpoint too leaves the made-up one, whose signature fails.
        // Replica mode switches off every trigger, the foreign key from the fresh row included.
        try su.query("SET session_replication_role = replica")
        try su.query("DELETE FROM audit_checkpoints WHERE id = \(signed)")
        result = try await verify(f, key)
        #expect(result.problem?.checkpointID == fresh)
        #expect(result.problem?.reason.contains("signature does not match") == true)
    }

    @Test("a superuser who appends an unsigned event and raises its chain's unsigned head is still named")
    func superuserRaisesUnsignedHead() async throws {
        let (f, key) = try await populated()
        let su = try f.db.superuser()
        let forged = try forgeEvent(on: su, chain: "entry:2020:S-1")
        try su.query("SET session_replication_role = replica")  // past the table's append-only trigger
        try su.query("INSERT INTO audit_unsigned_heads (chain, seq) VALUES ('entry:2020:S-1', 99)")
        let result = try await verify(f, key)
        #expect(result.problem?.eventID == forged, "\(String(describing: result.problem))")
        #expect(result.problem?.reason.contains("follows signed events of its chain") == true)
    }

    @Test("(e) an old checkpoint altered by a superuser fails its signature; a deleted middle one breaks the chain")
    func tamperedOldCheckpoint() async throws {
        let (f, key) = try await populated()
        let first = try await f.admin.checkpointAudit(signedWith: key.key)
        let second = try await f.admin.checkpointAudit(signedWith: key.key)
        let third = try await f.admin.checkpointAudit(signedWith: key.key)
        #expect(try await verify(f, key).ok)
        let su = try f.db.superuser()
        try su.query("SET session_replication_role = replica")
        try su.query("UPDATE audit_checkpoints SET at = at - interval '1 day' WHERE id = \(first)")
        var result = try await verify(f, key)
        #expect(result.problem?.checkpointID == first)
        #expect(result.problem?.reason.contains("signature does not match") == true)
        try su.query("UPDATE audit_checkpoints SET at = at + interval '1 day' WHERE id = \(first)")
        #expect(try await verify(f, key).ok)
        try su.query("DELETE FROM audit_checkpoints WHERE id = \(second)")
        result = try await verify(f, key)
        #expect(result.problem?.checkpointID == third)
        #expect(result.problem?.reason.contains("checkpoints were deleted") == true)
    }

    @Test("(d) events and checkpoints are checked only with their own key: another key, or none, is refused")
    func wrongKey() async throws {
        let (f, key) = try await populated()
        try await f.admin.checkpointAudit(signedWith: key.key)
        let other = try TestAuditKey.make()
        let result = try await verify(f, other)
        #expect(result.problem?.eventID != nil, "the first signed event already names the key")
        #expect(result.problem?.reason.contains("signed by key \(key.publicKey.id)") == true)
        await #expect(throws: AuditKeyError.self) { _ = try await f.admin.verifyAudit(by: f.auditor) }
        #expect(try await f.admin.verifyAudit(by: f.auditor, options: .init(keys: [other.publicKey, key.publicKey])).ok)
    }

    @Test("an auditor's noted checkpoint catches checkpoints deleted from the end")
    func expectedCheckpoint() async throws {
        let (f, key) = try await populated()
        try await f.admin.checkpointAudit(signedWith: key.key)
        let last = try await f.admin.checkpointAudit(signedWith: key.key)
        let noted = try #require(try await verify(f, key).latestSigned)
        let digest = try ByteA(postgresText: "\\x" + noted.digest).bytes
        #expect(try await f.admin.verifyAudit(by: f.auditor, options: .init(keys: [key.publicKey], expected: (last, digest))).ok)
        let su = try f.db.superuser()
        try su.execute(unsafeSQL: "ALTER TABLE audit_checkpoints DISABLE TRIGGER audit_checkpoints_append_only")
        try su.query("DELETE FROM audit_checkpoints WHERE id = \(last)")
        #expect(try await verify(f, key).ok, "without the note, a deleted newest checkpoint is invisible")
        let result = try await f.admin.verifyAudit(by: f.auditor, options: .init(keys: [key.publicKey], expected: (last, digest)))
        #expect(result.problem?.reason.contains("is gone") == true)
    }

    @Test("concurrent checkpoints never fork the chain: the loser signs again on a fresh snapshot")
    func concurrentCheckpoints() async throws {
        let (f, key) = try await populated()
        try await withThrowingTaskGroup(of: Int64.self) { group in
            for _ in 0..<4 { group.addTask { try await f.admin.checkpointAudit(signedWith: key.key) } }
            try await group.waitForAll()
        }
        let result = try await verify(f, key)
        #expect(result.ok, "\(String(describing: result.problem))")
        #expect(result.signedCheckpoints == 4)
    }

    @Test("events and checkpoints from before signing stay: legacy events pass, later ones must be signed; --require-signed refuses old checkpoints")
    func legacyUnsigned() async throws {
        let db = try await TestPostgres.makeDatabase(migrated: false)
        let all = try TestPostgres.migrations()
        _ = try await Migrator(migrations: all.filter { $0.version < "0010" }).migrate(pool: db.pool, logger: TestPostgres.logger)
        // Events as the code of before wrote them: hashed, unsigned (no signature columns yet).
        let su = try db.superuser()
        try forgeEvent(on: su, chain: "user:root")
        try forgeEvent(on: su, chain: "user:root")
        try forgeEvent(on: su, chain: "org:201")
        try su.query("""
            INSERT INTO audit_checkpoints (chains, events, heads)
            SELECT count(*), sum(seq), jsonb_object_agg(chain, jsonb_build_array(seq, encode(hash, 'hex')))
            FROM audit_chain_heads WHERE seq > 0
            """)
        _ = try await Migrator(migrations: all.filter { $0.version < "0012" }).migrate(pool: db.pool, logger: TestPostgres.logger)
        try forgeEvent(on: su, chain: "user:root")  // still before 0012: its snapshot covers it
        try await db.migrate()
        let heads = try su.query("SELECT chain, seq FROM audit_unsigned_heads ORDER BY chain")
        #expect(try heads.map { "\(try $0.decode("chain", as: String.self)):\(try $0.decode("seq", as: Int64.self))" } == ["org:201:1", "user:root:3"])

        let admin = AdminService(pool: db.pool)
        let root = Caller(actor: Actor(name: "root", role: .admin), channel: .cli)
        _ = try await admin.addUser(name: "root", role: .admin, org: nil, by: nil)  // signed, at user:root seq 4
        let key = try TestAuditKey.run()
        var result = try await admin.verifyAudit(by: root, options: .init(keys: [key.publicKey]))
        #expect(result.ok, "\(String(describing: result.problem))")
        #expect(result.legacyUnsignedEvents == 4 && result.events == 5)
        #expect(result.unsignedCheckpoints == 1 && result.signedCheckpoints == 0)
        result = try await admin.verifyAudit(by: root, options: .init(keys: [key.publicKey], requireSigned: true))
        #expect(result.problem?.reason.contains("not signed") == true)
        try await admin.checkpointAudit(signedWith: key.key)
        result = try await admin.verifyAudit(by: root, options: .init(keys: [key.publicKey]))
        #expect(result.ok && result.unsignedCheckpoints == 1 && result.signedCheckpoints == 1)

        // Past the recorded heads, an unsigned event fails, in an old chain as in a new one.
        let late = try forgeEvent(on: su, chain: "org:201")
        result = try await admin.verifyAudit(by: root, options: .init(keys: [key.publicKey]))
        #expect(result.problem?.eventID == late && result.problem?.reason.contains("unsigned") == true)
    }

    @Test("the signing function refuses a READ COMMITTED caller, whose heads could differ from the ones it signed")
    func needsRepeatableRead() async throws {
        let (f, _) = try await populated()
        let app = try appRole(f)
        do {
            try app.query("""
                SELECT audit_record_checkpoint(NULL, NULL, 0, 0, '0000000000000000', \(ByteA([UInt8](repeating: 0, count: 64))))
                """)
            Issue.record("accepted outside REPEATABLE READ")
        } catch {
            #expect(error.message.contains("REPEATABLE READ"))
        }
    }
}
