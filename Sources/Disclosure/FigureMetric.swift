import Workflow

/// A table figure that narrative text can name (e.g. 基本支出), with the words that name it.
enum FigureMetric: CaseIterable {
    case incomeTotal, incomeGeneral, incomeFund, incomeStateCapital, incomeSpecial, incomeOther
    case total, basic, personnel, operation, project
    case operatingTotal, office, post, unionWelfare, operatingVehicle
    case threePublicTotal, abroad, vehiclePurchase, threePublicVehicle, reception
    case procurement

    /// Words that name figures, each with the figures it may mean. The label written closest
    /// before a number names it; at the same place the longer label wins (一般公共预算收入 over
    /// 预算收入). No bare 收入 or 支出: they name too much (本级支出, 其他支出).
    static let labels: [(label: String, metrics: [FigureMetric])] = [
        ("预算收入", [.incomeTotal]), ("收入合计", [.incomeTotal]), ("收入总计", [.incomeTotal]),
        ("一般公共预算收入", [.incomeGeneral]), ("一般公共预算拨款", [.incomeGeneral]),
        ("基金预算收入", [.incomeFund]), ("基金预算拨款", [.incomeFund]),
        ("国有资本经营预算收入", [.incomeStateCapital]), ("国有资本经营预算拨款", [.incomeStateCapital]),
        ("财政专户收入", [.incomeSpecial]), ("财政专户核拨", [.incomeSpecial]),
        ("其他来源收入", [.incomeOther]),
        ("收支安排", [.total]), ("支出预算", [.total]), ("支出合计", [.total]), ("收支总计", [.total]), ("预算总额", [.total]),
        ("基本支出", [.basic]), ("人员经费", [.personnel]), ("日常公用经费", [.operation]), ("公用经费", [.operation]),
        ("项目支出", [.project]),
        ("机关运行经费", [.operatingTotal]), ("机关运行费", [.operatingTotal]),
        ("办公费", [.office]), ("邮电费", [.post]), ("工会经费", [.unionWelfare]), ("福利费", [.unionWelfare]),
        // The same words name the 机关运行经费 category and the 三公 category.
        ("公务用车运行维护费", [.operatingVehicle, .threePublicVehicle]),
        ("公务用车运行", [.threePublicVehicle]), ("公务用车购置", [.vehiclePurchase]),
        ("因公出国", [.abroad]), ("公务接待", [.reception]), ("三公", [.threePublicTotal]),
        ("政府采购", [.procurement]),
    ]

    /// How a message names the figure.
    var name: String {
        switch self {
        case .incomeTotal: return "收入合计"
        case .incomeGeneral: return "一般公共预算拨款"
        case .incomeFund: return "政府性基金预算拨款"
        case .incomeStateCapital: return "国有资本经营预算拨款"
        case .incomeSpecial: return "财政专户核拨"
        case .incomeOther: return "其他来源收入"
        case .total: return "支出合计"
        case .basic: return "基本支出"
        case .personnel: return "人员经费"
        case .operation: return "日常公用经费"
        case .project: return "项目支出"
        case .operatingTotal: return "机关运行经费"
        case .office: return "办公费"
        case .post: return "邮电费"
        case .unionWelfare: return "工会经费、福利费"
        case .operatingVehicle: return "机关运行经费 公务用车运行维护费"
        case .threePublicTotal: return "“三公”经费合计"
        case .abroad: return "因公出国（境）费"
        case .vehiclePurchase: return "公务用车购置费"
        case .threePublicVehicle: return "“三公” 公务用车运行维护费"
        case .reception: return "公务接待费"
        case .procurement: return "政府采购预算"
        }
    }

    /// This year's figure.
    func current(in disclosure: Disclosure) -> WanYuan {
        switch self {
        case .incomeTotal: return disclosure.income.total
        case .incomeGeneral: return disclosure.income.general
        case .incomeFund: return disclosure.income.fund
        case .incomeStateCapital: return disclosure.income.stateCapital
        case .incomeSpecial: return disclosure.income.special
        case .incomeOther: return disclosure.income.other
        case .total: return disclosure.expenditure.total
        case .basic: return disclosure.expenditure.basic
        case .personnel: return disclosure.expenditure.personnel
        case .operation: return disclosure.expenditure.operation
        case .project: return disclosure.expenditure.project
        case .operatingTotal: return disclosure.operatingCosts.total
        case .office: return disclosure.operatingCosts.office
        case .post: return disclosure.operatingCosts.post
        case .unionWelfare: return disclosure.operatingCosts.unionWelfare
        case .operatingVehicle: return disclosure.operatingCosts.vehicleOperation
        case .threePublicTotal: return disclosure.threePublic.current.total
        case .abroad: return disclosure.threePublic.current.abroad
        case .vehiclePurchase: return disclosure.threePublic.current.vehiclePurchase
        case .threePublicVehicle: return disclosure.threePublic.current.vehicleOperation
        case .reception: return disclosure.threePublic.current.reception
        case .procurement: return disclosure.procurement.total
        }
    }

    /// The change against the previous year, where the disclosure knows one.
    func change(in disclosure: Disclosure) -> WanYuan? {
        switch self {
        case .incomeTotal, .total: return disclosure.change.total
        case .basic: return disclosure.change.basic
        case .personnel: return disclosure.change.personnel
        case .operation: return disclosure.change.operation
        case .project: return disclosure.change.project
        case .threePublicTotal: return disclosure.threePublic.change?.total
        case .abroad: return disclosure.threePublic.change?.abroad
        case .vehiclePurchase: return disclosure.threePublic.change?.vehiclePurchase
        case .threePublicVehicle: return disclosure.threePublic.change?.vehicleOperation
        case .reception: return disclosure.threePublic.change?.reception
        case .incomeGeneral, .incomeFund, .incomeStateCapital, .incomeSpecial, .incomeOther,
             .operatingTotal, .office, .post, .unionWelfare, .operatingVehicle, .procurement:
            return nil
        }
    }
}
