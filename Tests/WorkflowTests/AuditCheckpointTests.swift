import Foundation
import Testing
import Workflow
import WorkflowFixtures

@Suite("audit checkpoint serialization")
struct AuditCheckpointTests {
    func int(_ value: Int64) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }
    func string(_ value: String) -> [UInt8] { int(Int64(value.utf8.count)) + Array(value.utf8) }
    func bytes(_ value: [UInt8]) -> [UInt8] { int(Int64(value.count)) + value }

    @Test("the signed bytes follow format BCKP1, with heads sorted by the chain's UTF-8 bytes")
    func layout() {
        let checkpoint = AuditCheckpoint(
            at: 1_600_000_000_000_000, previous: .init(id: 7, digest: [0xAA, 0xBB]),
            heads: [.init(chain: "user:root", seq: 2, hash: [2]), .init(chain: "entry:2020:A", seq: 3, hash: [1])])
        let expected: [UInt8] = Array("BCKP1".utf8) + int(1_600_000_000_000_000) + [0x01] + int(7) + bytes([0xAA, 0xBB])
            + int(2) + string("entry:2020:A") + int(3) + bytes([1]) + string("user:root") + int(2) + bytes([2])
        #expect(checkpoint.canonicalBytes == expected)
        #expect(checkpoint.events == 5)
    }

    @Test("every signed field changes the bytes; the order heads are given in does not")
    func distinct() {
        let base = AuditCheckpoint(at: 1, previous: nil, heads: [.init(chain: "a", seq: 1, hash: [1]), .init(chain: "b", seq: 1, hash: [2])])
        var reordered = base
        reordered.heads.reverse()
        #expect(reordered.canonicalBytes == base.canonicalBytes)
        var variants: [AuditCheckpoint] = []
        var v = base; v.at = 2; variants.append(v)
        v = base; v.previous = .init(id: 1, digest: []); variants.append(v)
        v = base; v.heads[0].seq = 2; variants.append(v)
        v = base; v.heads[0].hash = [3]; variants.append(v)
        v = base; v.heads[1].chain = "c"; variants.append(v)
        v = base; v.heads.removeLast(); variants.append(v)
        let all = Set(([base] + variants).map(\.canonicalBytes))
        #expect(all.count == variants.count + 1)
    }
}
