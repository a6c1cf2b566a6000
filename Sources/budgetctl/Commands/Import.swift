import ArgumentParser
import Disclosure
import Foundation
import Persistence
import Workflow

/// `budgetctl import FILE --unit U --year Y`: a BLP/1 batch of entries, all or nothing.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import a BLP/1 file of entries into a unit-year as drafts, all or nothing (officer of the unit).",
        discussion: """
            Each `entry` (with its item, indicator and procurement lines) creates a draft, or replaces \
            the draft with the same code. Nothing is stored unless every line is good; otherwise every \
            bad line is listed as `line N field F: reason` and the exit code is 1. FILE "-" reads stdin.

            With --department D, the file holds a department-year's disclosure inputs instead: \
            `baseline metric=… amount=…` and `narrative section=… text="…"` records (the department's \
            reviewer or the finance bureau).

            Example:
              budgetctl import --as officer-201002 sql/sample/201002-2020.blp \\
                  --unit 201002 --year 2020
              budgetctl export --as finance --unit 201002 --year 2020 |
                  budgetctl import --as officer-201002 - --unit 201002 --year 2020
              budgetctl import --as finance sql/sample/201-2020-disclosure.blp --department 201 --year 2020
            """
    )

    /// What a file is imported into. Disclosure inputs (`--department D --year Y`, baseline and
    /// narrative records) become a second case here, with their own schema and service call.
    enum Target {
        case unit(String)
        case department(String)

        var schema: BLPSchema {
            switch self {
            case .unit: .entries
            case .department: .disclosureInputs
            }
        }
    }

    @Argument(help: "The BLP/1 file, or - for standard input.") var file: String
    @Option(help: "The unit the entries belong to.") var unit: String?
    @Option(help: "The department whose disclosure inputs (baseline, narrative) the file holds.") var department: String?
    @Option(help: "The fiscal year.", transform: FiscalYearArgument.parse) var year: Int

    @OptionGroup var db: DatabaseOptions
    @OptionGroup var identity: IdentityOptions
    @OptionGroup var output: OutputOptions

    var target: Target? { unit.map(Target.unit) ?? department.map(Target.department) }

    /// Larger than one HTTP request's limits: a whole unit-year, or more, from a file.
    static let limits = BLPLimits(maxLineBytes: 65_536, maxRecords: 1_000_000, maxErrors: 1_000)

    func validate() throws {
        try output.require([.table, .json, .blp])
        guard target != nil else { throw ValidationError("say where the file goes: --unit U --year Y, or --department D --year Y") }
        guard unit == nil || department == nil else { throw ValidationError("give --unit or --department, not both") }
    }

    func run() async throws {
        try await reportingFailures {
            let parsed = try Self.parse(file, schema: target!.schema)
            switch target! {
            case .unit(let unit):
                try await importEntries(parsed, unit: unit)
            case .department(let department):
                try await importDisclosureInputs(parsed, department: department)
            }
        }
    }

    func importEntries(_ parsed: BLPParseResult, unit: String) async throws {
        let decoded = BLPEntryMapping.decodeEntries(parsed, unit: unit, year: year)
        guard decoded.isValid else {
            let lines = Set(decoded.errors.map(\.line)).count
            throw WorkflowError.invalidInput(
                "\(Self.name(file)) has \(lines) bad line\(lines == 1 ? "" : "s"); nothing was stored",
                details: decoded.errors.map { ErrorDetail(line: $0.line, field: $0.field, message: $0.reason) })
        }
        guard !decoded.entries.isEmpty else {
            throw WorkflowError.invalidInput("\(Self.name(file)) has no entry records; nothing was stored")
        }
        let inputs = decoded.entries.map { EntryService.DraftInput(draft: $0.draft, line: $0.line) }
        let saved = try await db.withSession(identity) { session in
            let caller = try await session.caller(for: "import")
            return try await ProgressLine.ticking("storing \(inputs.count) entries…") {
                try await session.entries.saveDrafts(inputs, unit: unit, year: year, by: caller)
            }
        }
        switch output.format {
        case .json: try Output.printJSON(saved.map(EntryDocument.Saved.init))
        case .blp:
            print(BLPResponseLine.document(saved.flatMap { saved -> [BLPResponseLine] in
                [.ok(line: saved.line, code: saved.entry.content.code, id: saved.entry.id.uuidString.lowercased(),
                     state: saved.entry.state.rawValue, version: saved.entry.version)]
                    + saved.warnings.map { .warn(line: saved.line, entry: saved.entry.content.code, $0) }
            }), terminator: "")
        case .table:
            let created = saved.filter(\.created).count
            print("imported \(saved.count) entries into unit \(unit) for \(year): \(created) created, \(saved.count - created) drafts replaced")
            var table = TextTable([.init("line", .right), .init("code"), .init("name"), .init("kind"), .init("result"),
                                   .init("version", .right), .init("amount (yuan)", .right)])
            for s in saved {
                table.add([s.line.map(String.init) ?? "", s.entry.content.code, s.entry.content.name, s.entry.content.kind.rawValue,
                           s.created ? "created" : "replaced", String(s.entry.version), s.entry.content.amount.groupedYuan])
            }
            print(table.render())
            for s in saved {
                for warning in s.warnings {
                    print("warning: line \(s.line.map(String.init) ?? "?") \(s.entry.content.code): \(warning.message) (V7; submit will be refused)")
                }
            }
        }
    }

    func importDisclosureInputs(_ parsed: BLPParseResult, department: String) async throws {
        let decoded = BLPEntryMapping.decodeDisclosureInputs(parsed, department: department, year: year)
        guard decoded.errors.isEmpty else {
            let lines = Set(decoded.errors.map(\.line)).count
            throw WorkflowError.invalidInput(
                "\(Self.name(file)) has \(lines) bad line\(lines == 1 ? "" : "s"); nothing was stored",
                details: decoded.errors.map { ErrorDetail(line: $0.line, field: $0.field, message: $0.reason) })
        }
        let saved = try await db.withSession(identity) { session in
            let caller = try await session.caller(for: "import")
            return try await DisclosureService(pool: session.pool).saveInputs(decoded.inputs, department: department, year: year, by: caller)
        }
        switch output.format {
        case .json: try Output.printJSON(["baseline": saved.baseline, "narrative": saved.narrative])
        case .blp: print(BLPResponseLine.document([.ok(line: nil, code: "\(saved.baseline) baseline, \(saved.narrative) narrative")]), terminator: "")
        case .table:
            print("stored disclosure inputs of department \(department) for \(year): \(saved.baseline) baseline figures, \(saved.narrative) narrative sections")
            if let publication = saved.publication {
                print("""
                    the public disclosure keeps the inputs of publication \(publication) until the finance bureau \
                    publishes again (budgetctl publish --department \(department) --year \(year))
                    """)
            }
        }
    }

    static func name(_ file: String) -> String { file == "-" ? "standard input" : file }

    /// Reads and parses the file chunk by chunk, showing how far it got on a terminal.
    static func parse(_ file: String, schema: BLPSchema) throws -> BLPParseResult {
        let handle: FileHandle
        var total: UInt64?
        if file == "-" {
            handle = FileHandle.standardInput
        } else {
            guard let opened = FileHandle(forReadingAtPath: file) else {
                throw CLIError.usage("cannot read \(file): no such file or not readable")
            }
            handle = opened
            total = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.uint64Value
        }
        defer { if file != "-" { try? handle.close() } }
        var parser = BLPParser(schema: schema, limits: limits)
        let progress = ProgressLine()
        var read: UInt64 = 0
        while true {
            let chunk: Data?
            do {
                chunk = try handle.read(upToCount: 1 << 20)
            } catch {
                throw CLIError.usage("cannot read \(name(file)): \(error.localizedDescription)")
            }
            guard let chunk, !chunk.isEmpty else { break }
            parser.consume(chunk)
            read += UInt64(chunk.count)
            if let total, total > 0 {
                progress.update("reading \(name(file)): \(read * 100 / total)% of \(total / 1024) KiB")
            } else {
                progress.update("reading \(name(file)): \(read / 1024) KiB")
            }
        }
        progress.finish()
        return parser.finish()
    }
}
