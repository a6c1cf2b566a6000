import ArgumentParser
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
            Package (with -o a folder). No --as needed: it is public once published.

            Example:
              budgetctl disclosure --department 201 --year 2020 --format html -o disclosure.html
              budgetctl disclosure --department 201 --year 2020 --format csv -o disclosure-csv/
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case html, md, json, csv, datapackage
    }

    @Option(help: "The department's code.") var department: String
    @Option(help: "The fiscal year.", transform: FiscalYearArgument.parse) var year: Int
    @Option(help: "html, md, json, csv or datapackage.") var format: Format = .html
    @Option(name: [.customShort("o"), .long], help: "Write to this file (a folder for csv and datapackage).") var output: String?
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
            case .csv: try writeFiles(disclosure.renderCSV())
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

    func writeFiles(_ files: [String: String]) throws {
        guard let output else {
            for (name, text) in files.sorted(by: { $0.key < $1.key }) { print("# \(name)\n\(text)") }
            return
        }
        let folder = URL(fileURLWithPath: output)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for (name, text) in files {
                try Data(text.utf8).write(to: folder.appendingPathComponent(name))
            }
        } catch {
            throw CLIError.usage("cannot write into \(output): \(error.localizedDescription)")
        }
        FileHandle.standardError.write(Data("wrote \(files.count) files into \(output)\n".utf8))
    }
}
