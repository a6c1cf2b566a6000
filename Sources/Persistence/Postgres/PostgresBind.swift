import Foundation
import Workflow

/// One parameter as sent to PostgreSQL: its text form and type OID (0 lets the server infer).
package struct PostgresBind: Sendable, Equatable {
    package var text: String?
    package var oid: UInt32

    package init(text: String?, oid: UInt32) {
        self.text = text
        self.oid = oid
    }

    package static let null = PostgresBind(text: nil, oid: 0)
}

/// Type OIDs of the built-in types this program sends.
package enum PostgresOID {
    package static let bool: UInt32 = 16
    package static let bytea: UInt32 = 17
    package static let int8: UInt32 = 20
    package static let int4: UInt32 = 23
    package static let text: UInt32 = 25
    package static let numeric: UInt32 = 1700
    package static let timestamptz: UInt32 = 1184
    package static let uuid: UInt32 = 2950
    package static let jsonb: UInt32 = 3802
    package static let unknown: UInt32 = 0
}

/// A Swift value that can be bound as a statement parameter.
package protocol PostgresEncodable: Sendable {
    var postgresBind: PostgresBind { get }
}

/// A Swift value that can be decoded from PostgreSQL's text output.
package protocol PostgresDecodable: Sendable {
    init(postgresText text: String) throws(PostgresError)
}

extension PostgresError {
    static func decoding(_ type: Any.Type, _ text: String) -> PostgresError {
        PostgresError(kind: .decoding, message: "cannot decode \(type) from \(text.prefix(64).debugDescription)")
    }
}

extension String: PostgresEncodable, PostgresDecodable {
    // OID 0 ("unknown") behaves like a quoted literal: usable as text, enum, uuid or date.
    package var postgresBind: PostgresBind { PostgresBind(text: self, oid: PostgresOID.unknown) }
    package init(postgresText text: String) { self = text }
}

extension Int: PostgresEncodable, PostgresDecodable {
    package var postgresBind: PostgresBind { PostgresBind(text: String(self), oid: PostgresOID.int8) }
    package init(postgresText text: String) throws(PostgresError) {
        guard let value = Int(text) else { throw .decoding(Int.self, text) }
        self = value
    }
}

extension Int64: PostgresEncodable, PostgresDecodable {
    package var postgresBind: PostgresBind { PostgresBind(text: String(self), oid: PostgresOID.int8) }
    package init(postgresText text: String) throws(PostgresError) {
        guard let value = Int64(text) else { throw .decoding(Int64.self, text) }
        self = value
    }
}

extension Int32: PostgresEncodable, PostgresDecodable {
    package var postgresBind: PostgresBind { PostgresBind(text: String(self), oid: PostgresOID.int4) }
    package init(postgresText text: String) throws(PostgresError) {
        guard let value = Int32(text) else { throw .decoding(Int32.self, text) }
        self = value
    }
}

extension Bool: PostgresEncodable, PostgresDecodable {
    package var postgresBind: PostgresBind { PostgresBind(text: self ? "t" : "f", oid: PostgresOID.bool) }
    package init(postgresText text: String) throws(PostgresError) {
        switch text {
        case "t", "true": self = true
        case "f", "false": self = false
        default: throw .decoding(Bool.self, text)
        }
    }
}

extension UUID: PostgresEncodable, PostgresDecodable {
    package var postgresBind: PostgresBind { PostgresBind(text: uuidString.lowercased(), oid: PostgresOID.uuid) }
    package init(postgresText text: String) throws(PostgresError) {
        guard let value = UUID(uuidString: text) else { throw .decoding(UUID.self, text) }
        self = value
    }
}

/// Exact money: sent and read as NUMERIC yuan, never through floating point.
extension Money: PostgresEncodable, PostgresDecodable {
    package var postgresBind: PostgresBind { PostgresBind(text: description, oid: PostgresOID.numeric) }
    package init(postgresText text: String) throws(PostgresError) {
        do {
            self = try Money.parse(Self.trimmingNumericScale(text))
        } catch {
            throw .decoding(Money.self, text)
        }
    }

    /// NUMERIC columns may print more scale than two ("12.3400"); zeros beyond the fen are exact.
    static func trimmingNumericScale(_ text: String) -> String {
        guard let dot = text.firstIndex(of: ".") else { return text }
        var end = text.endIndex
        while end > text.index(dot, offsetBy: 3, limitedBy: text.endIndex) ?? text.endIndex,
              text[text.index(before: end)] == "0" {
            end = text.index(before: end)
        }
        return String(text[..<end])
    }
}

/// Raw bytes, in PostgreSQL's hex form.
package struct ByteA: Sendable, Hashable, PostgresEncodable, PostgresDecodable {
    package var bytes: [UInt8]
    package init(_ bytes: [UInt8]) { self.bytes = bytes }

    package var hex: String {
        // By hand: String(format:) per byte dominated bulk imports (one hash per audit event).
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    package var postgresBind: PostgresBind { PostgresBind(text: "\\x" + hex, oid: PostgresOID.bytea) }

    package init(postgresText text: String) throws(PostgresError) {
        guard text.hasPrefix("\\x"), text.count % 2 == 0 else { throw .decoding(ByteA.self, text) }
        var out: [UInt8] = []
        out.reserveCapacity((text.utf8.count - 2) / 2)
        var utf8 = text.utf8.dropFirst(2)
        while let high = utf8.popFirst(), let low = utf8.popFirst() {
            guard let h = Self.nibble(high), let l = Self.nibble(low) else { throw .decoding(ByteA.self, text) }
            out.append(h << 4 | l)
        }
        bytes = out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// A jsonb value carried as its JSON text.
package struct JSONB: Sendable, Hashable, PostgresEncodable, PostgresDecodable {
    package var json: String
    package init(json: String) { self.json = json }

    package init(encoding value: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        json = String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    package func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(type, from: Data(json.utf8))
    }

    /// A flat object of strings, written by hand (JSONEncoder is slow per row in bulk inserts).
    package init(stringMap: [String: String]) {
        json = "{" + stringMap.keys.sorted().map { JSONString.quoted($0) + ":" + JSONString.quoted(stringMap[$0]!) }
            .joined(separator: ",") + "}"
    }

    package var postgresBind: PostgresBind { PostgresBind(text: json, oid: PostgresOID.jsonb) }
    package init(postgresText text: String) { json = text }
}

