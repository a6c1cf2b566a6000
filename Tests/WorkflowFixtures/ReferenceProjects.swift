import Workflow

/// The six project performance tables (预算项目绩效目标表) of the reference document
/// (中共保定市徐水区委办公室 2020年部门预算公开说明, unit 201002 区委办（行政）), transcribed as drafts.
///
/// Transcription notes:
/// - Amounts are the tables' 万元 figures in yuan (15.00万元 = 150000.00); all of it is 财政资金,
///   so it sits in `general` (一般公共预算拨款, the only income source the document reports).
/// - An empty 一级指标 cell continues the one above (merged cells in the original table).
/// - The functional classification is not published per project; 2013102 (党委办公厅（室）及相关
///   机构事务 / 一般行政管理事务) is the SPEC's example and is used for all six.
/// - Items (明细) are not published per project either. Only the two whose economic classification
///   is evident carry items: 公务接待费 is all 30217; 督查调研所需经费 (公车运行维护费及差旅费) is split
///   30231 100000.00 + 30211 50000.00, the split that makes the document's 三公经费 公务用车运行
///   34.00万元 = 24.00 (机关运行经费) + 10.00 (this project).
/// - Procurement lines are those of the 政府采购预算表 that name 综合事务管理.
public enum ReferenceProjects {
    public static let unitCode = "201002"
    public static let departmentCode = "201"
    public static let year = 2020

    /// 1、督查调研所需经费.
    public static let supervisionResearch = EntryDraft(
        code: "201-0502-JBN-E5EL",
        name: "督查调研所需经费",
        kind: .project,
        functionCode: "2013102",
        sources: FundingSources(general: yuan("150000.00")),
        purpose: "该项目用于2020年课题调研支出的公车运行维护费及差旅费",
        plan: plan(30, 60, 90, 100),
        goals: "1、通过调研课题就党和政府关注的问题，提出客观、有价值、有分量、有影响的意见建议，促进决策民主化和科学化。\n2、领导对于调研结果的满意度",
        items: [
            EntryItem(econ: "30231", amount: yuan("100000.00")),
            EntryItem(econ: "30211", amount: yuan("50000.00")),
        ],
        indicators: [
            Indicator(l1: "产出指标", l2: "时效指标", l3: "完成率", desc: "重大决策部署落实的调研工作完成率", value: "≥95百分比", basis: "依据部门职责"),
            Indicator(l1: "产出指标", l2: "时效指标", l3: "完成率", desc: "督查督办案件按时办结率", value: "≥90百分比", basis: "依据部门职责"),
            Indicator(l1: "满意度指标", l2: "服务对象满意度指标", l3: "领导对于调研结果满意度", desc: "被采纳的意见建议数量占总数量的比率", value: "≥80百分比", basis: "依据部门职责"),
        ]
    )

    /// 2、高清视频会议系统维护租赁费.
    public static let videoConference = EntryDraft(
        code: "201-0402-JBN-2ZGZ",
        name: "高清视频会议系统维护租赁费",
        kind: .project,
        functionCode: "2013102",
        sources: FundingSources(general: yuan("22800.00")),
        purpose: "该项目用于支付联通、移动公司的视频会议专线网络租赁费。",
        plan: plan(30, 60, 90, 100),
        goals: "1、保证各网络的通畅，高效，确保相关工作的顺利完成。\n2、参会人员对于视频会议的比较满意",
        indicators: [
            Indicator(l1: "产出指标", l2: "质量指标", l3: "网络的畅通率", desc: "网络畅通的天数占全年天数的比率", value: "≥95百分比", basis: "保办明发【2013】91号"),
            Indicator(l1: "产出指标", l2: "时效指标", l3: "完成率", desc: "视频会议能够在规定时限内完整、流畅进行的比率", value: "≥98百分比", basis: "保办明发【2013】91号"),
            Indicator(l1: "满意度指标", l2: "服务对象满意度指标", l3: "参会人员对于视频会议质量满意度", desc: "参会人员对全年进行的视频会议的顺畅度、画面清晰度满意程度", value: "≥98百分比", basis: "保办明发【2013】91号"),
        ]
    )

    /// 3、公务接待费.
    public static let officialReception = EntryDraft(
        code: "201-0403-JBN-TH71",
        name: "公务接待费",
        kind: .project,
        functionCode: "2013102",
        sources: FundingSources(general: yuan("150000.00")),
        purpose: "用于2020年度党部门领导和兄弟区市区党委领导同志以及办公厅系统的接待服务工作，负责区领导交办人其他接待任务。",
        plan: plan(30, 60, 90, 100),
        goals: "1、严格执行接待标准、降低接待费规模。\n2、保证接待服务质量",
        items: [EntryItem(econ: "30217", amount: yuan("150000.00"))],
        indicators: [
            Indicator(l1: "产出指标", l2: "数量指标", l3: "公务接待费用限额合格率", desc: "公务接待事项都严格按照标准限额支出", value: "严格按照接待标准准备接待事务，不超标支出", basis: "部门职责"),
            Indicator(l1: "产出指标", l2: "质量指标", l3: "公务接待费支出手续完备率", desc: "公务接待费支出手续是否完备", value: "100百分比", basis: "部门职责"),
            Indicator(l1: "满意度指标", l2: "服务对象满意度指标", l3: "接待对象满意率", desc: "来访人员对于我办接待事项的满意率", value: "≥90百分比", basis: "部门职责"),
        ]
    )

