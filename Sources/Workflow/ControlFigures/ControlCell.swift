import Foundation

/// One cell of a control-figure sheet (控制数): a ceiling by kind, by funding source, for one
/// category of 三公经费, or the total. The raw value is the cell's name on the wire and in the
/// database (`kind:project`, `funding:general`, `sangong:reception`, `total`).
public enum ControlCell: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case personnel = "kind:personnel"
    case operation = "kind:operation"
    case project = "kind:project"
    case general = "funding:general"
    case fund = "funding:fund"
    case stateCapital = "funding:state_capital"
    case special = "funding:special"
    case other = "funding:other"
    /// 因公出国（境）费用, economic code 30212.
    case abroad = "sangong:abroad"
    /// 公务用车购置, 31013.
    case vehiclePurchase = "sangong:vehicle_purchase"
    /// 公务用车运行维护费, 30231.
    case vehicleOperation = "sangong:vehicle_operation"
    /// 公务接待费, 30217.
    case reception = "sangong:reception"
    case total

    /// Sheets list cells in declaration order.
    public static func < (a: ControlCell, b: ControlCell) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The economic code whose items a 三公 cell sums; nil for the other cells.
    public var sangongEcon: String? {
        switch self {
        case .abroad: "30212"
        case .vehiclePurchase: "31013"
        case .vehicleOperation: "30231"
        case .reception: "30217"
        case .personnel, .operation, .project, .general, .fund, .stateCapital, .special, .other, .total: nil
        }
    }

    /// The 三公 cells.
    public static let sangong: [ControlCell] = allCases.filter { $0.sangongEcon != nil }

    /// What one entry adds to each cell: its amount to its kind and to the total, each funding
    /// source to its cell, its items of a 三公 economic code to that cell. Cells it adds nothing
    /// to are absent. Saturating: an out-of-range entry is V1's to refuse.
    public static func contribution(of draft: EntryDraft) -> [ControlCell: Money] {
        var cells: [ControlCell: Money] = [:]
        func add(_ cell: ControlCell, _ amount: Money) {
            guard amount != .zero else { return }
            cells[cell] = (cells[cell] ?? .zero).saturatingAdding(amount)
        }
        let amount = draft.sources.total
        switch draft.kind {
        case .personnel: add(.personnel, amount)
        case .operation: add(.operation, amount)
        case .project: add(.project, amount)
        }
        add(.total, amount)
        add(.general, draft.sources.general)
        add(.fund, draft.sources.fund)
        add(.stateCapital, draft.sources.stateCapital)
        add(.special, draft.sources.special)
        add(.other, draft.sources.other)
        for item in draft.items {
            if let cell = sangong.first(where: { $0.sangongEcon == item.econ }) { add(cell, item.amount) }
        }
        return cells
    }

    /// Parses `cell=amount` assignments (`kind:project=1774200.00`), as the CLI's `--cell` takes
    /// them: an unknown cell, a cell named twice, or an amount that is not a decimal of at most
    /// two places is refused naming the field. Ranges are the commands' to check.
    public static func parseAssignments(_ texts: [String]) throws(WorkflowError) -> [ControlCell: Money] {
        var cells: [ControlCell: Money] = [:]
        var problems: [ErrorDetail] = []
        for text in texts {
            guard let equals = text.firstIndex(of: "=") else {
                problems.append(ErrorDetail(field: "cell", message: "expected CELL=AMOUNT (e.g. kind:project=1774200.00), got \(JSONString.quoted(text))"))
                continue
            }
            let name = String(text[..<equals]), value = String(text[text.index(after: equals)...])
            guard let cell = ControlCell(rawValue: name) else {
                problems.append(ErrorDetail(field: "cell", message: "unknown cell \(JSONString.quoted(name)); cells are "
                    + allCases.map(\.rawValue).joined(separator: ", ")))
                continue
            }
            guard cells[cell] == nil else {
                problems.append(ErrorDetail(field: cell.rawValue, message: "cell \(cell.rawValue) is given twice"))
                continue
            }
            do {
                cells[cell] = try Money.parse(value)
            } catch {
                problems.append(ErrorDetail(field: cell.rawValue, message: "\(JSONString.quoted(value)) is not an amount in yuan with at most two decimals"))
            }
        }
        if let first = problems.first { throw .invalidInput(first.message, details: problems) }
        return cells
    }

    /// Refuses a figure below zero or above ``Validator/maxAmount``, naming the cell.
    static func checkRange(_ cells: [ControlCell: Money]) throws(WorkflowError) {
        var problems: [ErrorDetail] = []
        for (cell, amount) in cells.sorted(by: { $0.key < $1.key }) {
            if amount < .zero {
                problems.append(ErrorDetail(field: cell.rawValue, message: "a control figure cannot be negative (\(amount))"))
            } else if amount > Validator.maxAmount {
                problems.append(ErrorDetail(field: cell.rawValue, message: "a control figure cannot exceed \(Validator.maxAmount) yuan (\(amount))"))
            }
        }
        if let first = problems.first { throw .invalidInput(first.message, details: problems) }
    }
}
