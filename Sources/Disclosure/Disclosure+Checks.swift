import Workflow

extension Disclosure {
    /// Every cross-check that fails, all at once (empty when the disclosure is consistent): totals
    /// against their parts (in exact fen), income against expenditure, each entry's procurement
    /// against its amount, and the narratives' 万元 figures against the tables (see
    /// ``NarrativeFigures``).
    ///
    /// On a disclosure decoded from JSON the figures are the shown (rounded) ones, so a total may
    /// differ from the sum of its rounded parts by the rounding; checks are meant for a computed one.
    public func checks() -> [DisclosureCheck] {
        var found: [DisclosureCheck] = []
        found += totalsChecks()
        found += operatingCostsChecks()
        found += threePublicChecks()
        found += projectChecks()
        found += procurementChecks()
        found += NarrativeFigures(self).checks()
        return found
    }

    private func totalsChecks() -> [DisclosureCheck] {
        var found: [DisclosureCheck] = []
        let sources = [income.general, income.fund, income.stateCapital, income.special, income.other]
        found += SumCheck.equal(income.total, sources, .incomeSum, "income.total", "收入合计 ≠ the sum of the funding sources")
        found += SumCheck.equal(expenditure.basic, [expenditure.personnel, expenditure.operation], .expenditureSum,
                                "expenditure.basic", "基本支出 ≠ 人员经费 + 日常公用经费")
        found += SumCheck.equal(expenditure.total, [expenditure.basic, expenditure.project], .expenditureSum,
                                "expenditure.total", "支出合计 ≠ 基本支出 + 项目支出")
        found += SumCheck.equal(income.total, [expenditure.total], .incomeExpenditure,
                                "income.total", "收入合计 ≠ 支出合计")
        for (figures, code, name) in [(previous, DisclosureCheck.Code.previousSum, "previous"), (change, .changeSum, "change")] {
            if let basic = figures.basic, let personnel = figures.personnel, let operation = figures.operation {
                found += SumCheck.equal(basic, [personnel, operation], code, "\(name).basic", "\(name) 基本支出 ≠ 人员经费 + 日常公用经费")
            }
            if let total = figures.total, let basic = figures.basic, let project = figures.project {
                found += SumCheck.equal(total, [basic, project], code, "\(name).total", "\(name) 合计 ≠ 基本支出 + 项目支出")
            }
        }
        return found
    }

    private func operatingCostsChecks() -> [DisclosureCheck] {
        let costs = operatingCosts
        var found = SumCheck.equal(
            costs.total, [costs.office, costs.post, costs.unionWelfare, costs.vehicleOperation, costs.other],
            .operatingCostsSum, "operating_costs.total", "机关运行经费 ≠ the sum of its categories")
        found += SumCheck.equal(costs.total, [expenditure.operation], .operatingCostsSum,
                                "operating_costs.total", "机关运行经费 ≠ 日常公用经费")
        let categories: [(String, WanYuan)] = [
            ("office", costs.office), ("post", costs.post), ("union_welfare", costs.unionWelfare),
            ("vehicle_operation", costs.vehicleOperation), ("other", costs.other),
        ]
        for (key, value) in categories where value.isNegative {
            found.append(DisclosureCheck(
                code: .operatingCostsNegative, subject: "operating_costs.\(key)",
                message: "机关运行经费 \(key) is negative (\(value)万元): an operation entry's items exceed its amount"))
        }
        return found
    }
}

/// Sum checks in exact fen.
enum SumCheck {
    /// A check when `total` is not the exact sum of `parts`.
    static func equal(
        _ total: WanYuan, _ parts: [WanYuan], _ code: DisclosureCheck.Code, _ subject: String, _ what: String
    ) -> [DisclosureCheck] {
        // An overflowing sum cannot equal a representable total.
        guard let sum = try? Money.sum(parts.map(\.money)) else {
            return [DisclosureCheck(code: code, subject: subject, message: "\(what): the parts overflow")]
        }
        guard sum != total.money else { return [] }
        return [DisclosureCheck(
            code: code, subject: subject,
            message: "\(what): \(total.money.yuanString) yuan, but the parts sum to \(sum.yuanString) yuan")]
    }
}
