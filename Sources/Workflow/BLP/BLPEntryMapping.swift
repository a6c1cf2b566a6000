import Foundation

/// BLP records ⇄ entry drafts and disclosure inputs (SPEC §5).
///
/// Decoding never stops at the first problem: every bad line of a batch is reported, and an entry
/// with any bad line (its own or a child's) is left out, so callers store nothing unless `errors`
/// is empty.
public enum BLPEntryMapping {
    /// One decoded `entry` record with its children.
    public struct DecodedEntry: Sendable, Hashable {
        public var draft: EntryDraft
        /// The line of the `entry` record.
        public var line: Int
    }

    public struct Decoded: Sendable, Hashable {
        public var entries: [DecodedEntry]
        public var errors: [BLPError]
        public var isValid: Bool { errors.isEmpty }
    }

    /// Decodes a parsed entries document. `unit`/`year` come from the request path; an `entry`
    /// whose own `unit=`/`year=` disagrees is an error.
    public static func decodeEntries(_ parsed: BLPParseResult, unit: String?, year: Int?) -> Decoded {
        var errors = parsed.errors
        var entries: [DecodedEntry] = []
        for group in parsed.groups where group.record.type == "entry" {
            var lineErrors: [BLPError] = []
            let draft = decodeEntry(group, unit: unit, year: year, errors: &lineErrors)
            if let draft, lineErrors.isEmpty {
                entries.append(DecodedEntry(draft: draft, line: group.record.line))
            }
            errors += lineErrors
        }
        errors.sort { ($0.line, $0.field ?? "") < ($1.line, $1.field ?? "") }
        return Decoded(entries: entries, errors: errors)
    }

    /// Parses and decodes in one step.
    public static func decodeEntries(_ bytes: some Sequence<UInt8>, unit: String?, year: Int?, limits: BLPLimits = .standard) -> Decoded {
        decodeEntries(BLPParser.parse(bytes, schema: .entries, limits: limits), unit: unit, year: year)
    }

    static func decodeEntry(_ group: BLPRecordGroup, unit: String?, year: Int?, errors: inout [BLPError]) -> EntryDraft? {
        let r = group.record
        func capture<T>(_ body: () throws(BLPError) -> T) -> T? {
            do { return try body() } catch {
                errors.append(error)
                return nil
            }
        }
        if let unit, let given = r["unit"], !given.isEmpty, given != unit {
            errors.append(r.error(.badValue, field: "unit", "unit \(given) disagrees with the request's unit \(unit)"))
        }
        if let year, let given = r["year"], !given.isEmpty, given != String(year) {
            errors.append(r.error(.badValue, field: "year", "year \(given) disagrees with the request's year \(year)"))
        }
        let code = capture { () throws(BLPError) in try r.required("code") }
        let name = capture { () throws(BLPError) in try r.required("name") }
        let kind = capture { () throws(BLPError) in
            try r.required("kind", expected: "personnel, operation or project") { EntryKind(rawValue: $0) }
        }
        let function = capture { () throws(BLPError) in try r.required("func") }
        var sources = FundingSources()
        for key in ["general", "fund", "state_capital", "special", "other"] {
            guard let amount = capture({ () throws(BLPError) in try money(r, key, required: false) }) ?? nil else { continue }
            switch key {
            case "general": sources.general = amount
            case "fund": sources.fund = amount
            case "state_capital": sources.stateCapital = amount
            case "special": sources.special = amount
            default: sources.other = amount
            }
        }
        var plan: [Percent] = []
        if let text = r["plan"], !text.isEmpty {
            do {
                plan = try text.split(separator: ",", omittingEmptySubsequences: false).map { part throws(MoneyError) in
                    try Percent.parse(String(part))
                }
            } catch {
                errors.append(r.error(.badValue, field: "plan", "bad plan \"\(text.prefix(40))\": expected four percentages like 30,60,90,100 (\(error.message))"))
            }
        }
        var items: [EntryItem] = []
        var indicators: [Indicator] = []
        var procurement: [ProcurementItem] = []
        for child in group.children {
            switch child.type {
            case "item":
                let econ = capture { () throws(BLPError) in try child.required("econ") }
                let amount = capture { () throws(BLPError) in try money(child, "amount", required: true) } ?? nil
                if let econ, let amount { items.append(EntryItem(econ: econ, amount: amount)) }
            case "indicator":
                let fields = ["l1", "l2", "l3", "value"].map { key in capture { () throws(BLPError) in try child.required(key) } }
                if case let values = fields.compactMap({ $0 }), values.count == 4 {
                    indicators.append(Indicator(
                        l1: values[0], l2: values[1], l3: values[2], desc: child["desc"] ?? "", value: values[3],
                        basis: child["basis"] ?? ""))
                }
            case "procurement":
                let item = capture { () throws(BLPError) in try child.required("item") }
                let catalog = capture { () throws(BLPError) in try child.required("catalog") }
                let unit = capture { () throws(BLPError) in try child.required("unit") }
                let quantity = capture { () throws(BLPError) -> Quantity in
                    let text = try child.required("qty")
                    do throws(MoneyError) { return try Quantity.parse(text) } catch {
                        throw child.error(.badValue, field: "qty", "bad qty \"\(text.prefix(40))\": \(error.message)")
                    }
                }
                let price = capture { () throws(BLPError) in try money(child, "price", required: true) } ?? nil
                if let item, let catalog, let unit, let quantity, let price {
                    procurement.append(ProcurementItem(item: item, catalog: catalog, unit: unit, quantity: quantity, price: price))
                }
            default:
                errors.append(child.error(.unknownRecordType, "\(child.type) cannot follow an entry"))
            }
        }
        guard let code, let name, let kind, let function else { return nil }
        return EntryDraft(
            code: code, name: name, kind: kind, functionCode: function, sources: sources, purpose: r["purpose"] ?? "",
            plan: plan, goals: r["goals"] ?? "", items: items, indicators: indicators, procurement: procurement)
    }

