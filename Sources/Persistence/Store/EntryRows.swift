import Foundation
import Workflow

/// Reading and writing entry rows and their children. Internal: the services hold the rules.
enum EntryRows {
    static let columns: SQL = """
        e.id, e.year, e.unit_code, e.department_code, e.code, e.revision, e.supersedes, e.name,
        e.kind, e.func_code, e.general, e.fund, e.state_capital, e.special, e.other,
        array_to_string(e.plan, ',') AS plan, e.purpose, e.goals, e.state, e.version, e.round
        """

    static let from: SQL = "entries e JOIN organizations o ON o.code = e.unit_code"

    /// The API's JSON object of the entry row `p` (an entries row), children
    /// included, as `BudgetEntry.encode(to:)` writes it: money and percentages as decimal strings
    /// with two decimals (the columns' scale), quantities in their shortest exact form, ids in lower case.
    static let jsonObject: SQL = """
        json_build_object(
            'amount', p.amount::text, 'code', p.code, 'department', p.department_code, 'fund', p.fund::text,
            'function_code', p.func_code, 'general', p.general::text, 'goals', p.goals, 'id', p.id,
            'indicators', COALESCE((
                SELECT json_agg(json_build_object('basis', x.basis, 'desc', x.descr, 'l1', x.l1, 'l2', x.l2,
                                                  'l3', x.l3, 'value', x.value) ORDER BY x.position)
                FROM entry_indicators x WHERE x.entry_id = p.id), '[]'),
            'items', COALESCE((
                SELECT json_agg(json_build_object('amount', x.amount::text, 'econ', x.econ) ORDER BY x.position)
                FROM entry_items x WHERE x.entry_id = p.id), '[]'),
            'kind', p.kind, 'name', p.name, 'other', p.other::text,
            'plan', COALESCE((SELECT json_agg(v::text ORDER BY n) FROM unnest(p.plan) WITH ORDINALITY AS u(v, n)), '[]'),
            'procurement', COALESCE((
                SELECT json_agg(json_build_object('amount', x.amount::text, 'catalog', x.catalog, 'item', x.item,
                                                  'price', x.price::text, 'quantity', trim_scale(x.quantity)::text,
                                                  'unit', x.unit) ORDER BY x.position)
                FROM entry_procurement x WHERE x.entry_id = p.id), '[]'),
            'purpose', p.purpose, 'revision', p.revision, 'round', p.round, 'special', p.special::text, 'state', p.state,
            'state_capital', p.state_capital::text, 'supersedes', p.supersedes, 'unit', p.unit_code,
            'version', p.version, 'year', p.year)::text
        """

    /// Decodes the entry row; children are attached by `attachChildren`.
    static func decode(_ row: PostgresRow) throws -> BudgetEntry {
        let planText: String = try row.decode("plan")
        let plan = try planText.isEmpty ? [] : planText.split(separator: ",").map { try Percent(postgresText: String($0)) }
        guard let kind = EntryKind(rawValue: try row.decode("kind")),
              let state = EntryState(rawValue: try row.decode("state"))
        else { throw PostgresError(kind: .decoding, message: "unknown kind or state in entries row") }
        let content = EntryDraft(
            code: try row.decode("code"), name: try row.decode("name"), kind: kind,
            functionCode: try row.decode("func_code"),
            sources: FundingSources(
                general: try row.decode("general"), fund: try row.decode("fund"),
                stateCapital: try row.decode("state_capital"), special: try row.decode("special"),
                other: try row.decode("other")),
            purpose: try row.decode("purpose"), plan: plan, goals: try row.decode("goals"))
        return BudgetEntry(
            id: try row.decode("id"), year: try row.decode("year"), unitCode: try row.decode("unit_code"),
            departmentCode: try row.decode("department_code"), revision: try row.decode("revision"),
            version: try row.decode("version"), state: state, content: content,
            supersedes: try row.decode("supersedes", as: UUID?.self),
            round: try row.decode("round", as: String?.self).flatMap(BudgetRound.init(rawValue:)))
    }

