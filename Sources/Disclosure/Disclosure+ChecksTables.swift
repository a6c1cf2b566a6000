import Workflow

extension Disclosure {
    func threePublicChecks() -> [DisclosureCheck] {
        var found: [DisclosureCheck] = []
        let columns = [("previous", threePublic.previous), ("current", threePublic.current), ("change", threePublic.change)]
        for case let (name, column?) in columns {
            found += SumCheck.equal(
                column.total, [column.abroad, column.vehiclePurchase, column.vehicleOperation, column.reception],
                .threePublicSum, "three_public.\(name).total", "三公 \(name) 合计 ≠ the sum of its categories")
        }
        if let previous = threePublic.previous, let change = threePublic.change {
            let rows: [(String, KeyPath<ThreePublicFigures, WanYuan>)] = [
                ("abroad", \.abroad), ("vehicle_purchase", \.vehiclePurchase), ("vehicle_operation", \.vehicleOperation),
                ("reception", \.reception), ("total", \.total),
            ]
            for (key, path) in rows {
                // change + previous = current, so the check needs no subtraction.
                found += SumCheck.equal(threePublic.current[keyPath: path], [previous[keyPath: path], change[keyPath: path]],
                                        .threePublicSum, "three_public.change.\(key)", "三公 change ≠ current − previous")
            }
            if change.total.money != .zero || [change.abroad, change.vehiclePurchase, change.vehicleOperation, change.reception]
                .contains(where: { $0.money != .zero }),
                threePublic.reason.allSatisfy(\.isWhitespace) {
                // The subject names what to fill in, and the message says how (the code already says what failed).
                found.append(DisclosureCheck(
                    code: .threePublicReason, subject: "narrative.three_public_reason",
                    message: "“三公”经费 changed (合计 \(change.total)万元) but no reason (变化原因) is given; "
                        + "send a record `narrative section=three_public_reason text=\"…\"` to "
                        + "POST /v1/departments/\(department.code)/years/\(year)/disclosure-inputs "
                        + "or `budgetctl import FILE --department \(department.code) --year \(year)`"))
            }
        }
        return found
    }

    func projectChecks() -> [DisclosureCheck] {
        var found = SumCheck.equal(expenditure.project, projects.map(\.amount), .projectsSum,
                                   "expenditure.project", "项目支出 ≠ the sum of the project tables")
        for project in projects {
            found += SumCheck.equal(project.amount, [project.fiscal, project.other], .projectsSum,
                                    project.code, "\(project.name): 预算数 ≠ 财政资金 + 其他资金")
        }
        return found
    }

    func procurementChecks() -> [DisclosureCheck] {
        var found = SumCheck.equal(procurement.total, procurement.items.map(\.amount), .procurementSum,
                                   "procurement.total", "政府采购预算合计 ≠ the sum of its lines")
        for subtotal in procurement.subtotals {
            let lines = procurement.items.filter { $0.unitCode == subtotal.unitCode }
            found += SumCheck.equal(subtotal.total, lines.map(\.amount), .procurementSum,
                                    "procurement.\(subtotal.unitCode)", "\(subtotal.unitName)小计 ≠ the sum of its lines")
        }
        // Per funding entry, in the order the entries first appear.
        var order: [String] = []
        var byEntry: [String: [Procurement.Line]] = [:]
        for line in procurement.items {
            if byEntry[line.entryCode] == nil { order.append(line.entryCode) }
            byEntry[line.entryCode, default: []].append(line)
        }
        for code in order {
            guard let lines = byEntry[code], let first = lines.first else { continue }
            guard let total = try? Money.sum(lines.map(\.amount.money)) else { continue }
            if total > first.entryAmount.money {
                found.append(DisclosureCheck(
                    code: .procurementExceedsAmount, subject: code,
                    message: "\(first.entryName) (\(code)): procurement \(total.yuanString) yuan exceeds its amount "
                        + "\(first.entryAmount.money.yuanString) yuan"))
            }
        }
        return found
    }
}
