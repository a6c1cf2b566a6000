/// A performance indicator (绩效指标) of a project, as written in its 绩效目标表.
public struct Indicator: Sendable, Hashable, Codable {
    /// 一级指标, e.g. `"产出指标"`, `"效果指标"`, `"效益指标"`, `"满意度指标"`.
    public var l1: String
    /// 二级指标, e.g. `"时效指标"`.
    public var l2: String
    /// 三级指标, e.g. `"完成率"`.
    public var l3: String
    /// 绩效指标描述.
    public var desc: String
    /// 指标值 as written, e.g. `"≥95百分比"`, `"≥3篇"`, `"100百分比"`.
    public var value: String
    /// 指标值确定依据, e.g. `"依据部门职责"`.
    public var basis: String

    /// An indicator, each field as written in the table.
    public init(l1: String, l2: String, l3: String, desc: String, value: String, basis: String) {
        self.l1 = l1
        self.l2 = l2
        self.l3 = l3
        self.desc = desc
        self.value = value
        self.basis = basis
    }

    /// The 一级指标 an output indicator has (rule V4).
    public static let outputLevel = "产出指标"
    /// The 一级指标 values that count as an outcome indicator (rule V4): 效果, 效益 (the reference
    /// writes both) and 满意度.
    public static let outcomeLevels: Set<String> = ["效果指标", "效益指标", "满意度指标"]
}
