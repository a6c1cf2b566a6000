import Foundation
import TestSupport
import Testing
import Workflow

@Suite("budgetctl year: open, show, extend, close")
struct YearCommandTests {
    @Test("the finance bureau opens 一上; year show lists it; entries imported in the window carry it; bad input exits non-zero")
    func openAndShow() async throws {
        let world = try await CLIWorld.bootstrapped()
        let unmanaged = try await world.ok(["year", "show", "2021"], as: "officer-201002")
        #expect(unmanaged.stdout.contains("unmanaged"))

        let opened = try await world.ok(["year", "open", "2021", "--round", "一上", "--from", "2020-01-01", "--until", "2099-12-31"], as: "finance")
        #expect(opened.stdout.contains("opened round 一上 of 2021"))
        let shown = try await world.ok(["year", "show", "2021"], as: "reviewer-201")
        #expect(shown.stdout.contains("round 一上 is open for entries"))
        #expect(shown.stdout.contains("2020-01-01") && shown.stdout.contains("2099-12-31") && shown.stdout.contains("open"))
        let json = try await world.ok(["year", "show", "2021", "--format", "json"], as: "auditor")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let rounds = try #require(document["rounds"] as? [[String: Any]])
        #expect(rounds.map { $0["round"] as? String } == ["一上"])
        #expect(rounds.first?["state"] as? String == "open" && rounds.first?["opened_by"] as? String == "finance")

        try await world.importDrafts([Fixture.project("Y-CLI-1")], year: 2021)
        let entry = try await world.ok(["show", "Y-CLI-1", "--year", "2021", "--format", "json"], as: "finance")
        let read = try #require(try JSONSerialization.jsonObject(with: Data(entry.stdout.utf8)) as? [String: Any])
        #expect(read["round"] as? String == "一上")
        #expect(try await world.ok(["show", "Y-CLI-1", "--year", "2021"], as: "finance").stdout.contains("一上"))

        let extended = try await world.ok(["year", "extend", "2021", "--round", "one-up", "--until", "2100-01-31"], as: "finance")
        #expect(extended.stdout.contains("2100-01-31"))

        let twice = try await world.run(["year", "open", "2021", "--round", "一上", "--until", "2099-12-31"], as: "finance")
        #expect(twice.status == 4, "\(twice.stderr)")
        #expect(twice.stderr.contains("round 一上 of 2021 was already opened"))
        let skipped = try await world.run(["year", "open", "2021", "--round", "二上", "--until", "2099-12-31"], as: "finance")
        #expect(skipped.status == 4 && skipped.stderr.contains("cannot open before round 一下"), "\(skipped.stderr)")
        let unknown = try await world.run(["year", "open", "2021", "--round", "三上", "--until", "2099-12-31"], as: "finance")
        #expect(unknown.status == 1 && unknown.stderr.contains("unknown round"), "\(unknown.stderr)")
        let backwards = try await world.run(["year", "open", "2022", "--round", "一上", "--from", "2021-09-30", "--until", "2021-09-01"], as: "finance")
        #expect(backwards.status == 1 && backwards.stderr.contains("dates out of order"), "\(backwards.stderr)")
        let officer = try await world.run(["year", "close", "2021", "--round", "一上"], as: "officer-201002")
        #expect(officer.status == 1 && officer.stderr.contains("only the finance bureau"), "\(officer.stderr)")

        try await world.ok(["year", "close", "2021", "--round", "一上"], as: "finance")
        let late = try await world.run(["import", "-", "--unit", "201002", "--year", "2021"], as: "officer-201002",
                                       stdin: try BLPEntryMapping.encode([Fixture.project("Y-CLI-2")]))
        #expect(late.status == 4 && late.stderr.contains("round 一上 of 2021 is closed (2020-01-01 – 2100-01-31)"), "\(late.stderr)")
    }
}
