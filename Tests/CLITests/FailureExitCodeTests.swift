import Foundation
import Persistence
import TestSupport
import Testing
import Workflow

@Suite("budgetctl: failure classes → exit code (one table, agreeing with the API's)")
struct FailureExitCodeTests {
    @Test("a database failure of each class exits as the shared table says (check/FK 1 like 422, duplicate 4 like 409, …)")
    func databaseFailures() async throws {
        let world = try await CLIWorld.bootstrapped()
        // The audit event of `org add --code E<n>` fails with the n-th SQLSTATE, as the database would.
        var cases = ""
        for (index, entry) in FailureTable.sqlStates.enumerated() {
            cases += "WHEN 'org:E\(index)' THEN RAISE EXCEPTION 'secret_check' USING ERRCODE = '\(entry.sqlState)';\n"
        }
        try world.db.superuser().execute(unsafeSQL: """
            CREATE FUNCTION fail_audit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                CASE NEW.chain \(cases) ELSE NULL; END CASE;
                RETURN NEW;
            END $$;
            CREATE TRIGGER fail_audit BEFORE INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION fail_audit();
            """)
        for (index, entry) in FailureTable.sqlStates.enumerated() {
            let result = try await world.run(["org", "add", "--code", "E\(index)", "--name", "x", "--kind", "department"], as: "root")
            #expect(result.status == FailureTable.expected(entry.failure).exit, "\(entry.sqlState): \(result.stderr)")
            #expect(!result.stderr.contains("secret_check"), "\(result.stderr)")
        }
    }

    @Test("domain errors exit as the shared table says: not found 3, forbidden 1, conflict 4")
    func domainErrors() async throws {
        let world = try await CLIWorld.bootstrapped()
        let unknown = try await world.run(["user", "revoke", "nobody"], as: "root")
        #expect(unknown.status == FailureTable.expected(.workflow(.notFound)).exit, "\(unknown.stderr)")
        let forbidden = try await world.run(["org", "add", "--code", "299", "--name", "x", "--kind", "department"], as: "auditor")
        #expect(forbidden.status == FailureTable.expected(.workflow(.forbidden)).exit, "\(forbidden.stderr)")
        let duplicate = try await world.run(["org", "add", "--code", "201", "--name", "x", "--kind", "department"], as: "root")
        #expect(duplicate.status == FailureTable.expected(.workflow(.conflict)).exit, "\(duplicate.stderr)")
    }
}
