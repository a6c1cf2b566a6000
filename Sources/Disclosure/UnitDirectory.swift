import Workflow

/// The department's units by code, for names and the organization table.
struct UnitDirectory {
    let department: Organization
    let units: [Organization]
    private let byCode: [String: Organization]

    init(department: Organization, units: [Organization]) {
        self.department = department
        self.units = units
        // A repeated code keeps its first organization.
        self.byCode = Dictionary(units.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// A unit's name, or its code when the unit is not known.
    func name(of code: String) -> String {
        byCode[code]?.name ?? code
    }

    /// The 机构设置 table. A department with a single unit is shown as itself (that unit is the
    /// department's own office, as in the reference: one row, 中共保定市徐水区委办公室); a department
    /// with several units lists each unit. A unit's missing nature, level or funding is the
    /// department's.
    var rows: [Disclosure.OrganizationRow] {
        guard units.count > 1 else { return [row(department)] }
        return units.map(row)
    }

    private func row(_ organization: Organization) -> Disclosure.OrganizationRow {
        Disclosure.OrganizationRow(
            code: organization.code, name: organization.name,
            nature: organization.nature ?? department.nature ?? "",
            level: organization.level ?? department.level ?? "",
            funding: organization.funding ?? department.funding ?? "")
    }
}
