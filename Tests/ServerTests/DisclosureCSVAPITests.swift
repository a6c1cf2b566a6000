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

/// The public CSV downloads: safe to open in a spreadsheet, and readable by Excel.
@Suite("public disclosure CSV over the API")
struct DisclosureCSVAPITests {
    static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Publishes, in department 201's 2020, an entry whose name is a spreadsheet formula.
    static func publishFormula(_ world: APIWorld) async throws {
        let f = world.fixture
        var draft = Fixture.project("201-0502-EVIL", name: #"=HYPERLINK("http://evil.example","x")"#)
        draft.procurement = [ProcurementItem(item: "@SUM(A1)", catalog: "A02010104", unit: "辆", quantity: Quantity(8),
                                             price: try Money.parse("5000.00"))]
        for entry in try await f.create([draft]) { try await f.approve(entry.id) }
        _ = try await f.entries.publish(department: "201", year: 2020, by: f.finance, overrideReason: "no narrative in this test")
    }

    @Test("?format=csv neutralises formulas, keeps numbers, says phase published and starts with a BOM unless bom=0")
    func csv() async throws {
        let world = try await APIWorld.make()
        try await Self.publishFormula(world)
        try await world.app().test(.router) { client in
            let lines = try await client.execute(uri: "/public/v1/disclosures/2020/201?format=csv", method: .get)
            #expect(lines.status == .ok)
            let bytes = Array(lines.body.readableBytesView)
            #expect(Array(bytes.prefix(3)) == Self.bom)
            let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
            #expect(text.hasPrefix("fiscal_year,"))
            #expect(text.contains(#","'=HYPERLINK(""http://evil.example"",""x"")",project,2013102,30231,150000.00,CNY,published"#), "\(text)")
            #expect(!text.contains(#","=HYPERLINK"#) && !text.contains(#""=HYPERLINK"#))
            #expect(!text.contains(",approved"))

            let table = try await client.execute(uri: "/public/v1/disclosures/2020/201?format=csv&table=procurement", method: .get)
            let tableBytes = Array(table.body.readableBytesView)
            #expect(Array(tableBytes.prefix(3)) == Self.bom)
            let procurement = String(decoding: tableBytes.dropFirst(3), as: UTF8.self)
            #expect(procurement.contains(",'@SUM(A1),A02010104,辆,8,0.50,4.00\r\n"), "\(procurement)")

            let plain = try await client.execute(uri: "/public/v1/disclosures/2020/201?format=csv&table=procurement&bom=0", method: .get)
            #expect(Array(plain.body.readableBytesView) == Array(tableBytes.dropFirst(3)))
            let bad = try await client.execute(uri: "/public/v1/disclosures/2020/201?format=csv&bom=yes", method: .get)
            #expect(bad.status == .badRequest && bad.text.contains("bom"))

            // The zip of tables carries the BOM in each file; the data package, for machines, none.
            let zip = Array(try await client.execute(uri: "/public/v1/disclosures/2020/201?format=zip", method: .get).body.readableBytesView)
            #expect(Self.count(of: Self.bom + Array("seq,code".utf8), in: zip) == 1)  // organizations.csv
            #expect(Self.count(of: Self.bom, in: zip) == 8)
            let package = Array(try await client.execute(uri: "/public/v1/disclosures/2020/201?format=datapackage", method: .get)
                .body.readableBytesView)
            #expect(Self.count(of: Self.bom, in: package) == 0)
            #expect(Self.count(of: Array("CNY,published".utf8), in: package) == 1)
            #expect(Self.count(of: Array("'=HYPERLINK".utf8), in: package) == 1)
        }
    }

    static func count(of needle: [UInt8], in haystack: [UInt8]) -> Int {
        guard needle.count <= haystack.count else { return 0 }
        return (0...(haystack.count - needle.count)).filter { haystack[$0..<($0 + needle.count)].elementsEqual(needle) }.count
    }
}
