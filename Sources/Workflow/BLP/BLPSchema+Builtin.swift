// The schemas of SPEC §5. Key lists are in the order an export writes them.
extension BLPSchema {
    /// Budget entries and their children (`POST …/entries`, `budgetctl import`/`export`).
    ///
    /// `entry` carries `unit`/`year` optionally: they normally come from the request path, and a
    /// value that disagrees with the path is the caller's error to report.
    public static let entries = BLPSchema([
        RecordType("entry", keys: [
            "code", "name", "kind", "func",
            "general", "fund", "state_capital", "special", "other",
            "plan", "purpose", "goals", "unit", "year",
        ]),
        RecordType("item", keys: ["econ", "amount"], parent: "entry"),
        RecordType("indicator", keys: ["l1", "l2", "l3", "desc", "value", "basis"], parent: "entry"),
        RecordType("procurement", keys: ["item", "catalog", "unit", "qty", "price"], parent: "entry"),
    ])

    /// A department-year's disclosure inputs (`POST …/disclosure-inputs`, `budgetctl import --department`).
    /// `department`/`year` are optional, like `unit`/`year` on entries.
    public static let disclosureInputs = BLPSchema([
        RecordType("baseline", keys: ["metric", "amount", "department", "year"]),
        RecordType("narrative", keys: ["section", "text", "department", "year"]),
    ])

    /// Response lines to BLP requests, for clients and tests: `ok line=1 code=… id=… state=draft
    /// version=2` and `error line=3 field=general code=bad_value reason="…"`.
    public static let responses = BLPSchema([
        RecordType("ok", keys: ["line", "code", "id", "state", "version", "revision"]),
        RecordType("error", keys: ["line", "field", "code", "reason"]),
        RecordType("warn", keys: ["line", "entry", "rule", "cell", "ceiling", "used", "amount", "excess"]),
    ])
}
