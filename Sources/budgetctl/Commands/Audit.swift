import ArgumentParser
import Foundation
import Persistence
import Workflow

/// `budgetctl audit log | verify | checkpoint | key`: the hash-chained audit log (SPEC §4) and its
/// signed checkpoints.
struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read and verify the audit log.",
        discussion: """
            Example:
              budgetctl audit log --as auditor --limit 20
              budgetctl audit verify --as auditor --public-key "$(budgetctl audit key)"
              budgetctl audit checkpoint --as admin
              budgetctl audit key --generate /etc/budget/audit-key
            """,
        subcommands: [Log.self, Verify.self, Checkpoint.self, Key.self]
    )

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
            abstract: "Recompute every hash chain and check every checkpoint; exit 1 naming the first failure.",
            discussion: """
                Checks each chain's sequence, previous-hash links and hashes, each event's Ed25519 \
                signature (every event written since events were signed must carry one: an unsigned \
                event was written by a process without the audit key, or forged), and the chain heads; \
                then every checkpoint in order: its Ed25519 signature, its link to the signed checkpoint \
                before it, and that each chain head it recorded is still there unchanged (so no event at \
                or below a signed head was altered, deleted or inserted). Reads one consistent snapshot.

                The public key comes from --public-key (base64, as `budgetctl audit key` prints it; \
                repeat it for what an earlier key signed) or from the signing key file \
                ($BUDGET_AUDIT_KEY_FILE or --key-file). Without either, verify refuses once it meets a \
                signed event or checkpoint (exit 2). Checkpoints recorded before signing existed are reported as \
                unsigned; --require-signed makes them, or the lack of any signed checkpoint, a failure. \
                Note the printed id and digest of the newest signed checkpoint and pass them later as \
                --expect-checkpoint ID:DIGEST: that catches checkpoints deleted from the end.

                Example:
                  budgetctl audit key > audit-key.pub    # where the key file is
                  budgetctl audit verify --as auditor --public-key "$(cat audit-key.pub)"
                  budgetctl audit verify --as auditor --expect-checkpoint 42:9f3a…
                """
        )

        @Option(name: .customLong("public-key"), parsing: .singleValue,
                help: ArgumentHelp("A base64 Ed25519 public key that signed events and checkpoints (repeatable).", valueName: "key"))
        var publicKeys: [String] = []
        @Flag(help: "Fail when a checkpoint is unsigned or none is signed.") var requireSigned = false
        @Option(help: ArgumentHelp("A signed checkpoint noted earlier, as ID:DIGEST; it must still be there.", valueName: "id:digest"))
        var expectCheckpoint: String?

        @OptionGroup var keyFile: AuditKeyFileOptions
        @OptionGroup var db: DatabaseOptions
        @OptionGroup var identity: IdentityOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            try output.require([.table, .json])
            for key in publicKeys {
                do { _ = try AuditPublicKey(base64: key) } catch { throw ValidationError("--public-key: \(error)") }
            }
            if let expectCheckpoint, Self.parse(expectCheckpoint) == nil {
                throw ValidationError("--expect-checkpoint: expected ID:DIGEST (a checkpoint id, then 64 hex digits)")
            }
        }

        static func parse(_ text: String) -> (id: Int64, digest: [UInt8])? {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let id = Int64(parts[0]), id > 0, parts[1].utf8.count == 64,
                  let digest = try? ByteA(postgresText: "\\x" + parts[1].lowercased()) else { return nil }
            return (id, digest.bytes)
        }

        /// The keys given, or the signing key file's public key when none is.
        func keys() throws -> [AuditPublicKey] {
            if !publicKeys.isEmpty { return try publicKeys.map { try AuditPublicKey(base64: $0) } }
            guard keyFile.configuredPath != nil else { return [] }
            return [try keyFile.signingKey(for: "audit verify").publicKey]
        }

        /// The outcome in snake_case JSON, with `ok` spelled out for scripts.
        struct Report: Encodable {
            struct Problem: Encodable {
                var eventID: Int64?
                var chain: String
                var seq: Int64?
                var checkpointID: Int64?
                var reason: String
                enum CodingKeys: String, CodingKey {
                    case chain, seq, reason
                    case eventID = "event_id"
                    case checkpointID = "checkpoint_id"
                }
            }
            var ok: Bool
            var events: Int
            var chains: Int
            var checkpoints: Int
            var signedCheckpoints: Int
            var unsignedCheckpoints: Int
            var latestSignedCheckpoint: AuditVerification.SignedCheckpoint?
            var eventsAfterLatestSigned: Int
            var legacyUnsignedEvents: Int
            var problem: Problem?

            enum CodingKeys: String, CodingKey {
                case ok, events, chains, checkpoints, problem
                case signedCheckpoints = "signed_checkpoints"
                case unsignedCheckpoints = "unsigned_checkpoints"
                case latestSignedCheckpoint = "latest_signed_checkpoint"
                case eventsAfterLatestSigned = "events_after_latest_signed"
                case legacyUnsignedEvents = "legacy_unsigned_events"
            }

            init(_ result: AuditVerification) {
                ok = result.ok
                events = result.events
                chains = result.chains
                checkpoints = result.checkpoints
                signedCheckpoints = result.signedCheckpoints
                unsignedCheckpoints = result.unsignedCheckpoints
                latestSignedCheckpoint = result.latestSigned
                eventsAfterLatestSigned = result.eventsAfterLatestSigned
                legacyUnsignedEvents = result.legacyUnsignedEvents
                problem = result.problem.map {
                    Problem(eventID: $0.eventID, chain: $0.chain, seq: $0.seq, checkpointID: $0.checkpointID, reason: $0.reason)
                }
            }
        }

        func run() async throws {
            try await reportingFailures {
                let options = AuditVerification.Options(
                    keys: try keys(), requireSigned: requireSigned, expected: expectCheckpoint.flatMap(Self.parse))
                let progress = ProgressLine()
                let result: AuditVerification
                do {
                    result = try await db.withSession(identity) { session in
                        let caller = try await session.caller(for: "audit verify")
                        defer { progress.finish() }
                        return try await session.admin.verifyAudit(by: caller, options: options) { checked in
                            progress.update("verifying the audit log: \(checked) events checked")
                        }
                    }
                } catch let error as AuditKeyError where error.kind == .missing {
                    throw CLIError.usage("""
                        \(error.description): pass --public-key KEY (budgetctl audit key prints it) \
                        or set BUDGET_AUDIT_KEY_FILE
                        """)
                }
                if output.format == .json { try Output.printJSON(Report(result)) }
                guard let problem = result.problem else {
                    if output.format == .table { print(Self.summary(result)) }
                    return
                }
                let subject: String
                if let eventID = problem.eventID {
                    subject = "event \(eventID) (chain \(problem.chain), seq \(problem.seq.map(String.init) ?? "?"))"
                } else if let checkpoint = problem.checkpointID {
                    subject = "checkpoint \(checkpoint)" + (problem.chain.isEmpty ? "" : " (chain \(problem.chain))")
                } else {
                    subject = problem.chain.isEmpty ? "the checkpoints" : "chain \(problem.chain)"
                }
                throw CLIError.refused("audit log verification failed at \(subject): \(problem.reason)",
                                       details: ["\(result.events) events verified before it"])
            }
        }

        static func summary(_ result: AuditVerification) -> String {
            var lines = ["audit log verified: \(result.events) events in \(result.chains) chains, \(result.checkpoints) checkpoints (\(result.signedCheckpoints) signed, \(result.unsignedCheckpoints) unsigned)"]
            let signedEvents = result.events - result.legacyUnsignedEvents
            lines.append("every event signed, except \(result.legacyUnsignedEvents) written before events were signed (\(signedEvents) signed)")
            if let latest = result.latestSigned {
                lines.append("newest signed checkpoint: \(latest.id):\(latest.digest) at \(Output.time(latest.at)) by key \(latest.keyID)")
                lines.append("events after it, whose deletion no checkpoint would show yet: \(result.eventsAfterLatestSigned)")
            } else {
                lines.append("no signed checkpoint: a deleted tail of a chain would not show yet")
            }
            return lines.joined(separator: "\n")
        }
    }

    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign and record every chain head, so that a later change below them is detected (auditor, finance bureau, admin).",
            discussion: """
                Needs the signing key file ($BUDGET_AUDIT_KEY_FILE or --key-file); the server does the \
                same every AUDIT_CHECKPOINT_SECONDS.

                Example:
                  budgetctl audit checkpoint --as admin --key-file /etc/budget/audit-key
                """
        )

        @OptionGroup var keyFile: AuditKeyFileOptions
        @OptionGroup var db: DatabaseOptions
        @OptionGroup var identity: IdentityOptions

        func run() async throws {
            try await reportingFailures {
                let key = try keyFile.signingKey(for: "audit checkpoint")
                let id = try await db.withSession(identity) { session in
                    _ = try await session.caller(for: "audit checkpoint", may: .recordCheckpoint)
                    return try await session.admin.checkpointAudit(signedWith: key)
                }
                print("checkpoint \(id) recorded, signed by key \(key.publicKey.id)")
            }
        }
    }
}
