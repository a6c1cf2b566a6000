import Foundation
import Disclosure
import Workflow
import WorkflowFixtures

/// The reference sample (`sql/sample/201002-2020.blp` and `201-2020-disclosure.blp`) as Swift values:
/// the 2020 entries of unit 201002 区委办（行政）, the 2019 baseline and the narratives of department
/// 201 中共保定市徐水区委办公室, transcribed line by line from the BLP files (projects 1–6 are
/// ``ReferenceProjects``). Published and disclosed, they must show the reference's figures (SPEC §8).
enum DisclosureSample {
    static let department = Organization(
        code: "201", name: "中共保定市徐水区委办公室", kind: .department, nature: "行政", level: "正科", funding: "财政拨款")
    static let unit = Organization(
        code: "201002", name: "区委办（行政）", kind: .unit, parentCode: "201", nature: "行政", level: "正科", funding: "财政拨款")

    /// 工资福利支出 (201-0001-JBN-RY01).
    static let salaries = EntryDraft(
        code: "201-0001-JBN-RY01",
        name: "工资福利支出",
        kind: .personnel,
        functionCode: "2013101",
        sources: FundingSources(general: yuan("5107600.00")),
        purpose: "在职人员基本工资、津贴补贴、奖金及其他工资福利支出",
        items: [
            EntryItem(econ: "30101", amount: yuan("1620000.00")),
            EntryItem(econ: "30102", amount: yuan("2560000.00")),
            EntryItem(econ: "30103", amount: yuan("700000.00")),
            EntryItem(econ: "30112", amount: yuan("72600.00")),
            EntryItem(econ: "30199", amount: yuan("155000.00")),
        ]
    )

    /// 机关事业单位基本养老保险缴费 (201-0001-JBN-RY02).
    static let pension = EntryDraft(
        code: "201-0001-JBN-RY02",
        name: "机关事业单位基本养老保险缴费",
        kind: .personnel,
        functionCode: "2080505",
        sources: FundingSources(general: yuan("742600.00")),
        purpose: "在职人员机关事业单位基本养老保险单位缴费",
        items: [
            EntryItem(econ: "30108", amount: yuan("742600.00")),
        ]
    )

    /// 职业年金缴费 (201-0001-JBN-RY03).
    static let occupationalAnnuity = EntryDraft(
        code: "201-0001-JBN-RY03",
        name: "职业年金缴费",
        kind: .personnel,
        functionCode: "2080506",
        sources: FundingSources(general: yuan("371300.00")),
        purpose: "在职人员职业年金单位缴费",
        items: [
            EntryItem(econ: "30109", amount: yuan("371300.00")),
        ]
    )

    /// 职工基本医疗保险缴费 (201-0001-JBN-RY04).
    static let medicalInsurance = EntryDraft(
        code: "201-0001-JBN-RY04",
        name: "职工基本医疗保险缴费",
        kind: .personnel,
        functionCode: "2101101",
        sources: FundingSources(general: yuan("452900.00")),
        purpose: "在职人员基本医疗保险单位缴费",
        items: [
            EntryItem(econ: "30110", amount: yuan("452900.00")),
        ]
    )

    /// 住房公积金 (201-0001-JBN-RY05).
    static let housingFund = EntryDraft(
        code: "201-0001-JBN-RY05",
        name: "住房公积金",
        kind: .personnel,
        functionCode: "2210201",
        sources: FundingSources(general: yuan("556900.00")),
        purpose: "在职人员住房公积金单位缴存",
        items: [
            EntryItem(econ: "30113", amount: yuan("556900.00")),
        ]
    )

