import Foundation

extension EntryDraft {
    /// What a `create` event records of a new draft: its identity, amounts and how many children
    /// it has, as pairs sorted by the key's UTF-8 bytes (the order the audit hash takes them in),
    /// built in that order rather than sorted.
    public var auditSummaryPairs: [(key: String, value: String)] {
        let s = sources
        var pairs: [(key: String, value: String)] = [("amount", amount.description), ("code", code), ("func", functionCode)]
        pairs.reserveCapacity(13)
        if s.fund != .zero { pairs.append(("fund", s.fund.description)) }
        if s.general != .zero { pairs.append(("general", s.general.description)) }
        if !indicators.isEmpty { pairs.append(("indicators", String(indicators.count))) }
        if !items.isEmpty { pairs.append(("items", String(items.count))) }
        pairs.append(("kind", kind.rawValue))
        pairs.append(("name", name))
        if s.other != .zero { pairs.append(("other", s.other.description)) }
        if !procurement.isEmpty { pairs.append(("procurement", String(procurement.count))) }
        if s.special != .zero { pairs.append(("special", s.special.description)) }
        if s.stateCapital != .zero { pairs.append(("state_capital", s.stateCapital.description)) }
        return pairs
    }

    /// ``auditSummaryPairs`` as the event's `changes`.
    public var auditSummary: [String: String] {
        Dictionary(uniqueKeysWithValues: auditSummaryPairs.map { ($0.key, $0.value) })
    }

    /// What an `edit` event records: the fields that differ from `self` in `new`, each with its
    /// new value as text (children by their count).
    public func auditChanges(to new: EntryDraft) -> [String: String] {
        var changes: [String: String] = [:]
        func compare(_ field: String, _ a: String, _ b: String) { if a != b { changes[field] = b } }
        compare("name", name, new.name)
        compare("kind", kind.rawValue, new.kind.rawValue)
        compare("func", functionCode, new.functionCode)
        for ((field, a), (_, b)) in zip(sources.named, new.sources.named) { compare(field, a.description, b.description) }
        compare("amount", amount.description, new.amount.description)
        compare("plan", plan.map(\.description).joined(separator: ","), new.plan.map(\.description).joined(separator: ","))
        compare("purpose", purpose, new.purpose)
        compare("goals", goals, new.goals)
        if items != new.items { changes["items"] = String(new.items.count) }
        if indicators != new.indicators { changes["indicators"] = String(new.indicators.count) }
        if procurement != new.procurement { changes["procurement"] = String(new.procurement.count) }
        return changes
    }
}