    /// 4、公务内网建设与维护费 (its outcome indicators are 效果指标, with no 满意度指标).
    public static let intranet = EntryDraft(
        code: "201-0601-JBN-L4IE",
        name: "公务内网建设与维护费",
        kind: .project,
        functionCode: "2013102",
        sources: FundingSources(general: yuan("21600.00")),
        purpose: "负责党委系统公务内网设备和线路的检查维护，确保设备良好运行，线路安全畅通，为信息上传下达提供保证。",
        plan: plan(30, 60, 90, 100),
        goals: "1、务内网数据资源丰富、数据正版、权威可靠，用户满意度高\n2、线路畅通，系统运行稳定",
        indicators: [
            Indicator(l1: "产出指标", l2: "数量指标", l3: "内容条目更新速度", desc: "每周均更新条目数量", value: "≥3条", basis: "2003保机号2232"),
            Indicator(l1: "效果指标", l2: "社会效益指标", l3: "每月在媒体播发宣传徐水稿件篇数", desc: "每月在媒体播发宣传徐水稿件的篇数（篇）", value: "≥3篇", basis: "2003保机号2232"),
            Indicator(l1: "效果指标", l2: "社会效益指标", l3: "网络信息安全保障情况", desc: "是否存在涉密信息上传情况", value: "全面无涉密信息上传情况", basis: "2003保机号2232"),
        ]
    )

    /// 5、信息收集及民意调查经费.
    public static let publicOpinion = EntryDraft(
        code: "201-0502-JBN-9Y35",
        name: "信息收集及民意调查经费",
        kind: .project,
        functionCode: "2013102",
        sources: FundingSources(general: yuan("213000.00")),
        purpose: "该项目用于日常信息收集等方面的办公经费的支出。",
        plan: plan(30, 60, 90, 100),
        goals: "1、通过界别渠道密切联系群众，反映社情民意，努力做到协调关系、化解矛盾、理顺情绪，增进社会各阶层不同利益群体的和谐和稳定。\n2、对重点事项进行信息调研收集，完成调研报告。",
        indicators: [
            Indicator(l1: "产出指标", l2: "数量指标", l3: "完成调研报告数量（篇）", desc: "当年完成调研报告的数量", value: "≥4篇", basis: "依据部门职责"),
            Indicator(l1: "效果指标", l2: "社会效益指标", l3: "社情民意反映率", desc: "反映社情民意的信息数量占采集信息总数的比例", value: "≥80百分比", basis: "依据部门职责"),
            Indicator(l1: "满意度指标", l2: "服务对象满意度指标", l3: "群众满意度", desc: "群众对所反映的社情民意事件处理结果的满意程度", value: "≥90百分比", basis: "依据部门职责"),
        ]
    )

    /// 6、综合事务管理, with its three procurement lines (台式计算机, 多功能一体机, 木制台、桌类).
    public static let generalAffairs = EntryDraft(
        code: "201-0901-JBN-LHVZ",
        name: "综合事务管理",
        kind: .project,
        functionCode: "2013102",
        sources: FundingSources(general: yuan("400000.00")),
        purpose: "该项目资金主要用于办公室房屋装修、设备购置及劳务费支出，保障机关工作的正常运转",
        plan: plan(30, 60, 90, 100),
        goals: "1、保障区委大型会议和活动组织安排,保障区委办公厅大型会议顺利举办\n2、保障机关公文正常运转",
        indicators: [
            Indicator(l1: "产出指标", l2: "质量指标", l3: "出勤率", desc: "实际出勤参会人员数量占参加会议人员数量的比率", value: "≥90百分比", basis: "依据部门职责"),
            Indicator(l1: "产出指标", l2: "质量指标", l3: "政府采购率", desc: "实际政府采购数量占应实施政府采购数量的比率", value: "100百分比", basis: "依据部门职责"),
            Indicator(l1: "满意度指标", l2: "服务对象满意度指标", l3: "服务对象满意度", desc: "区级领导对于办公室办公效率的满意程度", value: "≥90百分比", basis: "依据部门职责"),
        ],
        procurement: [
            ProcurementItem(item: "台式计算机", catalog: "A02010104", unit: "台", quantity: Quantity(6), price: yuan("5000.00")),
            ProcurementItem(item: "多功能一体机", catalog: "A020204", unit: "台", quantity: Quantity(5), price: yuan("2000.00")),
            ProcurementItem(item: "木制台、桌类", catalog: "A060205", unit: "台", quantity: Quantity(5), price: yuan("2000.00")),
        ]
    )

    /// All six, in the document's order.
    public static let all: [EntryDraft] = [
        supervisionResearch, videoConference, officialReception, intranet, publicOpinion, generalAffairs,
    ]

    /// The six tables' total: 95.74万元.
    public static let total = yuan("957400.00")
}
