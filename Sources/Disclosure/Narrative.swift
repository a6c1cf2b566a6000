import Workflow

/// A text section of the disclosure (the BLP `narrative section=` values, SPEC §5).
public enum NarrativeSection: String, Sendable, Hashable, Codable, CaseIterable {
    /// 部门职责.
    case duties
    /// 比上年增减情况的原因.
    case changeReason = "change_reason"
    /// 部门整体绩效目标.
    case performanceGoals = "performance_goals"
    /// 工作保障措施.
    case safeguards
    /// “三公”经费变化原因.
    case threePublicReason = "three_public_reason"
    /// 其他需说明的事项 (may carry its own 第…部分 headings, e.g. 国有资产信息, 名词解释).
    case other
}

/// The disclosure's written sections for a department-year, verbatim; lines are separated by `\n`.
public struct Narrative: Sendable, Hashable {
    /// The texts that were written; a missing section is empty.
    public var texts: [NarrativeSection: String]

    /// A narrative of the given sections.
    public init(_ texts: [NarrativeSection: String] = [:]) {
        self.texts = texts
    }

    /// The text of `section`, `""` when none was written.
    public subscript(section: NarrativeSection) -> String {
        get { texts[section] ?? "" }
        set { texts[section] = newValue }
    }
}

extension Narrative: Codable {
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Reads an object keyed by section name; missing sections are empty, unknown keys are ignored.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        var texts: [NarrativeSection: String] = [:]
        for section in NarrativeSection.allCases {
            if let text = try container.decodeIfPresent(String.self, forKey: Key(stringValue: section.rawValue)) {
                texts[section] = text
            }
        }
        self.texts = texts
    }

    /// Writes every section (empty ones as `""`), so the JSON always has the same keys.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for section in NarrativeSection.allCases {
            try container.encode(self[section], forKey: Key(stringValue: section.rawValue))
        }
    }
}