    /// Loads items, indicators and procurement for many entries in three queries.
    static func attachChildren(_ entries: inout [BudgetEntry], on connection: PostgresConnection) throws {
        guard !entries.isEmpty else { return }
        let ids = PostgresArray(entries.map(\.id))
        var index: [UUID: Int] = [:]
        for (i, entry) in entries.enumerated() { index[entry.id] = i }
        for row in try connection.query("""
            SELECT entry_id, econ, amount FROM entry_items WHERE entry_id = ANY(\(ids)::uuid[]) ORDER BY entry_id, position
            """) {
            let i = index[try row.decode("entry_id", as: UUID.self)]!
            entries[i].content.items.append(EntryItem(econ: try row.decode("econ"), amount: try row.decode("amount")))
        }
        for row in try connection.query("""
            SELECT entry_id, l1, l2, l3, descr, value, basis FROM entry_indicators
            WHERE entry_id = ANY(\(ids)::uuid[]) ORDER BY entry_id, position
            """) {
            let i = index[try row.decode("entry_id", as: UUID.self)]!
            entries[i].content.indicators.append(Indicator(
                l1: try row.decode("l1"), l2: try row.decode("l2"), l3: try row.decode("l3"),
                desc: try row.decode("descr"), value: try row.decode("value"), basis: try row.decode("basis")))
        }
        for row in try connection.query("""
            SELECT entry_id, item, catalog, unit, quantity, price FROM entry_procurement
            WHERE entry_id = ANY(\(ids)::uuid[]) ORDER BY entry_id, position
            """) {
            let i = index[try row.decode("entry_id", as: UUID.self)]!
            entries[i].content.procurement.append(ProcurementItem(
                item: try row.decode("item"), catalog: try row.decode("catalog"), unit: try row.decode("unit"),
                quantity: try row.decode("quantity"), price: try row.decode("price")))
        }
    }

    /// One entry by id, optionally locking its row for the rest of the transaction.
    static func load(_ id: UUID, lock: Bool, on connection: PostgresConnection) throws -> BudgetEntry? {
        let suffix: SQL = lock ? " FOR UPDATE OF e" : ""
        guard let row = try connection.query("SELECT \(columns) FROM \(from) WHERE e.id = \(id)\(suffix)").first else {
            return nil
        }
        var entries = [try decode(row)]
        try attachChildren(&entries, on: connection)
        return entries[0]
    }

    /// Inserts a new revision row with its children (through the column lists COPY shares).
    static func insert(
        _ draft: EntryDraft, id: UUID, year: Int, unit: String, revision: Int, supersedes: UUID?,
        state: EntryState = .draft, reviseReason: String? = nil, round: BudgetRound? = nil, on connection: PostgresConnection
    ) throws {
        try insert([NewEntry(
            id: id, year: year, unitCode: unit, departmentCode: nil, revision: revision, supersedes: supersedes,
            state: state, reviseReason: reviseReason, content: draft, round: round)], on: connection)
    }

    /// Replaces a draft's content and children, bumping its version; `fromVersion`, when given,
    /// must still be the row's (the caller locked it), or the change is refused as stale.
    @discardableResult
    static func replace(_ id: UUID, with draft: EntryDraft, fromVersion: Int? = nil, on connection: PostgresConnection) throws -> Int {
        let s = draft.sources
        let versionCheck: SQL = fromVersion.map { " AND version = \($0)" } ?? ""
        guard let row = try connection.query("""
            UPDATE entries SET name = \(draft.name), kind = \(draft.kind.rawValue), func_code = \(draft.functionCode),
                general = \(s.general), fund = \(s.fund), state_capital = \(s.stateCapital), special = \(s.special),
                other = \(s.other), plan = \(PostgresArray(draft.plan))::numeric[], purpose = \(draft.purpose),
                goals = \(draft.goals), version = version + 1, updated_at = now()
            WHERE id = \(id)\(versionCheck) RETURNING version
            """).first else {
            throw WorkflowError.conflict("the entry changed while it was being saved; nothing was stored, retry")
        }
        let version: Int = try row.decode("version")
        try connection.query("""
            WITH items AS (DELETE FROM entry_items WHERE entry_id = \(id)),
                 indicators AS (DELETE FROM entry_indicators WHERE entry_id = \(id))
            DELETE FROM entry_procurement WHERE entry_id = \(id)
            """)
        var items = InsertValues()
        var indicators = InsertValues()
        var procurement = InsertValues()
        writeChildren(draft, idText: EntryService.lowercaseText(id), items: &items, indicators: &indicators, procurement: &procurement)
        try insert(items, into: itemColumns, on: connection)
        try insert(indicators, into: indicatorColumns, on: connection)
        try insert(procurement, into: procurementColumns, on: connection)
        return version
    }
}
