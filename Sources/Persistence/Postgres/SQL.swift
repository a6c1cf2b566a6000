import Foundation

/// A SQL statement whose interpolated values become `$n` parameters, never SQL text.
///
///     let q: SQL = "SELECT * FROM entries WHERE code = \(code) AND year = \(year)"
///     // text: SELECT * FROM entries WHERE code = $1 AND year = $2
///
/// Identifiers that cannot be parameters go through `\(identifier:)`, which quotes them;
/// trusted SQL fragments through the deliberately named `\(unsafeRaw:)`.
package struct SQL: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    package private(set) var text: String
    package private(set) var binds: [PostgresBind]

    package init(stringLiteral value: String) {
        text = value
        binds = []
    }

    package init(stringInterpolation: StringInterpolation) {
        text = stringInterpolation.text
        binds = stringInterpolation.binds
    }

    /// SQL built from a trusted string with no parameters (e.g. a migration file).
    package init(unsafeSQL text: String) {
        self.text = text
        binds = []
    }

    /// Appends another fragment, renumbering its parameters.
    package mutating func append(_ other: SQL) {
        var interpolation = StringInterpolation(literalCapacity: 0, interpolationCount: 0)
        interpolation.text = text
        interpolation.binds = binds
        interpolation.appendFragment(other)
        text = interpolation.text
        binds = interpolation.binds
    }

    package static func + (lhs: SQL, rhs: SQL) -> SQL {
        var result = lhs
        result.append(rhs)
        return result
    }

    /// The statement text only: bound values are never printed.
    package var description: String { text }

    package struct StringInterpolation: StringInterpolationProtocol, Sendable {
        var text = ""
        var binds: [PostgresBind] = []

        package init(literalCapacity: Int, interpolationCount: Int) {
            text.reserveCapacity(literalCapacity + interpolationCount * 3)
        }

        package mutating func appendLiteral(_ literal: String) { text += literal }

        package mutating func appendInterpolation(_ value: some PostgresEncodable) {
            binds.append(value.postgresBind)
            text += "$\(binds.count)"
        }

        package mutating func appendInterpolation(_ value: (some PostgresEncodable)?) {
            binds.append(value?.postgresBind ?? .null)
            text += "$\(binds.count)"
        }

        /// A quoted identifier (table, column, database, role name).
        package mutating func appendInterpolation(identifier: String) {
            text += "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }

        /// Trusted SQL text inserted verbatim. Never pass user input.
        package mutating func appendInterpolation(unsafeRaw fragment: String) { text += fragment }

        /// Another statement fragment; its parameters are renumbered.
        package mutating func appendInterpolation(_ fragment: SQL) { appendFragment(fragment) }

        mutating func appendFragment(_ fragment: SQL) {
            let offset = binds.count
            binds += fragment.binds
            guard offset > 0, !fragment.binds.isEmpty else {
                text += fragment.text
                return
            }
            text += SQL.renumber(fragment.text, by: offset)
        }
    }

    /// Shifts `$n` placeholders outside quotes by `offset`.
    static func renumber(_ text: String, by offset: Int) -> String {
        var out = ""
        var chars = Array(text)[...]
        var quote: Character?
        while let c = chars.popFirst() {
            if let q = quote {
                out.append(c)
                if c == q { quote = nil }
                continue
            }
            if c == "'" || c == "\"" {
                quote = c
                out.append(c)
            } else if c == "$", let first = chars.first, first.isASCII, first.isNumber {
                var digits = ""
                while let d = chars.first, d.isASCII, d.isNumber {
                    digits.append(d)
                    chars.removeFirst()
                }
                out += "$\(Int(digits)! + offset)"
            } else {
                out.append(c)
            }
        }
        return out
    }
}
