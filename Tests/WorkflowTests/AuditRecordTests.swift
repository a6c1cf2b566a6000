import Foundation
import Testing
import Workflow
import WorkflowFixtures

private let entryID = UUID(uuidString: "00112233-4455-6677-8899-AABBCCDDEEFF")!

private let sample = AuditRecord(
    chain: "unit:201002:2020", seq: 7, at: 1_577_836_800_123_456, actor: "wang", role: "officer", channel: "api",
    action: "submit", entryID: entryID, revision: 1, fromState: "draft", toState: "department_review",
    reason: "提交审核", changes: ["state": "department_review", "general": "150000.00", "code": "201-0502-JBN-E5EL"])

private let previous: [UInt8] = Array(repeating: 0xAB, count: 32)

@Suite("Audit record canonical bytes")
struct AuditRecordTests {
    @Test("the documented format, byte for byte")
    func goldenBytes() {
        let record = AuditRecord(
            chain: "c", seq: 1, at: -2, actor: "a", role: "r", channel: "cli", action: "x",
            entryID: entryID, revision: nil, fromState: "", toState: nil, reason: nil, changes: ["k": "v", "": "é"])
        func u64(_ n: UInt64) -> [UInt8] { (0..<8).reversed().map { UInt8(truncatingIfNeeded: n >> (UInt64($0) * 8)) } }
        func str(_ s: String) -> [UInt8] { u64(UInt64(s.utf8.count)) + Array(s.utf8) }
        var expected: [UInt8] = Array("BAUD1".utf8)
        expected += u64(2) + [0x01, 0x02]                              // previous hash
        expected += str("c")                                           // chain
        expected += u64(1)                                             // seq
        expected += [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE]   // at = -2
        expected += str("a") + str("r") + str("cli") + str("x")
        expected += [0x01, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB, 0xCC, 0xDD, 0xEE, 0xFF]
        expected += [0x00]                                             // revision: nil
        expected += [0x01] + u64(0)                                    // fromState: ""
        expected += [0x00, 0x00]                                       // toState, reason: nil
        expected += u64(2) + str("") + [0, 0, 0, 0, 0, 0, 0, 2, 0xC3, 0xA9] + str("k") + str("v")
        #expect(record.canonicalBytes(previousHash: [0x01, 0x02]) == expected)
    }

    @Test("changes are ordered by the keys' UTF-8 bytes")
    func changesOrder() {
        let keys = ["b", "中", "a", "~", "B", "é", "z", "aa", "0", "_"]
        var record = sample
        record.changes = Dictionary(uniqueKeysWithValues: keys.map { ($0, "v" + $0) })
        func u64(_ n: UInt64) -> [UInt8] { (0..<8).reversed().map { UInt8(truncatingIfNeeded: n >> (UInt64($0) * 8)) } }
        func str(_ s: String) -> [UInt8] { u64(UInt64(s.utf8.count)) + Array(s.utf8) }
        let byteOrder = ["0", "B", "_", "a", "aa", "b", "z", "~", "é", "中"]
        let tail = u64(10) + byteOrder.flatMap { str($0) + str("v" + $0) }
        #expect(Array(record.canonicalBytes(previousHash: []).suffix(tail.count)) == tail)
    }

    @Test("deterministic: equal records give equal bytes whatever the dictionary order")
    func deterministic() {
        var reordered = sample
        reordered.changes = [:]
        for key in sample.changes.keys.sorted().reversed() { reordered.changes[key] = sample.changes[key] }
        #expect(sample.canonicalBytes(previousHash: previous) == sample.canonicalBytes(previousHash: previous))
        #expect(reordered.canonicalBytes(previousHash: previous) == sample.canonicalBytes(previousHash: previous))
        #expect(sample.canonicalBytes(previousHash: previous).starts(with: Array("BAUD1".utf8)))
    }

    @Test("changing any single field changes the bytes", arguments: [
        "previous", "chain", "seq", "at", "actor", "role", "channel", "action", "entryID", "entryID nil", "revision",
        "revision nil", "fromState", "toState", "reason", "reason empty", "change value", "change key", "change added",
        "changes empty",
    ])
    func everyFieldCounts(field: String) {
        var record = sample
        var hash = previous
        switch field {
        case "previous": hash[31] ^= 1
        case "chain": record.chain = "unit:201002:2021"
        case "seq": record.seq += 1
        case "at": record.at += 1
        case "actor": record.actor = "wang2"
        case "role": record.role = "auditor"
        case "channel": record.channel = "cli"
        case "action": record.action = "withdraw"
        case "entryID": record.entryID = UUID(uuidString: "00112233-4455-6677-8899-AABBCCDDEEFE")
        case "entryID nil": record.entryID = nil
        case "revision": record.revision = 2
        case "revision nil": record.revision = nil
        case "fromState": record.fromState = "approved"
        case "toState": record.toState = nil
        case "reason": record.reason = "提交审核。"
        case "reason empty": record.reason = ""
        case "change value": record.changes["general"] = "150000.01"
        case "change key": record.changes["General"] = record.changes.removeValue(forKey: "general")
        case "change added": record.changes["name"] = ""
        case "changes empty": record.changes = [:]
        default: Issue.record("unknown field \(field)")
        }
        #expect(record.canonicalBytes(previousHash: hash) != sample.canonicalBytes(previousHash: previous))
    }

    @Test("nil is not the empty string, and field boundaries cannot shift")
    func unambiguous() {
        var empty = sample
        empty.reason = ""
        var absent = sample
        absent.reason = nil
        #expect(empty.canonicalBytes(previousHash: []) != absent.canonicalBytes(previousHash: []))

        var left = sample
        left.actor = "ab"
        left.role = "c"
        var right = sample
        right.actor = "a"
        right.role = "bc"
        #expect(left.canonicalBytes(previousHash: []) != right.canonicalBytes(previousHash: []))

        var keyHeavy = sample
        keyHeavy.changes = ["ab": "c"]
        var valueHeavy = sample
        valueHeavy.changes = ["a": "bc"]
        #expect(keyHeavy.canonicalBytes(previousHash: []) != valueHeavy.canonicalBytes(previousHash: []))

        // The previous hash is length-prefixed too, so it cannot bleed into the chain name.
        var shifted = sample
        shifted.chain = "\u{AB}" + sample.chain
        #expect(sample.canonicalBytes(previousHash: [0xC2, 0xAB]) != shifted.canonicalBytes(previousHash: [0xC2]))
    }

    @Test("JSON round trip with snake_case keys")
    func codable() throws {
        let data = try JSONEncoder().encode(sample)
        let json = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(json["entry_id"] as? String == entryID.uuidString.lowercased())
        #expect(json["from_state"] as? String == "draft")
        #expect(try JSONDecoder().decode(AuditRecord.self, from: data) == sample)
    }
}
