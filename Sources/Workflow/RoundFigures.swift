/// Figures of one entry, or the totals of a unit-year, side by side by round: 一上 (frozen when
/// 一下 opened), 二上 (the live latest revision prepared in 二上) and 批复 (frozen at the finance
/// bureau's 批复). A figure that does not exist (yet) is absent.
public struct RoundFigures: Sendable, Hashable, Encodable {
    public var firstUp: Money?
    public var secondUp: Money?
    public var approved: Money?

    public init(firstUp: Money? = nil, secondUp: Money? = nil, approved: Money? = nil) {
        self.firstUp = firstUp
        self.secondUp = secondUp
        self.approved = approved
    }

    /// The latest figure (批复, else 二上) minus 一上; absent unless both exist.
    public var change: Money? {
        guard let firstUp, let latest = approved ?? secondUp else { return nil }
        return try? latest.subtracting(firstUp)
    }

    /// Whether any figure exists.
    public var isEmpty: Bool { firstUp == nil && secondUp == nil && approved == nil }

    enum CodingKeys: String, CodingKey {
        case firstUp = "一上"
        case secondUp = "二上"
        case approved = "批复"
        case change
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeIfPresent(firstUp, forKey: .firstUp)
        try container.encodeIfPresent(secondUp, forKey: .secondUp)
        try container.encodeIfPresent(approved, forKey: .approved)
        try container.encodeIfPresent(change, forKey: .change)
    }
}
