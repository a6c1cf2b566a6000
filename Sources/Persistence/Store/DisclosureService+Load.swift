import Disclosure
import Foundation
import Workflow

/// Reading what a disclosure is built from, each table only what the disclosure shows of it.
///
/// The current year's entries and items are read row by row, because the disclosure shows every
/// item (its budget lines), and are summed in Swift from those rows at no extra cost; the previous
/// year is only ever summed, so PostgreSQL sums it (`GROUP BY`, exact NUMERIC). Money crosses as
/// integer fen (`(x * 100)::int8`, exact for NUMERIC(16,2)), so no row pays for a decimal parse;
/// columns are read by position.
extension DisclosureService {
    /// A department-year's baseline and narrative, as stored or as frozen by a publication.
    struct Inputs: Sendable, Equatable {
        var baseline: [BaselineMetric: Money] = [:]
        var narrative: [NarrativeSection: String] = [:]

        /// The inputs that differ from `other` (`baseline.total`, `narrative.duties`…), sorted.
        func changed(from other: Inputs) -> [String] {
            let metrics = Set(baseline.keys).union(other.baseline.keys).filter { baseline[$0] != other.baseline[$0] }
            let sections = Set(narrative.keys).union(other.narrative.keys).filter { narrative[$0] != other.narrative[$0] }
            return (metrics.map { "baseline." + $0.rawValue } + sections.map { "narrative." + $0.rawValue }).sorted()
        }
    }

    /// Everything a disclosure is built from, with the given baseline and narrative (the public
    /// disclosure's are ``publishedInputs(department:year:on:)``), read in the caller's
    /// transaction (the public path reads in one repeatable-read transaction, so that every query
    /// sees the same published data).
    static func input(department: String, year: Int, inputs: Inputs, on connection: PostgresConnection) throws -> DisclosureInput? {
        var organizations: [Organization] = []
        for row in try connection.query("""
            SELECT code, name, kind, parent_code, nature, level, funding FROM organizations
            WHERE code = \(department) OR parent_code = \(department) ORDER BY kind, code
            """) {
            let v = row.values
            organizations.append(Organization(
                code: try Self.text(v, 0), name: try Self.text(v, 1), kind: OrgKind(rawValue: try Self.text(v, 2)) ?? .unit,
                parentCode: v[3], nature: v[4], level: v[5], funding: v[6]))
        }
        guard let departmentOrg = organizations.first(where: { $0.code == department && $0.kind == .department }) else { return nil }
        let entries = try published(department: department, year: year, on: connection)
        let previous = try ledger(department: department, year: year - 1, on: connection)
        return DisclosureInput(
            department: departmentOrg, units: organizations.filter { $0.kind == .unit }, year: year, entries: entries,
            baseline: Baseline(inputs.baseline), previousLedger: previous, narrative: Narrative(inputs.narrative))
    }

    /// The working copy of a department-year's inputs.
    static func stagedInputs(department: String, year: Int, on connection: PostgresConnection) throws -> Inputs {
        try inputs(connection.query("""
            SELECT metric, amount FROM disclosure_baselines WHERE department_code = \(department) AND year = \(year)
            """), connection.query("""
            SELECT section, text FROM disclosure_narratives WHERE department_code = \(department) AND year = \(year)
            """))
    }

    /// The latest publication of a department-year and the inputs it froze; `nil` before the first.
    static func publishedInputs(
        department: String, year: Int, on connection: PostgresConnection
    ) throws -> (publication: Int64, inputs: Inputs)? {
        guard let row = try connection.query("""
            SELECT max(id) AS id FROM publications WHERE department_code = \(department) AND year = \(year)
            """).first, let id = try row.decode("id", as: Int64?.self) else { return nil }
        return (id, try inputs(connection.query("SELECT metric, amount FROM publication_baselines WHERE publication_id = \(id)"),
                               connection.query("SELECT section, text FROM publication_narratives WHERE publication_id = \(id)")))
    }

    private static func inputs(_ baselineRows: PostgresRows, _ narrativeRows: PostgresRows) throws -> Inputs {
        var inputs = Inputs()
        for row in baselineRows {
            if let metric = BaselineMetric(rawValue: try row.decode("metric")) { inputs.baseline[metric] = try row.decode("amount") }
        }
        for row in narrativeRows {
            if let section = NarrativeSection(rawValue: try row.decode("section")) { inputs.narrative[section] = try row.decode("text") }
        }
        return inputs
    }

