import Foundation
import Persistence
import TestSupport
import Testing

@Suite("budgetctl: database refusals and connection loss")
struct DatabaseRefusalTests {
    /// Makes the database refuse inserting user `name` as a foreign-key violation would: a refusal
    /// that no validation of the CLI anticipates.
    static func refuseUser(_ name: String, in world: CLIWorld) throws {
        try world.db.superuser().execute(unsafeSQL: """
            CREATE FUNCTION refuse_user() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.name = '\(name)' THEN
                    RAISE EXCEPTION 'insert or update on table "users" violates foreign key constraint "users_org_code_fkey"'
                        USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'users_org_code_fkey';
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER refuse_user BEFORE INSERT ON users FOR EACH ROW EXECUTE FUNCTION refuse_user();
            """)
    }

    @Test("a database refusal prints a generic reason and exits 1 (as API 422); details only with BUDGETCTL_VERBOSE=1")
    func genericRefusal() async throws {
        let world = try await CLIWorld.bootstrapped()
        try Self.refuseUser("trips-fk", in: world)
        let refused = try await world.run(["user", "add", "--name", "trips-fk", "--role", "auditor"], as: "root")
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(refused.stderr.contains("the database refused the values; nothing was changed"), "\(refused.stderr)")
        for leaked in ["users_org_code_fkey", "violates", "foreign key", "23503"] {
            #expect(!refused.stderr.contains(leaked), "\(refused.stderr)")
        }
        #expect(refused.stderr.split(separator: "\n").count == 1, "one line: \(refused.stderr)")
        let verbose = try await Budgetctl.run(["user", "add", "--name", "trips-fk", "--role", "auditor", "--as", "root"],
                                              environment: ["DATABASE_URL": world.db.conninfo, "BUDGETCTL_VERBOSE": "1"])
        #expect(verbose.status == 1)
        #expect(verbose.stderr.contains("users_org_code_fkey"), "\(verbose.stderr)")
    }

    @Test("an invalid organization code is refused without the constraint's name")
    func organizationCode() async throws {
        let world = try await CLIWorld.bootstrapped()
        let refused = try await world.run(["org", "add", "--code", "bad code!", "--name", "x", "--kind", "department"], as: "root")
        #expect(refused.status == 1, "\(refused.stderr)")
        #expect(!refused.stderr.contains("_check") && !refused.stderr.contains("constraint"), "\(refused.stderr)")
        #expect(refused.stderr.contains("code"), "\(refused.stderr)")
    }

    @Test("a database that cannot be reached is exit 5, not a refusal")
    func unreachable() async throws {
        let result = try await Budgetctl.run(["queue", "--as", "finance"],
                                             environment: ["DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"])
        #expect(result.status == 5, "\(result.stderr)")
    }
}
