import Foundation
import Workflow

extension Percent: PostgresEncodable, PostgresDecodable {
    package var postgresBind: PostgresBind { PostgresBind(text: description, oid: PostgresOID.numeric) }
    package init(postgresText text: String) throws(PostgresError) {
        do { self = try Percent.parse(Money.trimmingNumericScale(text)) } catch { throw .decoding(Percent.self, text) }
    }
}

extension Quantity: PostgresEncodable, PostgresDecodable {
    package var postgresBind: PostgresBind { PostgresBind(text: description, oid: PostgresOID.numeric) }
    package init(postgresText text: String) throws(PostgresError) {
        do { self = try Quantity.parse(Quantity.trimmingScale(text)) } catch { throw .decoding(Quantity.self, text) }
    }

    /// numeric(18,4) prints four decimals; the parser takes at most four, so nothing is lost.
    static func trimmingScale(_ text: String) -> String { text }
}

/// A PostgreSQL array literal of text-like values, bound as one parameter (e.g. `$1::uuid[]`).
public struct PostgresArray: PostgresEncodable {
    public var elements: [String?]

    public init(_ elements: [String?]) { self.elements = elements }
    package init(_ values: [some PostgresEncodable]) { elements = values.map(\.postgresBind.text) }

    package var postgresBind: PostgresBind {
        let body = elements.map { element -> String in
            guard let element else { return "NULL" }
            var quoted = "\""
            for character in element {
                if character == "\"" || character == "\\" { quoted.append("\\") }
                quoted.append(character)
            }
            return quoted + "\""
        }
        return PostgresBind(text: "{" + body.joined(separator: ",") + "}", oid: PostgresOID.unknown)
    }
}