    /// Which entries (`e`) a department-year's disclosure shows: the published ones; but once a
    /// year run in rounds has its 批复 and the department-year was published, the revisions frozen
    /// by the 批复 (年初预算), so that later 调剂 and 追加 revisions do not rewrite it.
    static func inForceCondition(department: String, year: Int, on connection: PostgresConnection) throws -> SQL {
        let frozen = try connection.query("""
            SELECT EXISTS (SELECT 1 FROM budget_rounds WHERE year = \(year))
               AND EXISTS (SELECT 1 FROM budget_approvals WHERE department_code = \(department) AND year = \(year))
               AND EXISTS (SELECT 1 FROM publications WHERE department_code = \(department) AND year = \(year)) AS frozen
            """).first!.decode("frozen", as: Bool.self)
        guard frozen else { return "e.department_code = \(department) AND e.year = \(year) AND e.state = 'published'" }
        return """
            e.department_code = \(department) AND e.year = \(year)
            AND e.id IN (SELECT entry_id FROM round_figures WHERE year = \(year) AND stage = '批复')
            """
    }

    /// The published entries of a department-year in disclosure order: a unit's entries in the order
    /// they were first created (a batch's line order, which is the reference's project order).
    /// Texts only projects show are read for projects only; indicators and procurement are read for
    /// the entries that have them.
    static func published(department: String, year: Int, on connection: PostgresConnection) throws -> [BudgetEntry] {
        let inForce = try inForceCondition(department: department, year: year, on: connection)
        let rows = try connection.query("""
            SELECT e.id, e.unit_code, e.code, e.name, e.kind, e.func_code,
                   (e.general * 100)::int8, (e.fund * 100)::int8, (e.state_capital * 100)::int8,
                   (e.special * 100)::int8, (e.other * 100)::int8,
                   CASE WHEN e.kind = 'project' THEN array_to_string(e.plan, ',') END,
                   CASE WHEN e.kind = 'project' THEN e.purpose END,
                   CASE WHEN e.kind = 'project' THEN e.goals END
            FROM entries e
            WHERE \(inForce)
            ORDER BY e.unit_code, \(firstCreated), e.code
            """)
        var entries: [BudgetEntry] = []
        entries.reserveCapacity(rows.count)
        // Children find their entry by its id as PostgreSQL prints it.
        var byID: [String: Int] = [:]
        byID.reserveCapacity(rows.count)
        for row in rows {
            let v = row.values
            guard let kind = EntryKind(rawValue: try text(v, 4)) else {
                throw PostgresError(kind: .decoding, message: "unknown kind in entries row")
            }
            var content = EntryDraft(
                code: try text(v, 2), name: try text(v, 3), kind: kind, functionCode: try text(v, 5),
                sources: FundingSources(
                    general: try fen(v, 6), fund: try fen(v, 7), stateCapital: try fen(v, 8),
                    special: try fen(v, 9), other: try fen(v, 10)),
                purpose: v[12] ?? "", goals: v[13] ?? "")
            if let plan = v[11], !plan.isEmpty {
                content.plan = try Self.plan(plan)
            }
            let id = try text(v, 0)
            byID[id] = entries.count
            entries.append(BudgetEntry(
                id: try UUID(postgresText: id), year: year, unitCode: try text(v, 1), departmentCode: department,
                state: .published, content: content))
        }
        guard !entries.isEmpty else { return entries }
        // Children come in separate narrow queries, unordered: aggregating them per entry row
        // (string_agg … ORDER BY) or sorting them cost PostgreSQL more than sending them and
        // putting them in order here.
        try attach(to: &entries, byID: byID, connection.query("""
            SELECT i.entry_id, i.position, i.econ, (i.amount * 100)::int8
            FROM entry_items i JOIN entries e ON e.id = i.entry_id
            WHERE \(inForce)
            """)) { v throws(PostgresError) in
            EntryItem(econ: try text(v, 2), amount: try fen(v, 3))
        } add: { $0.items.append($1) }
        try attach(to: &entries, byID: byID, connection.query("""
            SELECT x.entry_id, x.position, x.l1, x.l2, x.l3, x.descr, x.value, x.basis
            FROM entry_indicators x JOIN entries e ON e.id = x.entry_id
            WHERE \(inForce) AND e.kind = 'project'
            """)) { v throws(PostgresError) in
            Indicator(l1: try text(v, 2), l2: try text(v, 3), l3: try text(v, 4), desc: try text(v, 5), value: try text(v, 6),
                      basis: try text(v, 7))
        } add: { $0.indicators.append($1) }
        try attach(to: &entries, byID: byID, connection.query("""
            SELECT p.entry_id, p.position, p.item, p.catalog, p.unit, (p.quantity * 10000)::int8, (p.price * 100)::int8
            FROM entry_procurement p JOIN entries e ON e.id = p.entry_id
            WHERE \(inForce)
            """)) { v throws(PostgresError) in
            let quantity = try text(v, 5)
            guard let tenThousandths = Int64(quantity) else { throw .decoding(Quantity.self, quantity) }
            return ProcurementItem(item: try text(v, 2), catalog: try text(v, 3), unit: try text(v, 4),
                                   quantity: Quantity(tenThousandths: tenThousandths), price: try fen(v, 6))
        } add: { $0.procurement.append($1) }
        return entries
    }