    /// 日常公用经费 (201-0002-JBN-GY01).
    static let operation = EntryDraft(
        code: "201-0002-JBN-GY01",
        name: "日常公用经费",
        kind: .operation,
        functionCode: "2013101",
        sources: FundingSources(general: yuan("1109900.00")),
        purpose: "保障机关正常运转的办公、邮电、工会福利、公务用车运行、公务接待等日常公用支出",
        items: [
            EntryItem(econ: "30201", amount: yuan("51000.00")),
            EntryItem(econ: "30202", amount: yuan("30000.00")),
            EntryItem(econ: "30206", amount: yuan("95000.00")),
            EntryItem(econ: "30207", amount: yuan("235800.00")),
            EntryItem(econ: "30211", amount: yuan("80000.00")),
            EntryItem(econ: "30213", amount: yuan("60000.00")),
            EntryItem(econ: "30215", amount: yuan("25000.00")),
            EntryItem(econ: "30216", amount: yuan("20000.00")),
            EntryItem(econ: "30217", amount: yuan("55000.00")),
            EntryItem(econ: "30228", amount: yuan("86800.00")),
            EntryItem(econ: "30229", amount: yuan("45000.00")),
            EntryItem(econ: "30231", amount: yuan("240000.00")),
            EntryItem(econ: "30299", amount: yuan("86300.00")),
        ],
        procurement: [
            ProcurementItem(item: "机动车保险服务", catalog: "C15040201", unit: "辆", quantity: Quantity(8), price: yuan("5000.00")),
        ]
    )

    /// 其他日常公用经费 (201-0002-JBN-GY02).
    static let otherOperation = EntryDraft(
        code: "201-0002-JBN-GY02",
        name: "其他日常公用经费",
        kind: .operation,
        functionCode: "2013101",
        sources: FundingSources(general: yuan("9500.00")),
        purpose: "其他日常公用支出",
        items: [
            EntryItem(econ: "30299", amount: yuan("9500.00")),
        ]
    )

    /// 机要局机关密码通信及管理费 (201-0602-JBN-JYMM).
    static let confidentialCommunication = EntryDraft(
        code: "201-0602-JBN-JYMM",
        name: "机要局机关密码通信及管理费",
        kind: .project,
        functionCode: "2013102",
        sources: FundingSources(general: yuan("30000.00")),
        purpose: "该项目用于全区党政系统密码通信和密码管理、机要文件传递及相关设备购置。",
        plan: plan(30, 60, 90, 100),
        goals: "1、做好全区党政系统密码通信和密码管理，党中央、国务院和区党政军领导机关及要害部门的核心机密的传递工作。\n2、机关机要信息安全保障率达到100%，密码通讯及时、不延误。",
        indicators: [
            Indicator(l1: "产出指标", l2: "质量指标", l3: "机要信息安全保障率", desc: "机关机要信息安全保障率", value: "100百分比", basis: "依据部门职责"),
            Indicator(l1: "产出指标", l2: "时效指标", l3: "密码通讯及时率", desc: "密码通讯及时、不延误", value: "100百分比", basis: "依据部门职责"),
            Indicator(l1: "效果指标", l2: "社会效益指标", l3: "失泄密情况", desc: "确保不发生失、泄密情况", value: "不发生失、泄密情况", basis: "依据部门职责"),
        ],
        procurement: [
            ProcurementItem(item: "其他计算机设备", catalog: "A02010199", unit: "台", quantity: Quantity(5), price: yuan("3500.00")),
        ]
    )

    /// 徐水区党政机关电子公文系统安全可靠应用全面替代工程 (201-0603-JBN-DZGW).
    static let electronicDocuments = EntryDraft(
        code: "201-0603-JBN-DZGW",
        name: "徐水区党政机关电子公文系统安全可靠应用全面替代工程",
        kind: .project,
        functionCode: "2013102",
        sources: FundingSources(general: yuan("786800.00")),
        purpose: "该项目用于徐水区党政机关电子公文系统安全可靠应用全面替代工程的设备购置及部署。",
        plan: plan(30, 60, 90, 100),
        goals: "1、完成党政机关电子公文系统安全可靠应用替代设备的采购与部署。\n2、保障区委公文正常运转，电子公文系统安全、稳定运行。",
        indicators: [
            Indicator(l1: "产出指标", l2: "数量指标", l3: "替代设备采购数量", desc: "按政府采购预算完成替代设备采购", value: "1套", basis: "依据部门职责"),
            Indicator(l1: "产出指标", l2: "质量指标", l3: "政府采购率", desc: "实际政府采购数量占应实施政府采购数量的比率", value: "100百分比", basis: "依据部门职责"),
            Indicator(l1: "效果指标", l2: "社会效益指标", l3: "电子公文系统运行情况", desc: "电子公文系统安全、稳定运行", value: "全年安全稳定运行", basis: "依据部门职责"),
            Indicator(l1: "满意度指标", l2: "服务对象满意度指标", l3: "使用单位满意度", desc: "使用单位对电子公文系统的满意程度", value: "≥90百分比", basis: "依据部门职责"),
        ],
        procurement: [
            ProcurementItem(item: "台式计算机", catalog: "A02010104", unit: "套", quantity: Quantity(1), price: yuan("778600.00")),
        ]
    )

