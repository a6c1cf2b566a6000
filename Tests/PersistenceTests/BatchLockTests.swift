import Foundation
import TestSupport
import Testing
import Workflow

@testable import Persistence

@Suite("batch actions and row locks")
struct BatchLockTests {
    @Test("batch approvals across two unit-years with ceilings, listed in opposite orders, never deadlock")
    func noDeadlock() async throws {
        let f = try await Fixture.make(poolSize: 6)
        for year in [2020, 2021] {
            try await f.admin.setControlFigure(unit: "201002", year: year, amount: try Money.parse("100000000.00"), by: f.finance)
        }
        for round in 0..<8 {
            var ids: [UUID] = []
            for year in [2020, 2021] {
                for entry in try await f.create([Fixture.project("A\(round)-\(year)"), Fixture.project("B\(round)-\(year)")], year: year) {
                    _ = try await f.entries.act(.submit, on: entry.id, by: f.officer)
                    _ = try await f.entries.act(.approve, on: entry.id, by: f.reviewer)
                    ids.append(entry.id)
                }
            }
            // One batch takes 2020 first, the other 2021 first; no retries, so a deadlock would
            // surface as an error instead of being retried away.
            let first = [ids[0], ids[2]], second = [ids[3], ids[1]]
            async let a: [EntryService.ActionResult] = f.db.pool.transaction(retry: .none) { c in
                try EntryService.actOnAll(.approve, on: first, reason: nil, by: f.finance, on: c)
            }
            async let b: [EntryService.ActionResult] = f.db.pool.transaction(retry: .none) { c in
                try EntryService.actOnAll(.approve, on: second, reason: nil, by: f.finance, on: c)
            }
            let (x, y) = try await (a, b)
            #expect((x + y).allSatisfy { $0.entry.state == .approved })
        }
    }
}
