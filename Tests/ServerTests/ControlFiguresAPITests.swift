import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Persistence
import TestSupport
import Testing
import Workflow

@testable import Server

@Suite("control figures API: sheets in scope, warnings on saved drafts, V7 at submit")
struct ControlFiguresAPITests {
    @Test("GET control-figures: finance any, reviewer its department, officer its unit; others 404")
    func sheets() async throws {
        let world = try await APIWorld.make()
        let f = world.fixture
        try await f.admin.setDepartmentFigures(department: "201", year: 2021, cells: [.project: try Money.parse("500000.00")], by: f.finance)
        try await f.admin.allocateUnitFigures(unit: "201002", year: 2021, cells: [.project: try Money.parse("300000.00")], by: f.reviewer)
        try await world.app().test(.router) { client in
            let department = "/v1/departments/201/years/2021/control-figures", unit = "/v1/units/201002/years/2021/control-figures"
            for (user, path, status) in [
                ("finance", department, HTTPResponse.Status.ok), ("reviewer-201", department, .ok), ("auditor", department, .ok),
                ("officer-201002", department, .notFound), ("officer-201002", unit, .ok), ("officer-202001", unit, .notFound),
                ("reviewer-201", unit, .ok), ("finance", "/v1/departments/999/years/2021/control-figures", .notFound),
            ] {
                let response = try await client.execute(uri: path, method: .get, headers: world.headers(user))
                #expect(response.status == status, "\(user) \(path): \(response.text)")
            }
            let sheet = try await client.execute(uri: department, method: .get, headers: world.headers("reviewer-201")).json()
            let cells = try #require(sheet["cells"] as? [[String: Any]])
            #expect(cells.count == ControlCell.allCases.count)
            let project = try #require(cells.first { $0["cell"] as? String == "kind:project" })
            #expect(project["ceiling"] as? String == "500000.00" && project["allocated"] as? String == "300000.00")
            #expect(project["used"] as? String == "0.00" && project["remaining"] as? String == "500000.00")
            #expect(cells.first { $0["cell"] as? String == "total" }?["ceiling"] is NSNull)
        }
    }