    /// Every entry of the unit-year, in the order of the BLP file (5 personnel, 2 operation, 8 projects).
    static let drafts: [EntryDraft] = [
        salaries,
        pension,
        occupationalAnnuity,
        medicalInsurance,
        housingFund,
        operation,
        otherOperation,
        ReferenceProjects.supervisionResearch,
        ReferenceProjects.videoConference,
        ReferenceProjects.officialReception,
        ReferenceProjects.intranet,
        ReferenceProjects.publicOpinion,
        ReferenceProjects.generalAffairs,
        confidentialCommunication,
        electronicDocuments,
    ]

    /// The drafts as published entries of unit 201002, department 201, 2020.
    static func entries(_ drafts: [EntryDraft] = drafts, year: Int = 2020, state: EntryState = .published) -> [BudgetEntry] {
        drafts.map { draft in
            BudgetEntry(id: UUID(), year: year, unitCode: unit.code, departmentCode: department.code, state: state, content: draft)
        }
    }

    /// The 2019 baseline (`baseline` records).
    static let baseline = Baseline([
        .total: yuan("8732900.00"),
        .basic: yuan("7247900.00"),
        .personnel: yuan("6200000.00"),
        .operation: yuan("1047900.00"),
        .project: yuan("1485000.00"),
        .threePublicAbroad: yuan("0.00"),
        .threePublicVehiclePurchase: yuan("0.00"),
        .threePublicVehicleOperation: yuan("340000.00"),
        .threePublicReception: yuan("205000.00"),
    ])