    /// An amount in yuan; a malformed one names what is wrong (third decimal, exponent, overflow…).
    static func money(_ record: BLPRecord, _ key: String, required: Bool) throws(BLPError) -> Money? {
        let text: String
        if required {
            text = try record.required(key)
        } else {
            guard let value = record[key], !value.isEmpty else { return nil }
            text = value
        }
        do {
            return try Money.parse(text)
        } catch {
            throw record.error(.badValue, field: key, "bad \(key) \"\(text.prefix(40))\": \(error.message)")
        }
    }

    // MARK: - Encoding

    /// The records of one entry: `entry` then its items, indicators and procurement.
    public static func records(for draft: EntryDraft, unit: String? = nil, year: Int? = nil) -> [BLPRecord] {
        var fields: [BLPField] = [
            BLPField("code", draft.code), BLPField("name", draft.name), BLPField("kind", draft.kind.rawValue),
            BLPField("func", draft.functionCode),
        ]
        for (key, amount) in draft.sources.named where amount != .zero || key == "general" {
            fields.append(BLPField(key, amount.description))
        }
        if !draft.plan.isEmpty { fields.append(BLPField("plan", draft.plan.map(\.description).joined(separator: ","))) }
        if !draft.purpose.isEmpty { fields.append(BLPField("purpose", draft.purpose)) }
        if !draft.goals.isEmpty { fields.append(BLPField("goals", draft.goals)) }
        if let unit { fields.append(BLPField("unit", unit)) }
        if let year { fields.append(BLPField("year", String(year))) }
        var records = [BLPRecord(type: "entry", fields: fields)]
        for item in draft.items {
            records.append(BLPRecord("item", ["econ": item.econ, "amount": item.amount.description]))
        }
        for indicator in draft.indicators {
            records.append(BLPRecord("indicator", [
                "l1": indicator.l1, "l2": indicator.l2, "l3": indicator.l3, "desc": indicator.desc,
                "value": indicator.value, "basis": indicator.basis,
            ]))
        }
        for line in draft.procurement {
            records.append(BLPRecord("procurement", [
                "item": line.item, "catalog": line.catalog, "unit": line.unit, "qty": line.quantity.description,
                "price": line.price.description,
            ]))
        }
        return records
    }

    /// A BLP document of drafts; import of it gives the same drafts back.
    public static func encode(_ drafts: some Sequence<EntryDraft>, unit: String? = nil, year: Int? = nil) throws(BLPWriteError) -> String {
        var out = ""
        for draft in drafts {
            out += try BLPWriter.document(records(for: draft, unit: unit, year: year))
        }
        return out
    }

    // MARK: - Disclosure inputs

