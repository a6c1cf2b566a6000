/// The rounds of a budget year (二上二下), in order.
///
/// - 一上: units submit their proposals; department and finance bureau review them.
/// - 一下: the finance bureau hands control figures (控制数) down to departments, which allocate them to units.
/// - 二上: units submit detailed budgets within their control figures; the five entry states run again.
/// - 二下: after the people's congress, the 批复 (finance bureau → department → units) and publication.
public enum BudgetRound: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case firstUp = "一上"
    case firstDown = "一下"
    case secondUp = "二上"
    case secondDown = "二下"

    /// Whether units create and submit entries in this round's window.
    public var preparesEntries: Bool {
        switch self {
        case .firstUp, .secondUp: true
        case .firstDown, .secondDown: false
        }
    }

    /// ASCII names for terminals and scripts without Chinese input.
    public var asciiName: String {
        switch self {
        case .firstUp: "one-up"
        case .firstDown: "one-down"
        case .secondUp: "two-up"
        case .secondDown: "two-down"
        }
    }

    /// The round named `text`: its Chinese name or its ASCII name.
    public init?(parsing text: String) {
        guard let round = Self.allCases.first(where: { $0.rawValue == text || $0.asciiName == text }) else { return nil }
        self = round
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