    /// The narratives (`narrative` records), verbatim.
    static let narrative = Narrative([
        .duties: "根据《中共保定市徐水区委办公室 职能配置、内设机构和人员编制规定》， 中共保定市徐水区委办公室 的主要职责是：\n贯彻落实党中央、省委、市委和区委关于党委办公室工作的方针政策和决策部署，在履行职责过程中坚持和加强党对党委办公室工作的集中统一领导。主要职责是：\n（一）承担区委交办的文件、讲话稿的起草或修改工作；按区委主要领导的安排，提出制定区委决策、决定、工作部署和工作意见的预案；负责区委文件和区委办公室代区委行文的核审工作；承担区委制定党内法规的服务工作；负责党刊征订工作。\n（二）落实上级全面从严治党主体责任有关部署，组织、督导我区全面从严治党主体责任工作。\n（三）围绕上级党委、区委总体工作部署开展政策研究，综合调研，收集处理信息，反映动态。\n（四）负责党史收集、整理、保管、总结工作。\n（五）负责区委日常文书处理；负责区委各种会议和区委日常工作活动的组织安排。\n（六）负责全区党政系统密码通信和密码管理；负责上级党委、政府及其有关部门机密文件的传递工作；承担区密码工作领导小组的日常工作。\n（七）负责全区保密工作的安排部署、监督检查和管理工作。\n（八）负责区委领导同志工作服务和阅文、参加相关活动的事务服务工作。\n（九）负责对区重大决策、重大工作部署的实施进行检查、督导；负责对各乡镇（办）、开发区、区直各部门干部总体工作状况、精神状态、政治纪律、工作作风等情况进行经常性检查；负责对党中央、国务院和省、市、区党委、政府及其办公室重要会议文件落实情况进行督查；对中央、省、市、区领导批办事项，区级以上新闻单位披露我区事项及区人大、政府、政协向区委建议事项进行督查。\n（十）负责党委和政府机要文件的收发、传阅、归档和保密文件管理工作。\n（十一）负责上级领导、兄弟县（市、区）党委领导同志及办公室系统的接待服务和协调工作；负责区委领导交办的其他接待任务。\n（十二）负责全区长期改革规划、年度工作要点、重点改革方案的拟定，统筹、协调、督导改革事项落实。\n（十三）负责国家安全工作谋划、协调、督导落实工作。\n（十四）负责本单位干部职工人事管理。\n（十五）负责全区档案管理工作。\n（十六）完成区委交办的其他任务。",
        .changeReason: "基本支出增加110.28万元，主要原因是机构改革档案馆调入，基本支出增加；项目支出增加28.92万元，主要原因是机要局项目金额较上年增加。",
        .performanceGoals: "一、总体绩效目标\n深入学习贯彻党的十九大精神和习近平总书记系列重要讲话精神，紧紧围绕区委中心工作，充分发挥“参谋部”“指挥部”的职能作用，着眼全局当参谋，统筹兼顾保运转，深化改革破难题，真督实查促落实，全力以赴抓保障，为推动徐水区发展作出新贡献。根据区委中心工作和领导关注问题，全面提升以文辅政水平，更好服务区委决策；强化统筹协调，确保区委政令畅通；精细规范服务，高标高效保障运转；整合力量资源，提升群众工作水平；加强督促检查，推动区委各项决策部署落实；突出组织保障，把全面深化改革推向纵深。\n二、分项绩效目标\n1、机关公文、会议、公务接待等工作正常正常运转\n绩效目标：加强重要会议、活动的统筹协调，精心谋划组织好全区性重大会议、活动，特别是区委主要领导参加的重要会议、活动，保障全区性重要会议的顺利举办;贯彻落实全区工作的重大决策部署，重点建设项目加强督导协调；保障区委公文正常运转，规范公文办理流程，做到零停留、无差错，公文审核严谨高效，增强区委文件权威性；严格执行中央八项规定和我区接待标准，保障相关工作顺利开展。\n绩效指标：会议计划100%执行，大型会议圆满完成率达到100%；重大活动圆满完成率达到100%；公文起草及办理的质量和效率,满足《机关工作标准化流程》要求。\n2、信息收集和督查调研民主化、科学化\n绩效目标：围绕省市和区委、区政府的重大决策部署，围绕区领导重要批示和指示，围绕热点难点问题，明确责任、定出措施，按节点考核、按时间推进。通过调研课题就党和政府关注的问题，提出客观、有价值、有分量、有影响的意见建议，收集信息，反应民意，及时上报，促进决策民主化和科学化。\n绩效指标：省区重点工作任务督办率达到100%，督查督办按时办结率95%以上。\n3、全区党委系统公务内网稳定运行\n绩效目标：数据资源丰富、数据正版、权威可靠，用户满意度高。线路畅通，系统运行稳定。\n绩效指标：网络正常运转达到7*24小时，保障网络信息安全，信息更新及时。\n4、机关密码管理安全、可靠、及时\n绩效目标：做好全区党政系统密码通信和密码管理，党中央、国务院和区党政军领导机关及要害部门的核心机密的传递工作。承担区密码工作小组的日常工作。\n绩效指标：机关机要信息安全保障率达到100%，密码通讯及时、不延误。\n5、加强保密工作宣传、培训及技术防范\n绩效目标：做好保密机要工作，加大培训力度，确保不发生失、泄密情况。\n绩效指标：机要保密工作完成率100%；业务培训覆盖率98%；保密机要知识普及率100%。\n6、高效完成区委其他事物管理\n绩效目标：区委系统房产、基建、维修、物资分配和其他行政事务工作；区委领导同志和部分原区级领导同志，以及离退休同志的生活服务和阅文、参加有关活动的事务服务工作。\n绩效指标：综合业务管理工作完成率达到100%，服务对象满意率达到95%以上。\n7、政策研究、决策咨询科学化\n绩效目标：根据区委部署，围绕中心工作进行调研，提出意见和建议，供区委决策参考；起草、参与起草或修改区委的有关重要文稿、文件；组织撰写宣传、阐释党的路线方针政策的文章和著作；完成区委交办的其他任务。\n绩效指标：对于重大问题进行调研活动的比例达到95%以上，提出的决策咨询信息的满意率达到95%以上。\n8、保质保量完成党史研究与党史事务管理工作\n绩效目标：编辑出版党史书刊。完成专题资料、口述资料、照片资料等搜集工作。围绕党委、政府中心工作，充分发挥党史资政育人作用。完成上级党史研究室部署的工作任务；完成区委交办的党史方面及其他方面的工作任务，为区委解决有关党史方面的问题提供资料的意见，完成全区爱国主义教育基地陈展内容、纪念碑亭、碑文的审定工作；指导区中共党史学会、区党史人物研究会、晋察冀根据地遗址修复促进会的工作。\n绩效指标：完成内部刊物编辑和印发；做好计算机网络、办公自动化、资料、文印工作。综合工作完成率达到95%以上。\n9、统筹协调推进全区全面深化改革工作，完成区委工作要点中部署的改革工作\n绩效目标：负责全区综合性政策研究、协调推进全面深化改革工作，为区委科学决策提供建议。\n绩效指标：对全面深化改革委员会决策部署和要求落实情况的督导检查率达到95%以上。",
        .safeguards: "1、强化政治理论武装，健全完善制度机制\n坚持把学习贯彻习近平新时代中国特色社会主义思想和党的十九届四中全会精神作为首要政治任务，根据区委、区政府全面实施预算绩效管理的意见，以及我区预算绩效管理相关要求，健全完善区委办预算绩效管理、预算资金管理等制度规定，按要求开展部门预算绩效实时监控、绩效自评和重点项目评价等工作，研究制定预算绩效运行过程出现问题的应急处置方案，确保全年绩效目标圆满完成。\n2、加强预算支出管理，确保支出进度达标\n编细编实预算，将项目细化到可执行程度，确保批复即可执行。调整优化支出结构，按规定对“三公”经费和一般性支出进行压减。通过加快履行政府采购手续、尽快启动项目、及时支付资金等措施。加强预算资金支出动态过程管理，及时协调解决预算项目中遇到的困难问题，实时掌握预算支出进度。\n3、加强内部监督管理，确保资金安全有效\n完善财务管理制度，严格财务资金审批程序，加强固定资产登记、使用和报废处置管理，最大程度发挥国有资产效能。完善内部监督制度，加强对绩效运行情况、重大支出决策、资产处置及其他重要事项决策和执行的督导，对会计资料开展常态化内部审计，配合做好审计、财政监督等外部监督工作。严格落实领导干部重大事项报告制度和离任审计制度。\n4、加强宣传培训调研，确保绩效目标实现\n加强预算绩效管理专业知识培训，提高预算绩效管理工作人员的业务素质，不断优化财务人员知识结构，促进财务人员严格履行职责，提高财务管理的科学化和规范化水平。加大预算绩效宣传力度，强化预算绩效管理意识，为预算绩效管理创造良好的思想基础和舆论环境，促进预算绩效管理水平进一步提升。",
        .threePublicReason: "无增减变化",
        .other: "第七部分：国有资产信息\n上年末我部门固定资产总金额为414.78万元（详见下表）。 本年度拟购置固定资产总额为88.61万元，已列入政府采购预算，详见政府采购预算表。\n固定资产占用情况表（截止时间：2019年12月31日）：车辆（台、辆）6，价值139.36万元；其他固定资产1045，价值275.42万元。\n第八部分：名词解释\n1、一般公共预算财政拨款收入：指区级财政当年拨付的资金。\n2、其他收入：指除上述“财政拨款收入”、“事业收入”等以外的收入。\n3、基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。\n4、项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。\n5、“三公”经费：纳入区级财政预算管理的“三公”经费，是指区级部门用财政拨款安排的因公出国（境）费、公务用车购置及运行费和公务接待费。其中，因公出国（境）费反映单位公务出国（境）的住宿费、旅费、伙食补助费、杂费、培训费等支出；公务用车购置及运行费反映单位公务用车购置费及租用费、燃料费、维修费、过路过桥费、保险费、安全奖励费用等支出；公务接待费反映单位按规定开支的各类公务接待（含外宾接待）支出。\n6、机关运行费：为保障行政单位（含参照公务员法管理的事业单位）运行用于购买货物和服务的各项资金，包括办公及印刷费、邮电费、差旅费、会议费、福利费、日常维修费、专用材料及一般设备购置费、办公用房水电费、办公用房取暖费、办公用房物业管理费、公务用车运行维护费以及其他费用。\n第九部分：其他需说明的事项\n我部门无其他需说明的事项。",
    ])

    /// The whole input of the 2020 disclosure of department 201.
    static func input(
        drafts: [EntryDraft] = drafts, baseline: Baseline = baseline, narrative: Narrative = narrative
    ) -> DisclosureInput {
        DisclosureInput(
            department: department, units: [unit], year: 2020, entries: entries(drafts),
            baseline: baseline, narrative: narrative)
    }

    /// The sample's disclosure.
    static func disclosure() throws -> Disclosure {
        try Disclosure(input())
    }
}
