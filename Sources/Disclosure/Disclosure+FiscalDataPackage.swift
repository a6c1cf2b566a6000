import Foundation
import Workflow

extension Disclosure {
    /// The budget lines as a Fiscal Data Package (Frictionless Data; OpenSpending's format):
    /// `datapackage.json` and `budget-lines.csv`, by file name.
    ///
    /// One row per item of every published entry (an entry without items is one row with an empty
    /// economic code), amounts in exact yuan, phase `published`, currency CNY. The model (whose
    /// measure has the FDP phase `approved`, the standard's word for an adopted budget) maps the
    /// administrative (department, unit), functional (支出功能分类) and economic (支出经济分类)
    /// classifications, the entry as the activity, and the fiscal year.
    public func renderFiscalDataPackage() throws -> [String: String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        let descriptor = String(decoding: try encoder.encode(FiscalDataPackage.descriptor(self)), as: UTF8.self)
        return [
            "datapackage.json": descriptor + "\n",
            FiscalDataPackage.linesPath: CSVText.document(
                header: FiscalDataPackage.columns.map(\.name),
                rows: budgetLines.map { line in
                    [String(year), department.code, department.name, line.unitCode, line.unitName, line.entryCode,
                     line.entryName, line.kind.rawValue, line.functionCode, line.econ, line.amount.yuanString,
                     FiscalDataPackage.currency, FiscalDataPackage.linePhase]
                }),
        ]
    }
}
