import Disclosure
import Foundation
import Workflow

extension EntryService {
    public struct Publication: Sendable, Hashable {
        public var department: String
        public var year: Int
        public var published: [BudgetEntry]
        /// The disclosure inputs that differ from what the previous publication froze
        /// (`baseline.total`, `narrative.change_reason`…); all of them at the first publication.
        public var inputsChanged: [String] = []
    }

    /// Publishes every approved entry of a department-year at once, atomically; a new revision
    /// supersedes the published one it revises. The disclosure inputs (baseline, narrative) as
    /// they now stand are cross-checked with the entries and frozen with the publication: the
    /// public disclosure shows them until the next publication. With no approved entries, a
    /// publication of changed inputs alone; nothing changed at all is a conflict.
    public func publish(department: String, year: Int, by caller: Caller, overrideReason: String? = nil) async throws -> Publication {
        let publication = try await publishInTransaction(department: department, year: year, by: caller, overrideReason: overrideReason)
        WorkflowMetrics.transitioned("publish", count: publication.published.count)
        return publication
    }

    private func publishInTransaction(department: String, year: Int, by caller: Caller, overrideReason: String?) async throws -> Publication {
        if let overrideReason { try TextLimits.check(overrideReason, field: "reason", TextLimits.reason) }
        return try await transaction { connection in
            guard caller.actor.role == .financeReviewer else {
                throw WorkflowError.forbidden("only the finance bureau publishes")
            }
            guard try connection.query("""
                SELECT 1 AS x FROM organizations WHERE code = \(department) AND kind = 'department'
                """).count == 1 else { throw WorkflowError.notFound(resource: "department") }
            // One publication of a department-year at a time, so that "what changed since the
            // last publication" stays true until this one commits.
            let lock = "publication:\(department):\(year)"
            try connection.query("SELECT pg_advisory_xact_lock(hashtext(\(lock))) IS NULL AS locked")
            let rows = try connection.query("""
                SELECT \(EntryRows.columns) FROM entries e
                WHERE e.department_code = \(department) AND e.year = \(year) AND e.state = 'approved'
                ORDER BY e.code FOR UPDATE OF e
                """)
            let approved = try rows.map(EntryRows.decode)
            // Read once: these are the inputs cross-checked below and frozen with the publication.
            let inputs = try DisclosureService.stagedInputs(department: department, year: year, on: connection)
            let previous = try DisclosureService.publishedInputs(department: department, year: year, on: connection)
            let inputsChanged = inputs.changed(from: previous?.inputs ?? .init())
            if approved.isEmpty {
                guard let previous else {
                    throw WorkflowError.conflict("department \(department) has no approved entries in \(year) to publish")
                }
                guard !inputsChanged.isEmpty else {
                    throw WorkflowError.conflict("""
                        department \(department) has no approved entries in \(year) to publish, and its disclosure inputs \
                        are unchanged since publication \(previous.publication)
                        """)
                }
            }
            var published: [BudgetEntry] = []
            for var entry in approved {
                let outcome = try Transition.decide(TransitionRequest(
                    state: entry.state, action: .publish, actor: caller.actor, scope: entry.scope))
                if outcome.supersedesPrevious {
                    try Self.supersede(year: year, code: entry.content.code, state: .published, except: entry.id, by: caller, on: connection)
                }
                entry.version = try connection.query("""
                    UPDATE entries SET state = 'published', version = version + 1, updated_at = now(), published_at = now()
                    WHERE id = \(entry.id) RETURNING version
                    """).first!.decode("version")
                try AuditLog.append(.init(
                    chain: AuditLog.entryChain(year: year, code: entry.content.code), action: outcome.auditAction,
                    entryID: entry.id, revision: entry.revision, fromState: outcome.from.rawValue,
                    toState: outcome.to.rawValue), by: caller, on: connection)
                entry.state = .published
                published.append(entry)
            }
            // Cross-check the disclosure as it now stands; a failure blocks unless overridden.
            let checks = try DisclosureService.input(department: department, year: year, inputs: inputs, on: connection)
                .map { try Disclosure($0).checks() } ?? []
            let override = overrideReason?.trimmingCharacters(in: .whitespacesAndNewlines)
            if !checks.isEmpty, override?.isEmpty ?? true {
                throw WorkflowError.batchFailed(
                    "publication blocked by \(checks.count) failed cross-check(s); fix the entries or publish with an override reason",
                    details: checks.map { ErrorDetail(field: $0.subject, message: "\($0.message) (check \($0.code.rawValue))") },
                    category: .validation)
            }
            let id: Int64 = try connection.query("""
                INSERT INTO publications (department_code, year, published_by, entry_count, override_reason)
                VALUES (\(department), \(year), \(caller.actor.name), \(published.count), \(overrideReason))
                RETURNING id
                """).first!.decode("id")
            try DisclosureService.freeze(inputs, publication: id, on: connection)
            var changes = ["entries": String(published.count),
                           "amount": (try Money.sum(published.map(\.content.amount))).description]
            if !inputsChanged.isEmpty { changes["inputs_changed"] = inputsChanged.joined(separator: ", ") }
            if !checks.isEmpty { changes["overridden_checks"] = checks.map { "\($0.code.rawValue) \($0.subject)" }.joined(separator: "; ") }
            try AuditLog.append(.init(
                chain: "publication:\(department):\(year)", action: "publish", reason: checks.isEmpty ? nil : override,
                changes: changes), by: caller, on: connection)
            return Publication(department: department, year: year, published: published, inputsChanged: inputsChanged)
        }
    }
}