    /// The published entries of a department-year summed by PostgreSQL (exact NUMERIC sums, in
    /// fen); `nil` when the year has no published entries.
    static func ledger(department: String, year: Int, on connection: PostgresConnection) throws -> DisclosureLedger? {
        let inForce = try inForceCondition(department: department, year: year, on: connection)
        var ledger = DisclosureLedger()
        var count = 0
        for row in try connection.query("""
            SELECT e.kind, count(*)::int8, (sum(e.general) * 100)::int8, (sum(e.fund) * 100)::int8,
                   (sum(e.state_capital) * 100)::int8, (sum(e.special) * 100)::int8, (sum(e.other) * 100)::int8
            FROM entries e
            WHERE \(inForce)
            GROUP BY e.kind
            """) {
            let v = row.values
            guard let kind = EntryKind(rawValue: try text(v, 0)), let n = Int(try text(v, 1)) else {
                throw PostgresError(kind: .decoding, message: "unknown kind in entries sums")
            }
            count += n
            try ledger.add(kind: kind, sources: FundingSources(
                general: try fen(v, 2), fund: try fen(v, 3), stateCapital: try fen(v, 4), special: try fen(v, 5), other: try fen(v, 6)))
        }
        guard count > 0 else { return nil }
        for row in try connection.query("""
            SELECT e.kind, i.econ, (sum(i.amount) * 100)::int8
            FROM entry_items i JOIN entries e ON e.id = i.entry_id
            WHERE \(inForce)
            GROUP BY e.kind, i.econ
            """) {
            let v = row.values
            guard let kind = EntryKind(rawValue: try text(v, 0)) else {
                throw PostgresError(kind: .decoding, message: "unknown kind in item sums")
            }
            try ledger.add(kind: kind, econ: try text(v, 1), amount: try fen(v, 2))
        }
        return ledger
    }

    /// An entry's place in disclosure order within its unit: when its first revision was created.
    /// A first revision is its own first (no correlated lookup for the common case).
    static let firstCreated: SQL = """
        CASE WHEN e.revision = 1 THEN e.created_seq
             ELSE (SELECT min(r.created_seq) FROM entries r WHERE r.year = e.year AND r.code = e.code) END
        """

    /// Adds child rows (entry id, position, …) to their entries in position order.
    private static func attach<Child>(
        to entries: inout [BudgetEntry], byID: [String: Int], _ rows: PostgresRows,
        decode: ([String?]) throws(PostgresError) -> Child, add: (inout EntryDraft, Child) -> Void
    ) throws(PostgresError) {
        var found: [(entry: Int, position: Int, child: Child)] = []
        found.reserveCapacity(rows.count)
        for row in rows {
            let v = row.values
            guard let index = byID[try text(v, 0)] else { continue }
            let position = try text(v, 1)
            guard let at = Int(position) else { throw .decoding(Int.self, position) }
            found.append((index, at, try decode(v)))
        }
        found.sort { ($0.entry, $0.position) < ($1.entry, $1.position) }
        for (index, _, child) in found {
            add(&entries[index].content, child)
        }
    }

    /// A spending plan printed by `array_to_string(plan, ',')` (NUMERIC(5,2): `"30.00,60.00,…"`).
    private static func plan(_ text: String) throws(PostgresError) -> [Percent] {
        var plan: [Percent] = []
        for part in text.split(separator: ",") {
            // Always two decimals at this scale; anything else goes through the general parser.
            let digits = part.utf8
            if digits.count >= 4, digits[digits.index(digits.endIndex, offsetBy: -3)] == UInt8(ascii: "."),
               let whole = Int64(part.dropLast(3)), let fraction = Int64(part.suffix(2)), whole >= 0, fraction >= 0 {
                plan.append(Percent(hundredths: whole * 100 + fraction))
            } else {
                plan.append(try Percent(postgresText: String(part)))
            }
        }
        return plan
    }

    private static func text(_ values: [String?], _ column: Int) throws(PostgresError) -> String {
        guard let text = values[column] else {
            throw PostgresError(kind: .decoding, message: "column \(column) is NULL, expected a value")
        }
        return text
    }

    /// Money selected as integer fen.
    private static func fen(_ values: [String?], _ column: Int) throws(PostgresError) -> Money {
        let text = try text(values, column)
        guard let fen = Int64(text) else { throw .decoding(Money.self, text) }
        return Money(fen: fen)
    }
}
