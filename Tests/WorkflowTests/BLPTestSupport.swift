import Workflow
import WorkflowFixtures

/// SplitMix64: a tiny seeded generator so randomized BLP tests replay exactly.
struct BLPTestRNG: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Shared BLP fixtures.
enum BLPFixtures {
    /// The SPEC §5 entry example, verbatim.
    static let specEntries = """
        entry code=201-0502-JBN-E5EL name="督查调研所需经费" kind=project func=2013102 general=150000.00 plan=30,60,90,100 purpose="该项目用于2020年课题调研支出的公车运行维护费及差旅费" goals="…"
        item econ=30231 amount=50000.00
        indicator l1=产出指标 l2=时效指标 l3=完成率 desc="重大决策部署落实的调研工作完成率" value="≥95百分比" basis=依据部门职责
        procurement item=台式计算机 catalog=A02010104 unit=台 qty=6 price=5000.00

        """

    /// The SPEC §5 disclosure-input examples (the records; the `; …` annotations are the spec's prose).
    static let specDisclosureInputs = """
        baseline metric=total amount=8732900.00
        narrative section=change_reason text="主要原因是机构改革档案馆调入，基本支出增加"

        """

    /// A valid document of several entries, used as a seed for mutation.
    static let entriesDocument = """
        # 2020 区委办（行政）
        entry code=201-0502-JBN-E5EL name="督查调研所需经费" kind=project func=2013102 general=150000.00 plan=30,60,90,100 purpose="该项目用于2020年课题调研支出的公车运行维护费及差旅费" goals="完成调研\\n提交报告"
        item econ=30231 amount=50000.00
        item econ=30211 amount=100000.00
        indicator l1=产出指标 l2=时效指标 l3=完成率 desc="重大决策部署落实的调研工作完成率" value="≥95百分比" basis=依据部门职责
        indicator l1=效益指标 l2=社会效益指标 l3=满意度 desc="服务对象满意率" value="≥90百分比" basis="历史\\t标准"
        procurement item=台式计算机 catalog=A02010104 unit=台 qty=6 price=5000.00

        entry code=201-0502-JBN-0001 name=办公费 kind=operation func=2013101 general=51000.00 fund=0 other="" year=2020 unit=201002
        item econ=30201 amount=51000.00

        """

    static func parseEntries(_ text: String, limits: BLPLimits = .standard) -> BLPParseResult {
        BLPParser.parse(text, schema: .entries, limits: limits)
    }
}
