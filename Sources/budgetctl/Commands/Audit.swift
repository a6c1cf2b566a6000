import ArgumentParser
import Foundation
import Persistence
import Workflow

/// `budgetctl audit log | verify | checkpoint`: the hash-chained audit log (SPEC §4).
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read and verify the audit log.",
        discussion: """
            Example:
              budgetctl audit log --as auditor --limit 20
              budgetctl audit verify --as auditor
              budgetctl audit checkpoint --as admin
            """,
        subcommands: [Log.self, Verify.self, Checkpoint.self]
    )

    /// Roles that may read the audit log, as AdminService decides for log and verify.
    static let readers: Set<Role> = [.auditor, .financeReviewer, .admin]

    struct Log: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show audit events, newest first (auditor, finance bureau, admin).",
            discussion: """
                Example:
                  budgetctl audit log --as auditor --limit 20
                  budgetctl audit log --as auditor --entry 201-0502-JBN-E5EL --year 2020
                """
        )

        @Option(help: "Only the events of this entry code (all its revisions).") var entry: String?
        @Option(help: "The fiscal year of --entry.", transform: FiscalYearArgument.parse) var year: Int?
        @Option(help: "At most this many events (1–10000).") var limit: Int = 100

        @OptionGroup var db: DatabaseOptions
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            try output.require([.table, .json])
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be 1–10000") }
            if year != nil, entry == nil { throw ValidationError("--year goes with --entry") }
        }

        func run() async throws {
            try await reportingFailures {
                let events = try await db.withSession(identity) { session in
                    let caller = try await session.caller(for: "audit log")
                    return try await session.admin.auditLog(entry: entry, year: year, limit: limit, by: caller)
                }
                switch output.format {
                case .json: try Output.printJSON(events)
                case .table, .blp:
                    print(events.isEmpty ? "no audit events" : AuditPresentation.table(events))
                }
            }
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute every hash chain; exit 1 naming the first event that does not match.",
            discussion: """
                Checks each chain's sequence, previous-hash links and hashes, the chain heads, and the \
                latest checkpoint (which catches a truncated chain). Reads one consistent snapshot.

                Example:
                  budgetctl audit verify --as auditor
                """
        )

        @OptionGroup var db: DatabaseOptions
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func validate() throws { try output.require([.table, .json]) }

        /// The outcome in snake_case JSON, with `ok` spelled out for scripts.
        struct Report: Encodable {
            struct Problem: Encodable {
                var eventID: Int64?
                var chain: String
                var seq: Int64?
                var reason: String
                enum CodingKeys: String, CodingKey {
                    case chain, seq, reason
                    case eventID = "event_id"
                }
            }
            var ok: Bool
            var events: Int
            var chains: Int
            var checkpoints: Int
            var problem: Problem?

            init(_ result: AuditVerification) {
                ok = result.ok
                events = result.events
                chains = result.chains
                checkpoints = result.checkpoints
                problem = result.problem.map { Problem(eventID: $0.eventID, chain: $0.chain, seq: $0.seq, reason: $0.reason) }
            }
        }

        func run() async throws {
            try await reportingFailures {
                let progress = ProgressLine()
                let result = try await db.withSession(identity) { session in
                    let caller = try await session.caller(for: "audit verify")
                    defer { progress.finish() }
                    return try await session.admin.verifyAudit(by: caller) { checked in
                        progress.update("verifying the audit log: \(checked) events checked")
                    }
                }
                if output.format == .json { try Output.printJSON(Report(result)) }
                guard let problem = result.problem else {
                    if output.format == .table {
                        print("audit log verified: \(result.events) events in \(result.chains) chains, \(result.checkpoints) checkpoints")
                    }
                    return
                }
                let subject = problem.eventID.map { "event \($0) (chain \(problem.chain), seq \(problem.seq.map(String.init) ?? "?"))" }
                    ?? "chain \(problem.chain)"
                throw CLIError.refused("audit log verification failed at \(subject): \(problem.reason)",
                                       details: ["\(result.events) events verified before it"])
            }
        }
    }

    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record every chain head, so that a later truncation is detected (auditor, finance bureau, admin).",
            discussion: """
                Example:
                  budgetctl audit checkpoint --as admin
                """
        )

        @OptionGroup var db: DatabaseOptions
        @OptionGroup var identity: IdentityOptions

        func run() async throws {
            try await reportingFailures {
                let id = try await db.withSession(identity) { session in
                    _ = try await session.caller(roles: Audit.readers, for: "audit checkpoint")
                    return try await session.admin.checkpointAudit()
                }
                print("checkpoint \(id) recorded")
            }
        }
    }
}