    @Test("PUT control-figures: the finance bureau sets a department's cells, its reviewer allocates over the API (JSON or BLP); beyond the figure, bad cells, others refused")
    func putFigures() async throws {
        let world = try await APIWorld.make()
        try await world.app().test(.router) { client in
            let department = "/v1/departments/201/years/2021/control-figures", unit = "/v1/units/201002/years/2021/control-figures"
            func put(_ path: String, _ user: String, _ body: String, _ type: String = "application/json") async throws -> TestResponse {
                try await client.execute(uri: path, method: .put, headers: world.headers(user, contentType: type), body: ByteBuffer(text: body))
            }
            func cell(_ response: TestResponse, _ name: String) throws -> [String: Any] {
                let cells = try #require(try response.json()["cells"] as? [[String: Any]])
                return try #require(cells.first { $0["cell"] as? String == name })
            }
            let set = try await put(department, "finance", #"{"cells": {"kind:project": "500000.00"}, "reason": "一下控制数"}"#)
            #expect(set.status == .ok, "\(set.text)")
            #expect(try cell(set, "kind:project")["ceiling"] as? String == "500000.00")

            let allocated = try await put(unit, "reviewer-201", #"{"cells": {"kind:project": "300000.00"}}"#)
            #expect(allocated.status == .ok, "\(allocated.text)")
            #expect(try cell(allocated, "kind:project")["ceiling"] as? String == "300000.00")
            // BLP: the same allocation changed; repeating it changes nothing.
            for _ in 0..<2 {
                let blp = try await put(unit, "reviewer-201", "figure cell=kind:project amount=400000.00\nreason text=\"调整\"\n", "text/plain")
                #expect(blp.status == .ok, "\(blp.text)")
                #expect(try cell(blp, "kind:project")["ceiling"] as? String == "400000.00")
            }

            let beyond = try await put(unit, "reviewer-201", #"{"cells": {"kind:project": "500000.01"}}"#)
            #expect(beyond.status == .unprocessableContent && beyond.text.contains("kind:project"), "\(beyond.text)")
            for body in [#"{"cells": {"kind:nothing": "1.00"}}"#, #"{"cells": {"kind:project": "1.001"}}"#,
                         #"{"cells": {"kind:project": "-1.00"}}"#, #"{"cells": {}, "amount": "1.00"}"#] {
                let bad = try await put(unit, "reviewer-201", body)
                #expect(bad.status == .unprocessableContent || bad.status == .badRequest, "\(body): \(bad.text)")
            }
            #expect(try await put(unit, "officer-201002", #"{"cells": {"kind:project": "1.00"}}"#).status == .forbidden)
            #expect(try await put(department, "reviewer-201", #"{"cells": {"kind:project": "1.00"}}"#).status == .forbidden)
            #expect(try await put("/v1/units/202001/years/2021/control-figures", "reviewer-201",
                                  #"{"cells": {"kind:project": "1.00"}}"#).status == .notFound)
            // Nothing refused changed the figures.
            let after = try await client.execute(uri: unit, method: .get, headers: world.headers("finance"))
            #expect(try cell(after, "kind:project")["ceiling"] as? String == "400000.00")
        }
    }

    @Test("in a managed year a draft past a unit's cell is saved with warnings (BLP warn lines, JSON warnings); submit is refused with V7")
    func warningsThenRefusal() async throws {
        let world = try await APIWorld.make()
        let f = world.fixture
        try f.db.superuser().query("""
            INSERT INTO budget_rounds (year, round, opens_on, closes_on, opened_by)
            VALUES (2021, '一上', current_date - 1, current_date + 365, 'finance')
            """)
        try await f.admin.setDepartmentFigures(
            department: "201", year: 2021, cells: [.project: try Money.parse("500000.00"), .vehicleOperation: try Money.parse("80000.00")],
            by: f.finance)
        try await f.admin.allocateUnitFigures(
            unit: "201002", year: 2021, cells: [.project: try Money.parse("100000.00"), .vehicleOperation: try Money.parse("80000.00")],
            by: f.reviewer)
        try await world.app().test(.router) { client in
            let created = try await client.execute(
                uri: "/v1/units/201002/years/2021/entries", method: .post,
                headers: world.headers("officer-201002", contentType: "text/plain"), body: ByteBuffer(text: supervisionBLP))
            #expect(created.status == .created, "\(created.text)")
            let lines = created.text.split(separator: "\n")
            #expect(lines.count == 3, "\(created.text)")
            #expect(lines[1] == "warn line=2 entry=201-0502-JBN-E5EL rule=V7 cell=kind:project ceiling=100000.00 used=0.00 amount=150000.00 excess=50000.00")
            #expect(lines[2].hasPrefix("warn line=2 entry=201-0502-JBN-E5EL rule=V7 cell=sangong:vehicle_operation ceiling=80000.00"))
            let id = try #require(lines[0].split(separator: " ").first { $0.hasPrefix("id=") }?.dropFirst(3))

            // The same draft replaced through JSON: the entry, and its warnings beside it.
            let entry = try await client.execute(uri: "/v1/entries/\(id)", method: .get, headers: world.headers("officer-201002"))
            let replaced = try await client.execute(
                uri: "/v1/entries/\(id)", method: .put,
                headers: world.headers("officer-201002", contentType: "application/json", extra: [.ifMatch: "\"1\""]),
                body: entry.body)
            #expect(replaced.status == .ok, "\(replaced.text)")
            let warnings = try #require(try replaced.json()["warnings"] as? [[String: Any]])
            #expect(warnings.map { $0["cell"] as? String } == ["kind:project", "sangong:vehicle_operation"])
            #expect(warnings.first?["excess"] as? String == "50000.00" && warnings.first?["rule"] as? String == "V7")

            let submit = try await client.execute(
                uri: "/v1/entries/\(id)/actions/submit", method: .post, headers: world.headers("officer-201002"))
            #expect(submit.status == .unprocessableContent, "\(submit.text)")
            #expect(submit.text.contains("unit.kind:project") && submit.text.contains("unit.sangong:vehicle_operation"), "\(submit.text)")

            // Within its figures: no warning at all.
            let small = supervisionBLP.replacingOccurrences(of: "E5EL", with: "SMAL")
                .replacingOccurrences(of: "150000.00", with: "15000.00").replacingOccurrences(of: "100000.00", with: "10000.00")
                .replacingOccurrences(of: "50000.00", with: "5000.00")
            let fine = try await client.execute(
                uri: "/v1/units/201002/years/2021/entries", method: .post,
                headers: world.headers("officer-201002", contentType: "text/plain", accept: "application/json"), body: ByteBuffer(text: small))
            #expect(fine.status == .created, "\(fine.text)")
            #expect(try fine.json()["warnings"] == nil, "\(fine.text)")
        }
    }
}
