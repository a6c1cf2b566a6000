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

    /// Read-only views of a budget year (SPEC §5), answered to `Accept: text/plain`: the calendar
    /// (`GET /v1/years/{year}`: one `year` line, then a `round` line per round), control-figure
    /// sheets (a `control` line per cell), the 批复 document (one `approval` line, then
    /// `approval_total` lines by unit, kind, funding and project) and running clocks (`deadline`).
    /// Money in yuan with two decimals; a key without a value (no ceiling, not closed) is left out.
    public static let budgetYear = BLPSchema([
        RecordType("year", keys: ["year", "managed", "today", "entry_round"]),
        RecordType("round", keys: ["year", "round", "opens_on", "closes_on", "closed_at", "state", "opened_by", "opened_at", "version"]),
        RecordType("control", keys: ["level", "holder", "year", "cell", "ceiling", "allocated", "used", "remaining"]),
        RecordType("approval", keys: [
            "department", "department_name", "year", "number", "congress_date", "approved_at", "approved_by", "total",
            "units_number", "units_approved_at", "units_approved_by",
        ]),
        RecordType("approval_total", keys: ["by", "key", "name", "unit", "amount", "personnel", "operation", "project"]),
        RecordType("deadline", keys: ["clock", "department", "year", "started_on", "due_on", "days_left"]),
    ])
}
