import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Persistence
import TestSupport
import Testing
import Workflow

@testable import Server

@Suite("hardening: If-Match, admin tokens, database loss and refusals")
struct ServerHardeningTests {
    let blp = "text/plain; charset=utf-8"
    let json = "application/json"
    let oneEntry = "entry code=H-1 name=x kind=operation func=2013101 general=1.00\n"

    @Test("If-Match compares strongly: a weak tag never matches (412), the same tag strong does")
    func weakIfMatch() async throws {
        let world = try await APIWorld.make()
        let entry = try #require(try await world.fixture.create([Fixture.project("W-1")]).first)
        let path = "/v1/entries/\(entry.id.uuidString.lowercased())"
        try await world.app().test(.router) { client in
            let body = ByteBuffer(bytes: try JSONEncoder().encode(Fixture.project("W-1", name: "改名")))
            let weak = try await client.execute(uri: path, method: .put,
                headers: world.headers("officer-201002", contentType: json, extra: [.ifMatch: "W/\"1\""]), body: body)
            #expect(weak.status == .preconditionFailed, "\(weak.text)")
            let weakAction = try await client.execute(uri: path + "/actions/submit", method: .post,
                headers: world.headers("officer-201002", extra: [.ifMatch: "W/\"1\""]))
            #expect(weakAction.status == .preconditionFailed, "\(weakAction.text)")
            let strong = try await client.execute(uri: path, method: .put,
                headers: world.headers("officer-201002", contentType: json, extra: [.ifMatch: "\"1\""]), body: body)
            #expect(strong.status == .ok, "\(strong.text)")
        }
    }

    @Test("an administrator's token gets 403 saying what the role does, not 404 for a unit that exists")
    func adminToken() async throws {
        let world = try await APIWorld.make()
        let entry = try #require(try await world.fixture.create([Fixture.project("A-1")]).first)
        try await world.app().test(.router) { client in
            for (uri, method) in [("/v1/units/201002/years/2020/summary", HTTPRequest.Method.get),
                                  ("/v1/entries/\(entry.id.uuidString.lowercased())", .get),
                                  ("/v1/units/201002/years/2020/entries", .post)] {
                let response = try await client.execute(uri: uri, method: method, headers: world.headers("root", contentType: blp),
                                                        body: method == .post ? ByteBuffer(text: oneEntry) : nil)
                #expect(response.status == .forbidden, "\(uri): \(response.text)")
                #expect(response.text.contains("budgetctl") && response.text.contains("organizations, users and tokens"), "\(response.text)")
                #expect(!response.text.contains("not found"))
            }
        }
        #expect(try await world.storedCount() == 1)
    }

    @Test("the database session ending mid-request (57P01) is 503 + Retry-After; at COMMIT, outcome_unknown; never 500")
    func connectionLost() async throws {
        let world = try await APIWorld.make()
        let db = world.fixture.db
        // PostgreSQL stopping (`pg_ctl stop -m fast`) fails a running statement with 57P01: at once
        // for entry L-1, while COMMIT runs for L-2 (a deferred trigger).
        try db.superuser().execute(unsafeSQL: """
            CREATE FUNCTION shut_down() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.code = TG_ARGV[0] THEN
                    RAISE EXCEPTION 'terminating connection due to administrator command' USING ERRCODE = 'admin_shutdown';
                END IF;
                RETURN NULL;
            END $$;
            CREATE TRIGGER shut_down_now AFTER INSERT ON entries FOR EACH ROW EXECUTE FUNCTION shut_down('L-1');
            CREATE CONSTRAINT TRIGGER shut_down_at_commit AFTER INSERT ON entries
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION shut_down('L-2');
            -- And a session really terminated while its statement runs (for entry L-4).
            CREATE FUNCTION sleep_on() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.code = TG_ARGV[0] THEN PERFORM pg_sleep(10); END IF;
                RETURN NULL;
            END $$;
            CREATE TRIGGER sleep_now AFTER INSERT ON entries FOR EACH ROW EXECUTE FUNCTION sleep_on('L-4');
            """)
        let terminateSleeper: @Sendable () -> Void = {
            let giveUp = Date().addingTimeInterval(10)
            while Date() < giveUp {
                Thread.sleep(forTimeInterval: 0.1)
                let ended = (try? db.superuser().query(
                    "SELECT count(pg_terminate_backend(pid, 5000))::int AS n FROM pg_stat_activity WHERE wait_event = 'PgSleep' AND datname = current_database()"
                ).first?.decode("n", as: Int.self)) ?? 0
                if ended > 0 { return }
            }
        }
        try await world.app().test(.router) { client in
            let post = { (code: String) in
                try await client.execute(uri: "/v1/units/201002/years/2020/entries", method: .post,
                    headers: world.headers("officer-201002", contentType: blp),
                    body: ByteBuffer(text: "entry code=\(code) name=x kind=operation func=2013101 general=1.00\n"))
            }
            let midway = try await post("L-1")
            #expect(midway.status == .serviceUnavailable, "\(midway.text)")
            #expect(midway.headers[.retryAfter] != nil)
            #expect(midway.text.hasPrefix("error code=unavailable"), "\(midway.text)")
            let atCommit = try await post("L-2")
            #expect(atCommit.status == .serviceUnavailable, "\(atCommit.text)")
            #expect(atCommit.headers[.retryAfter] != nil)
            #expect(atCommit.text.hasPrefix("error code=outcome_unknown"), "\(atCommit.text)")
            Thread(block: terminateSleeper).start()
            let terminated = try await post("L-4")
            #expect(terminated.status == .serviceUnavailable, "\(terminated.text)")
            #expect(terminated.headers[.retryAfter] != nil)
            // And the server goes on with fresh connections.
            #expect(try await post("L-3").status == .created)
        }
    }

