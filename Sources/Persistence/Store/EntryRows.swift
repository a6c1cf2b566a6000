import Foundation
import Workflow

/// Reading and writing entry rows and their children. Internal: the services hold the rules.
enum EntryRows {
    static let columns: SQL = """
        e.id, e.year, e.unit_code, e.department_code, e.code, e.revision, e.supersedes, e.name,
        e.kind, e.func_code, e.general, e.fund, e.state_capital, e.special, e.other,
        array_to_string(e.plan, ',') AS plan, e.purpose, e.goals, e.state, e.version
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
            'purpose', p.purpose, 'revision', p.revision, 'special', p.special::text, 'state', p.state,
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
            supersedes: try row.decode("supersedes", as: UUID?.self))
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

    /// Inserts a new revision row with its children.
    static func insert(
        _ draft: EntryDraft, id: UUID, year: Int, unit: String, revision: Int, supersedes: UUID?,
        state: EntryState = .draft, reviseReason: String? = nil, on connection: PostgresConnection
    ) throws {
        let s = draft.sources
        try connection.query("""
            INSERT INTO entries (id, year, unit_code, code, revision, supersedes, name, kind, func_code,
                                 general, fund, state_capital, special, other, plan, purpose, goals, state, revise_reason)
            VALUES (\(id), \(year), \(unit), \(draft.code), \(revision), \(supersedes), \(draft.name),
                    \(draft.kind.rawValue), \(draft.functionCode), \(s.general), \(s.fund), \(s.stateCapital),
                    \(s.special), \(s.other), \(PostgresArray(draft.plan))::numeric[], \(draft.purpose),
                    \(draft.goals), \(state.rawValue), \(reviseReason))
            """)
        try insertChildren(draft, entry: id, on: connection)
    }

    /// Replaces a draft's content and children, bumping its version.
    static func replace(_ id: UUID, with draft: EntryDraft, on connection: PostgresConnection) throws -> Int {
        let s = draft.sources
        let version: Int = try connection.query("""
            UPDATE entries SET name = \(draft.name), kind = \(draft.kind.rawValue), func_code = \(draft.functionCode),
                general = \(s.general), fund = \(s.fund), state_capital = \(s.stateCapital), special = \(s.special),
                other = \(s.other), plan = \(PostgresArray(draft.plan))::numeric[], purpose = \(draft.purpose),
                goals = \(draft.goals), version = version + 1, updated_at = now()
            WHERE id = \(id) RETURNING version
            """).first!.decode("version")
        try connection.query("DELETE FROM entry_items WHERE entry_id = \(id)")
        try connection.query("DELETE FROM entry_indicators WHERE entry_id = \(id)")
        try connection.query("DELETE FROM entry_procurement WHERE entry_id = \(id)")
        try insertChildren(draft, entry: id, on: connection)
        return version
    }

    /// Children as one INSERT per table, each column bound as an array.
    static func insertChildren(_ draft: EntryDraft, entry id: UUID, on connection: PostgresConnection) throws {
        if !draft.items.isEmpty {
            try connection.query("""
                INSERT INTO entry_items (entry_id, position, econ, amount)
                SELECT \(id), t.ord - 1, t.econ, t.amount
                FROM unnest(\(PostgresArray(draft.items.map(\.econ)))::text[],
                            \(PostgresArray(draft.items.map(\.amount)))::numeric[]) WITH ORDINALITY AS t(econ, amount, ord)
                """)
        }
        if !draft.indicators.isEmpty {
            let i = draft.indicators
            try connection.query("""
                INSERT INTO entry_indicators (entry_id, position, l1, l2, l3, descr, value, basis)
                SELECT \(id), t.ord - 1, t.l1, t.l2, t.l3, t.descr, t.value, t.basis
                FROM unnest(\(PostgresArray(i.map(\.l1)))::text[], \(PostgresArray(i.map(\.l2)))::text[],
                            \(PostgresArray(i.map(\.l3)))::text[], \(PostgresArray(i.map(\.desc)))::text[],
                            \(PostgresArray(i.map(\.value)))::text[], \(PostgresArray(i.map(\.basis)))::text[])
                     WITH ORDINALITY AS t(l1, l2, l3, descr, value, basis, ord)
                """)
        }
        if !draft.procurement.isEmpty {
            let p = draft.procurement
            try connection.query("""
                INSERT INTO entry_procurement (entry_id, position, item, catalog, unit, quantity, price, amount)
                SELECT \(id), t.ord - 1, t.item, t.catalog, t.unit, t.quantity, t.price, t.amount
                FROM unnest(\(PostgresArray(p.map(\.item)))::text[], \(PostgresArray(p.map(\.catalog)))::text[],
                            \(PostgresArray(p.map(\.unit)))::text[], \(PostgresArray(p.map(\.quantity)))::numeric[],
                            \(PostgresArray(p.map(\.price)))::numeric[], \(PostgresArray(p.map(\.amount)))::numeric[])
                     WITH ORDINALITY AS t(item, catalog, unit, quantity, price, amount, ord)
                """)
        }
    }
}
