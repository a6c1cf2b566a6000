import Foundation
import Workflow

extension Disclosure {
    /// The JSON of SPEC §8: snake_case keys, sorted; every amount a 万元 string with two decimals
    /// (`"1012.49"`), a decrease with a leading `-`; unknown previous-year figures `null`; budget
    /// lines in exact yuan (`amount_yuan`).
    ///
    /// - Parameter prettyPrinted: indent for people; compact for the wire.
    public func renderJSON(prettyPrinted: Bool = false) throws -> String {
        guard prettyPrinted else { return String(decoding: renderJSONBytes(), as: UTF8.self) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// The compact JSON of ``renderJSON(prettyPrinted:)`` as UTF-8, written by hand: byte for byte
    /// what the `Codable` conformance gives through `JSONEncoder` (`.sortedKeys`,
    /// `.withoutEscapingSlashes`), at a fraction of its cost.
    public func renderJSONBytes() -> [UInt8] {
        var json = JSONWriter(capacity: 4096 + budgetLines.count * 200 + projects.count * 600)
        json.object { json in
            json.key("budget_lines")
            json.array(budgetLines) { json, line in
                json.object { json in
                    json.key("amount_yuan"); json.yuan(line.amount)
                    json.key("econ"); json.string(line.econ)
                    json.key("entry_code"); json.string(line.entryCode)
                    json.key("entry_name"); json.string(line.entryName)
                    json.key("function_code"); json.string(line.functionCode)
                    json.key("kind"); json.string(line.kind.rawValue)
                    json.key("unit_code"); json.string(line.unitCode)
                    json.key("unit_name"); json.string(line.unitName)
                }
            }
            json.key("change"); json.partial(change)
            json.key("department")
            json.object { json in
                json.key("code"); json.string(department.code)
                json.key("name"); json.string(department.name)
            }
            json.key("expenditure")
            json.object { json in
                json.key("basic"); json.wanYuan(expenditure.basic)
                json.key("operation"); json.wanYuan(expenditure.operation)
                json.key("personnel"); json.wanYuan(expenditure.personnel)
                json.key("project"); json.wanYuan(expenditure.project)
                json.key("total"); json.wanYuan(expenditure.total)
            }
            json.key("income")
            json.object { json in
                json.key("fund"); json.wanYuan(income.fund)
                json.key("general"); json.wanYuan(income.general)
                json.key("other"); json.wanYuan(income.other)
                json.key("special"); json.wanYuan(income.special)
                json.key("state_capital"); json.wanYuan(income.stateCapital)
                json.key("total"); json.wanYuan(income.total)
            }
            json.key("narrative")
            json.object { json in
                json.key("change_reason"); json.string(narrative[.changeReason])
                json.key("duties"); json.string(narrative[.duties])
                json.key("other"); json.string(narrative[.other])
                json.key("performance_goals"); json.string(narrative[.performanceGoals])
                json.key("safeguards"); json.string(narrative[.safeguards])
                json.key("three_public_reason"); json.string(narrative[.threePublicReason])
            }
            json.key("operating_costs")
            json.object { json in
                json.key("office"); json.wanYuan(operatingCosts.office)
                json.key("other"); json.wanYuan(operatingCosts.other)
                json.key("post"); json.wanYuan(operatingCosts.post)
                json.key("total"); json.wanYuan(operatingCosts.total)
                json.key("union_welfare"); json.wanYuan(operatingCosts.unionWelfare)
                json.key("vehicle_operation"); json.wanYuan(operatingCosts.vehicleOperation)
            }
            json.key("organizations")
            json.array(organizations) { json, row in
                json.object { json in
                    json.key("code"); json.string(row.code)
                    json.key("funding"); json.string(row.funding)
                    json.key("level"); json.string(row.level)
                    json.key("name"); json.string(row.name)
                    json.key("nature"); json.string(row.nature)
                }
            }
            json.key("previous"); json.partial(previous)
            json.key("procurement"); json.procurement(procurement)
            json.key("projects")
            json.array(projects) { json, project in json.project(project) }
            json.key("three_public")
            json.object { json in
                json.key("change"); json.threePublic(threePublic.change)
                json.key("current"); json.threePublic(threePublic.current)
                json.key("previous"); json.threePublic(threePublic.previous)
                json.key("reason"); json.string(threePublic.reason)
            }
            json.key("year"); json.number(year)
        }
        return json.bytes
    }
}

extension JSONWriter {
    fileprivate mutating func wanYuan(_ value: WanYuan?) {
        if let value { wanYuan(value) } else { null() }
    }

    fileprivate mutating func partial(_ figures: Disclosure.PartialExpenditure) {
        object { json in
            json.key("basic"); json.wanYuan(figures.basic)
            json.key("operation"); json.wanYuan(figures.operation)
            json.key("personnel"); json.wanYuan(figures.personnel)
            json.key("project"); json.wanYuan(figures.project)
            json.key("total"); json.wanYuan(figures.total)
        }
    }

    fileprivate mutating func threePublic(_ figures: Disclosure.ThreePublicFigures?) {
        guard let figures else { return null() }
        object { json in
            json.key("abroad"); json.wanYuan(figures.abroad)
            json.key("reception"); json.wanYuan(figures.reception)
            json.key("total"); json.wanYuan(figures.total)
            json.key("vehicle_operation"); json.wanYuan(figures.vehicleOperation)
            json.key("vehicle_purchase"); json.wanYuan(figures.vehiclePurchase)
        }
    }

    fileprivate mutating func project(_ project: Disclosure.Project) {
        object { json in
            json.key("amount"); json.wanYuan(project.amount)
            json.key("code"); json.string(project.code)
            json.key("fiscal"); json.wanYuan(project.fiscal)
            json.key("goals"); json.string(project.goals)
            json.key("indicators")
            json.array(project.indicators) { json, indicator in
                json.object { json in
                    json.key("basis"); json.string(indicator.basis)
                    json.key("desc"); json.string(indicator.desc)
                    json.key("l1"); json.string(indicator.l1)
                    json.key("l2"); json.string(indicator.l2)
                    json.key("l3"); json.string(indicator.l3)
                    json.key("value"); json.string(indicator.value)
                }
            }
            json.key("name"); json.string(project.name)
            json.key("other"); json.wanYuan(project.other)
            json.key("plan")
            json.array(project.plan) { json, percent in json.string(percent.description) }
            json.key("purpose"); json.string(project.purpose)
            json.key("unit_code"); json.string(project.unitCode)
            json.key("unit_name"); json.string(project.unitName)
        }
    }

    fileprivate mutating func procurement(_ procurement: Disclosure.Procurement) {
        object { json in
            json.key("items")
            json.array(procurement.items) { json, line in
                json.object { json in
                    json.key("amount"); json.wanYuan(line.amount)
                    json.key("catalog"); json.string(line.catalog)
                    json.key("entry_amount"); json.wanYuan(line.entryAmount)
                    json.key("entry_code"); json.string(line.entryCode)
                    json.key("entry_name"); json.string(line.entryName)
                    json.key("item"); json.string(line.item)
                    json.key("price"); json.wanYuan(line.price)
                    json.key("quantity"); json.string(line.quantity.description)
                    json.key("unit"); json.string(line.unit)
                    json.key("unit_code"); json.string(line.unitCode)
                }
            }
            json.key("subtotals")
            json.array(procurement.subtotals) { json, subtotal in
                json.object { json in
                    json.key("total"); json.wanYuan(subtotal.total)
                    json.key("unit_code"); json.string(subtotal.unitCode)
                    json.key("unit_name"); json.string(subtotal.unitName)
                }
            }
            json.key("total"); json.wanYuan(procurement.total)
        }
    }
}