    @Test("a refusal only the database makes is 422 with a generic message and the request id; no constraint, no SQL")
    func databaseRefusal() async throws {
        let world = try await APIWorld.make()
        try world.fixture.db.superuser().execute(unsafeSQL: """
            CREATE FUNCTION refuse_entry() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.code = 'TRIP-CHECK' THEN
                    RAISE EXCEPTION 'new row for relation "entries" violates check constraint "entries_plan_check"'
                        USING ERRCODE = 'check_violation', CONSTRAINT = 'entries_plan_check', DETAIL = 'Failing row contains ($1).';
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER refuse_entry BEFORE INSERT ON entries FOR EACH ROW EXECUTE FUNCTION refuse_entry();
            """)
        try await world.app().test(.router) { client in
            let jsonBody = String(decoding: try JSONEncoder().encode(["entries": [Fixture.project("TRIP-CHECK")]]), as: UTF8.self)
            for (type, body) in [(blp, "entry code=TRIP-CHECK name=x kind=operation func=2013101 general=1.00\n"), (json, jsonBody)] {
                let response = try await client.execute(uri: "/v1/units/201002/years/2020/entries", method: .post,
                    headers: world.headers("officer-201002", contentType: type, extra: [.requestID: "probe-\(type.count)"]),
                    body: ByteBuffer(text: body))
                #expect(response.status == .unprocessableContent, "\(response.text)")
                #expect(response.text.contains("the database refused the values"), "\(response.text)")
                #expect(response.text.contains("probe-\(type.count)"), "request id: \(response.text)")
                for leaked in ["entries_plan_check", "violates", "relation", "$1", "constraint"] {
                    #expect(!response.text.contains(leaked), "\(leaked) in \(response.text)")
                }
            }
        }
        #expect(try await world.storedCount() == 0)
    }

    @Test("the mapping itself: connection states are 503, refusals hide the database's words")
    func mapping() {
        let shutdown = APIError(PostgresError(kind: .server, message: "terminating connection due to administrator command", sqlState: .adminShutdown))
        #expect(shutdown.status == .serviceUnavailable && shutdown.headers[.retryAfter] != nil)
        let crash = APIError(PostgresError(kind: .server, message: "crash", sqlState: SQLState("57P02")))
        #expect(crash.status == .serviceUnavailable)
        let fk = APIError(PostgresError(kind: .server, message: "insert or update on table \"entries\" violates foreign key constraint \"entries_unit_fkey\"",
                                        sqlState: .foreignKeyViolation, constraint: "entries_unit_fkey"))
        #expect(fk.status == .unprocessableContent && fk.citesRequestID)
        #expect(!fk.message.contains("entries_unit_fkey") && !fk.message.contains("violates"))
        let nul = APIError(PostgresError(kind: .server, message: "parameter $1 contains U+0000 (NUL), which text cannot hold",
                                         sqlState: .characterNotInRepertoire))
        #expect(!nul.message.contains("$1"))
    }
}
