import ArgumentParser
import Workflow

/// `--year`, bounded as the API bounds it, so `--year 99999` is a usage error rather than a
/// control figure or a query for a year that cannot exist.
enum FiscalYearArgument {
    static func parse(_ text: String) throws -> Int {
        guard let year = Int(text), Validator.fiscalYears.contains(year) else {
            throw ValidationError(
                "year must be a fiscal year from \(Validator.fiscalYears.lowerBound) to \(Validator.fiscalYears.upperBound), not \(text.prefix(20))")
        }
        return year
    }
}
