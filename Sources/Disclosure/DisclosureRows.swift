import Workflow

/// A figure with its machine key and its label in the document, e.g. `("general", "一般公共预算拨款", 1012.49)`.
struct LabelledFigure {
    var key: String
    var label: String
    var value: WanYuan
}

/// A figure with the previous year's and the change, where known.
struct ComparedFigure {
    var key: String
    var label: String
    var previous: WanYuan?
    var current: WanYuan
    var change: WanYuan?
}

/// The rows of the disclosure's figure tables, shared by every renderer so they cannot disagree.
extension Disclosure {
    var incomeRows: [LabelledFigure] {
        [
            LabelledFigure(key: "total", label: "收入合计", value: income.total),
            LabelledFigure(key: "general", label: "一般公共预算拨款", value: income.general),
            LabelledFigure(key: "fund", label: "政府性基金预算拨款", value: income.fund),
            LabelledFigure(key: "state_capital", label: "国有资本经营预算拨款", value: income.stateCapital),
            LabelledFigure(key: "special", label: "财政专户核拨", value: income.special),
            LabelledFigure(key: "other", label: "其他来源收入", value: income.other),
        ]
    }

    var expenditureRows: [ComparedFigure] {
        [
            ComparedFigure(key: "total", label: "支出合计", previous: previous.total,
                           current: expenditure.total, change: change.total),
            ComparedFigure(key: "basic", label: "基本支出", previous: previous.basic,
                           current: expenditure.basic, change: change.basic),
            ComparedFigure(key: "personnel", label: "其中：人员经费", previous: previous.personnel,
                           current: expenditure.personnel, change: change.personnel),
            ComparedFigure(key: "operation", label: "其中：日常公用经费", previous: previous.operation,
                           current: expenditure.operation, change: change.operation),
            ComparedFigure(key: "project", label: "项目支出", previous: previous.project,
                           current: expenditure.project, change: change.project),
        ]
    }

    var operatingCostRows: [LabelledFigure] {
        [
            LabelledFigure(key: "total", label: "机关运行经费合计", value: operatingCosts.total),
            LabelledFigure(key: "office", label: "办公费", value: operatingCosts.office),
            LabelledFigure(key: "post", label: "邮电费", value: operatingCosts.post),
            LabelledFigure(key: "union_welfare", label: "工会经费、福利费", value: operatingCosts.unionWelfare),
            LabelledFigure(key: "vehicle_operation", label: "公务用车运行维护费", value: operatingCosts.vehicleOperation),
            LabelledFigure(key: "other", label: "其他", value: operatingCosts.other),
        ]
    }

    /// The 三公 table's rows, labelled as the reference labels them.
    var threePublicRows: [ComparedFigure] {
        let previous = threePublic.previous, current = threePublic.current, change = threePublic.change
        return [
            ComparedFigure(key: "abroad", label: "因公出国经费", previous: previous?.abroad,
                           current: current.abroad, change: change?.abroad),
            ComparedFigure(key: "vehicle_purchase", label: "公务用车购置经费", previous: previous?.vehiclePurchase,
                           current: current.vehiclePurchase, change: change?.vehiclePurchase),
            ComparedFigure(key: "vehicle_operation", label: "公务用车运行经费", previous: previous?.vehicleOperation,
                           current: current.vehicleOperation, change: change?.vehicleOperation),
            ComparedFigure(key: "reception", label: "公务接待费支出", previous: previous?.reception,
                           current: current.reception, change: change?.reception),
            ComparedFigure(key: "total", label: "合计", previous: previous?.total, current: current.total, change: change?.total),
        ]
    }

    /// The quantity as the procurement table prints it: a count of 辆 or 套 as a whole number
    /// (`"8"`), a measured quantity with the decimals it has (`"2.5"`, `"0.125"`); the same as JSON and CSV.
    static func quantityText(_ quantity: Quantity) -> String {
        quantity.description
    }

    /// The four spending-plan columns' headings.
    static let planHeadings = ["3月底", "6月底", "10月底", "12月底"]
}
