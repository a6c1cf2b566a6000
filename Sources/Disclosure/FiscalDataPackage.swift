import Workflow

/// The descriptor (`datapackage.json`) of a disclosure's Fiscal Data Package.
enum FiscalDataPackage {
    static let linesPath = "budget-lines.csv"
    static let currency = "CNY"
    /// The model's budget phase in the Fiscal Data Package vocabulary (proposed, approved,
    /// adjusted, executed): published entries are the approved budget (已批复).
    static let phase = "approved"
    /// The `phase` column of every budget line: the workflow state of the entries it comes
    /// from, which is always `published` (a disclosure shows nothing else).
    static let linePhase = "published"

    /// The CSV's columns with their Table Schema types, in order.
    static let columns: [(name: String, type: String, title: String)] = [
        ("fiscal_year", "year", "预算年度"),
        ("department_code", "string", "主管部门编码"),
        ("department_name", "string", "主管部门"),
        ("unit_code", "string", "预算单位编码"),
        ("unit_name", "string", "预算单位"),
        ("entry_code", "string", "项目编码"),
        ("entry_name", "string", "项目名称"),
        ("kind", "string", "支出类型 (personnel 人员经费, operation 日常公用经费, project 项目支出)"),
        ("functional_code", "string", "支出功能分类"),
        ("economic_code", "string", "支出经济分类"),
        ("amount", "number", "金额（元）"),
        ("currency", "string", "币种"),
        ("phase", "string", "预算阶段"),
    ]

    /// A JSON value, so the descriptor is plain data with sorted keys.
    enum JSON: Encodable {
        case string(String)
        case number(Int)
        case array([JSON])
        case object([String: JSON])

        func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .string(let value): try container.encode(value)
            case .number(let value): try container.encode(value)
            case .array(let value): try container.encode(value)
            case .object(let value): try container.encode(value)
            }
        }
    }

    static func descriptor(_ disclosure: Disclosure) -> JSON {
        let year = disclosure.year
        return .object([
            "profile": .string("fiscal-data-package"),
            "name": .string(slug("budget-\(disclosure.department.code)-\(year)")),
            "title": .string(disclosure.title),
            "countryCode": .string("CN"),
            "granularity": .string("aggregated"),
            "fiscalPeriod": .object(["start": .string("\(year)-01-01"), "end": .string("\(year)-12-31")]),
            "resources": .array([.object([
                "name": .string("budget-lines"),
                "path": .string(linesPath),
                "profile": .string("tabular-data-resource"),
                "format": .string("csv"),
                "mediatype": .string("text/csv"),
                "encoding": .string("utf-8"),
                "schema": .object(["fields": .array(columns.map { column in
                    .object(["name": .string(column.name), "type": .string(column.type), "title": .string(column.title)])
                })]),
            ])]),
            "model": .object(["measures": measures, "dimensions": dimensions]),
        ])
    }

    private static let measures: JSON = .object([
        "amount": .object([
            "source": .string("amount"), "currency": .string(currency), "factor": .number(1),
            "direction": .string("expenditure"), "phase": .string(phase),
        ]),
    ])

    private static var dimensions: JSON {
        func attribute(_ source: String, labelFor: String? = nil) -> JSON {
            var fields: [String: JSON] = ["source": .string(source)]
            if let labelFor { fields["labelfor"] = .string(labelFor) }
            return .object(fields)
        }
        func classification(_ type: String, _ source: String) -> JSON {
            .object([
                "dimensionType": .string("classification"), "classificationType": .string(type),
                "attributes": .object(["code": attribute(source)]), "primaryKey": .array([.string("code")]),
            ])
        }
        return .object([
            // A classification has a `code` (FDP): the budget unit, under its department.
            "administrative-classification": .object([
                "dimensionType": .string("classification"), "classificationType": .string("administrative"),
                "attributes": .object([
                    "code": attribute("unit_code"),
                    "name": attribute("unit_name", labelFor: "code"),
                    "department_code": attribute("department_code"),
                    "department_name": attribute("department_name", labelFor: "department_code"),
                ]),
                "primaryKey": .array([.string("code")]),
            ]),
            "functional-classification": classification("functional", "functional_code"),
            "economic-classification": classification("economic", "economic_code"),
            "activity": .object([
                "dimensionType": .string("activity"),
                "attributes": .object([
                    "code": attribute("entry_code"), "name": attribute("entry_name", labelFor: "code"), "kind": attribute("kind"),
                ]),
                "primaryKey": .array([.string("code")]),
            ]),
            "date": .object([
                "dimensionType": .string("datetime"),
                "attributes": .object(["year": attribute("fiscal_year")]),
                "primaryKey": .array([.string("year")]),
            ]),
        ])
    }

    /// A Data Package name: lower case, and only `a-z 0-9 . _ - /`.
    static func slug(_ text: String) -> String {
        String(text.lowercased().map { character in
            character.isASCII && (character.isLetter || character.isNumber || "._-/".contains(character)) ? character : "-"
        })
    }
}