    /// A department-year's baseline figures (previous year) and narrative sections.
    public struct DisclosureInputs: Sendable, Hashable {
        public var baseline: [String: Money] = [:]
        public var narrative: [String: String] = [:]
        public init(baseline: [String: Money] = [:], narrative: [String: String] = [:]) {
            self.baseline = baseline
            self.narrative = narrative
        }

        public static let baselineMetrics: Set<String> = [
            "total", "basic", "personnel", "operation", "project", "three_public.abroad",
            "three_public.vehicle_purchase", "three_public.vehicle_operation", "three_public.reception",
        ]
        public static let narrativeSections: Set<String> = [
            "duties", "change_reason", "performance_goals", "safeguards", "three_public_reason", "other",
        ]

        /// What is wrong with the values, one detail per metric or section: known names, baseline
        /// amounts from 0 to the entries' limit, narrative text within ``TextLimits/narrative``
        /// (no control characters but line breaks and tabs; NUL PostgreSQL could not store).
        public var problems: [ErrorDetail] {
            var details: [ErrorDetail] = []
            for (metric, amount) in baseline.sorted(by: { $0.key < $1.key }) {
                let field = "baseline." + metric
                if !Self.baselineMetrics.contains(metric) {
                    details.append(ErrorDetail(field: field, message: "unknown metric \(metric)"))
                } else if amount < .zero {
                    details.append(ErrorDetail(field: field, message: "the amount \(amount) is negative"))
                } else if amount > Validator.maxAmount {
                    details.append(ErrorDetail(field: field, message: "the amount \(amount) exceeds the limit of \(Validator.maxAmount) yuan"))
                }
            }
            for (section, text) in narrative.sorted(by: { $0.key < $1.key }) {
                let field = "narrative." + section
                if !Self.narrativeSections.contains(section) {
                    details.append(ErrorDetail(field: field, message: "unknown section \(section)"))
                } else if let problem = TextLimits.problem(text, field: field, TextLimits.narrative) {
                    details.append(ErrorDetail(field: field, message: problem))
                }
            }
            return details
        }
    }

    /// Decodes `baseline` and `narrative` records; a repeated metric or section is an error.
    public static func decodeDisclosureInputs(
        _ parsed: BLPParseResult, department: String?, year: Int?
    ) -> (inputs: DisclosureInputs, errors: [BLPError]) {
        var errors = parsed.errors
        var inputs = DisclosureInputs()
        var seen: [String: Int] = [:]
        for record in parsed.records {
            if let department, let given = record["department"], !given.isEmpty, given != department {
                errors.append(record.error(.badValue, field: "department", "department \(given) disagrees with \(department)"))
            }
            if let year, let given = record["year"], !given.isEmpty, given != String(year) {
                errors.append(record.error(.badValue, field: "year", "year \(given) disagrees with \(year)"))
            }
            do throws(BLPError) {
                switch record.type {
                case "baseline":
                    let metric = try record.required("metric")
                    guard DisclosureInputs.baselineMetrics.contains(metric) else {
                        throw record.error(.badValue, field: "metric", "unknown metric \(metric); one of \(DisclosureInputs.baselineMetrics.sorted().joined(separator: ", "))")
                    }
                    if let first = seen["baseline:" + metric] {
                        throw record.error(.badValue, field: "metric", "metric \(metric) repeats line \(first)")
                    }
                    seen["baseline:" + metric] = record.line
                    if let amount = try money(record, "amount", required: true) { inputs.baseline[metric] = amount }
                case "narrative":
                    let section = try record.required("section")
                    guard DisclosureInputs.narrativeSections.contains(section) else {
                        throw record.error(.badValue, field: "section", "unknown section \(section); one of \(DisclosureInputs.narrativeSections.sorted().joined(separator: ", "))")
                    }
                    if let first = seen["narrative:" + section] {
                        throw record.error(.badValue, field: "section", "section \(section) repeats line \(first)")
                    }
                    seen["narrative:" + section] = record.line
                    inputs.narrative[section] = try record.required("text")
                default:
                    throw record.error(.unknownRecordType, "unknown record type \(record.type)")
                }
            } catch {
                errors.append(error)
            }
        }
        errors.sort { ($0.line, $0.field ?? "") < ($1.line, $1.field ?? "") }
        return (inputs, errors)
    }
}
