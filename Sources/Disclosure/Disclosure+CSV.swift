import Workflow

extension Disclosure {
    /// UTF-8's byte-order mark, for CSV downloads meant for a spreadsheet (Excel reads a CSV
    /// without it in the system's legacy code page and garbles Chinese). The renderings have none.
    public static let csvByteOrderMark: [UInt8] = CSVText.byteOrderMark

    /// One CSV file per table, by file name: `organizations.csv`, `income.csv`, `expenditure.csv`,
    /// `operating_costs.csv`, `three_public.csv`, `projects.csv`, `indicators.csv`,
    /// `procurement.csv`. RFC 4180 (CRLF, quoted where needed), UTF-8 without byte-order mark;
    /// amounts in 万元 with two decimals as in the JSON; an unknown figure is an empty field; a
    /// text a spreadsheet would take for a formula starts with `'` (see ``CSVText``).
    public func renderCSV() -> [String: String] {
        [
            "organizations.csv": CSVText.document(
                header: ["seq", "code", "name", "nature", "level", "funding"],
                rows: organizations.enumerated().map { index, row in
                    [String(index + 1), row.code, row.name, row.nature, row.level, row.funding]
                }),
            "income.csv": CSVText.document(
                header: ["key", "label", "amount"],
                rows: incomeRows.map { [$0.key, $0.label, $0.value.description] }),
            "expenditure.csv": CSVText.document(
                header: ["key", "label", "current", "previous", "change"],
                rows: expenditureRows.map {
                    [$0.key, $0.label, $0.current.description, Self.field($0.previous), Self.field($0.change)]
                }),
            "operating_costs.csv": CSVText.document(
                header: ["key", "label", "amount"],
                rows: operatingCostRows.map { [$0.key, $0.label, $0.value.description] }),
            "three_public.csv": CSVText.document(
                header: ["key", "label", "previous", "current", "change", "reason"],
                rows: threePublicRows.map {
                    [$0.key, $0.label, Self.field($0.previous), $0.current.description, Self.field($0.change), threePublic.reason]
                }),
            "projects.csv": CSVText.document(
                header: ["code", "name", "unit_code", "unit_name", "amount", "fiscal", "other", "purpose",
                         "plan_march", "plan_june", "plan_october", "plan_december", "goals"],
                rows: projects.map { project in
                    let plan = (0..<Self.planHeadings.count).map { $0 < project.plan.count ? project.plan[$0].description : "" }
                    return [project.code, project.name, project.unitCode, project.unitName, project.amount.description,
                            project.fiscal.description, project.other.description, project.purpose]
                        + plan + [project.goals]
                }),
            "indicators.csv": CSVText.document(
                header: ["project_code", "seq", "l1", "l2", "l3", "desc", "value", "basis"],
                rows: projects.flatMap { project in
                    project.indicators.enumerated().map { index, indicator in
                        [project.code, String(index + 1), indicator.l1, indicator.l2, indicator.l3,
                         indicator.desc, indicator.value, indicator.basis]
                    }
                }),
            "procurement.csv": CSVText.document(
                header: ["unit_code", "entry_code", "entry_name", "entry_amount", "item", "catalog", "unit",
                         "quantity", "price", "amount"],
                rows: procurement.items.map { line in
                    [line.unitCode, line.entryCode, line.entryName, line.entryAmount.description, line.item,
                     line.catalog, line.unit, line.quantity.description, line.price.description, line.amount.description]
                }),
        ]
    }

    private static func field(_ value: WanYuan?) -> String {
        value?.description ?? ""
    }
}
