/// The unit and year a request says an entry belongs to (a `unit=`/`year=` sent along with it),
/// judged against where the entry really is: any disagreement refuses the request.
public struct ClaimedPlace: Sendable, Hashable {
    public var unit: String?
    public var year: Int?

    public init(unit: String? = nil, year: Int? = nil) {
        self.unit = unit
        self.year = year
    }

    /// One detail per claim that disagrees with `unit`/`year`; `what` names whose they are
    /// ("the request's", "the entry's"). An empty unit claims nothing.
    public func disagreements(unit: String?, year: Int?, what: String) -> [ErrorDetail] {
        var details: [ErrorDetail] = []
        if let given = self.unit, !given.isEmpty, let unit, given != unit {
            details.append(ErrorDetail(field: "unit", message: "unit \(given.prefix(40)) disagrees with \(what) unit \(unit)"))
        }
        if let given = self.year, let year, given != year {
            details.append(ErrorDetail(field: "year", message: "year \(given) disagrees with \(what) year \(year)"))
        }
        return details
    }
}
