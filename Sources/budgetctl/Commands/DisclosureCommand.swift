import ArgumentParser
import Disclosure
import Foundation
import Persistence
import Workflow

/// `budgetctl disclosure --department D --year Y [--format html|md|json|csv] [-o FILE]`.
struct DisclosureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "disclosure",
        abstract: "Print a department-year's budget disclosure, built from published entries only.",
        discussion: """
            The same document as GET /public/v1/disclosures/YEAR/DEPT. html is a printable page, md \\
            Markdown, json the machine-readable figures (万元), csv the tables (with -o a folder, one \\
            file per table; without it, all tables one after another), datapackage a Fiscal Data \\
            Package (with -o a folder). No --as needed: it is public once published. CSV is UTF-8 \
            without byte-order mark (for scripts); --bom starts each CSV file with one, which Excel \
            needs to show Chinese (as the ?format=csv download has by default).

            Example:
              budgetctl disclosure --department 201 --year 2020 --format html -o disclosure.html
              budgetctl disclosure --department 201 --year 2020 --format csv -o disclosure-csv/ --bom
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case html, md, json, csv, datapackage
    }

    @Option(help: "The department's code.") var department: String
    @Option(help: "The fiscal year.", transform: FiscalYearArgument.parse) var year: Int
    @Option(help: "html, md, json, csv or datapackage.") var format: Format = .html
    @Option(name: [.customShort("o"), .long], help: "Write to this file (a folder for csv and datapackage).") var output: String?
    @Flag(help: "Start each CSV file with UTF-8's byte-order mark, for Excel (csv only).") var bom = false
    @OptionGroup var db: DatabaseOptions

    func run() async throws {
        try await reportingFailures {
            let disclosure = try await db.withSession(nil) { session in
                try await DisclosureService(pool: session.pool).disclosure(department: department, year: year)
            }
            switch format {
            case .html: try write(disclosure.renderHTML())
            case .md: try write(disclosure.renderMarkdown())
            case .json: try write(try disclosure.renderJSON(prettyPrinted: true) + "\n")
            case .csv: try writeFiles(disclosure.renderCSV(), prefix: bom ? Disclosure.csvByteOrderMark : [])
            case .datapackage: try writeFiles(try disclosure.renderFiscalDataPackage())
            }
        }
    }

    func write(_ text: String) throws {
        guard let output else {
            print(text, terminator: "")
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output))
        } catch {
            throw CLIError.usage("cannot write \(output): \(error.localizedDescription)")
        }
        FileHandle.standardError.write(Data("wrote \(output)\n".utf8))
    }

    func validate() throws {
        if bom, format != .csv { throw ValidationError("--bom applies to --format csv only") }
    }

    /// Each file into the folder `output`, each starting with `prefix`; without `-o`, one after
    /// another on standard output (there, a byte-order mark goes first, once).
    func writeFiles(_ files: [String: String], prefix: [UInt8] = []) throws {
        guard let output else {
            FileHandle.standardOutput.write(Data(prefix))
            for (name, text) in files.sorted(by: { $0.key < $1.key }) { print("# \(name)\n\(text)") }
            return
        }
        let folder = URL(fileURLWithPath: output)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for (name, text) in files {
                try Data(prefix + Array(text.utf8)).write(to: folder.appendingPathComponent(name))
            }
        } catch {
            throw CLIError.usage("cannot write into \(output): \(error.localizedDescription)")
        }
        FileHandle.standardError.write(Data("wrote \(files.count) files into \(output)\n".utf8))
    }
}
