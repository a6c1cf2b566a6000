import Foundation

extension Validator {
    /// V6: the code is present, at most 64 characters of ASCII letters, digits, `-`, `_`, `.`,
    /// starting with a letter or digit (it is also a CLI argument, where a leading `-` reads as an
    /// option), and not taken in the year; the name is present, at most 200 characters, without
    /// control, format or line-separator characters; the function code is 3–7 digits.
    static func checkIdentity(_ draft: EntryDraft, context: ValidationContext) -> [Violation] {
        var violations: [Violation] = []
        let code = draft.code
        if code.isEmpty {
            violations.append(Violation(rule: .v6, field: "code", message: "code is required"))
        } else if code.unicodeScalars.count > maxCodeLength {  // as PostgreSQL counts length()
            violations.append(Violation(rule: .v6, field: "code", message: "code is longer than \(maxCodeLength) characters"))
        } else if !isSaneCode(code) {
            violations.append(Violation(
                rule: .v6, field: "code",
                message: "code may contain only letters, digits, '-', '_' and '.', starting with a letter or digit"))
        }
        if context.codeTakenInYear {
            violations.append(Violation(rule: .v6, field: "code", message: "code is already used by another entry of this year"))
        }

        let name = draft.name
        if name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            violations.append(Violation(rule: .v6, field: "name", message: "name is required"))
        } else if name.unicodeScalars.count > maxNameLength {  // as PostgreSQL counts length()
            violations.append(Violation(rule: .v6, field: "name", message: "name is longer than \(maxNameLength) characters"))
        }
        if name.unicodeScalars.contains(where: isInvisibleControl) {
            violations.append(Violation(
                rule: .v6, field: "name", message: "name contains control characters (line breaks, tabs, invisible formatting)"))
        }

        if !isDigits(draft.functionCode, count: 3...7) {
            violations.append(Violation(
                rule: .v6, field: "function_code",
                message: "functional classification code must be 3 to 7 digits (e.g. 2013102)"))
        }
        violations += textFieldsWithNUL(draft).map {
            Violation(rule: .v6, field: $0, message: "\($0) contains U+0000 (NUL), which no text may hold")
        }
        return violations
    }

    /// Free-text fields holding NUL: PostgreSQL text cannot store it, so it is refused, never cut.
    static func textFieldsWithNUL(_ draft: EntryDraft) -> [String] {
        var fields: [(String, String)] = [("purpose", draft.purpose), ("goals", draft.goals)]
        for (i, item) in draft.items.enumerated() { fields.append(("items[\(i)].econ", item.econ)) }
        for (i, indicator) in draft.indicators.enumerated() {
            for (key, value) in [("l1", indicator.l1), ("l2", indicator.l2), ("l3", indicator.l3), ("desc", indicator.desc),
                                 ("value", indicator.value), ("basis", indicator.basis)] {
                fields.append(("indicators[\(i)].\(key)", value))
            }
        }
        for (i, line) in draft.procurement.enumerated() {
            for (key, value) in [("item", line.item), ("catalog", line.catalog), ("unit", line.unit)] {
                fields.append(("procurement[\(i)].\(key)", value))
            }
        }
        return fields.filter { $0.1.utf8.contains(0) }.map(\.0)
    }

    /// `^[A-Za-z0-9][A-Za-z0-9._-]*$`, ASCII only.
    static func isSaneCode(_ code: String) -> Bool {
        func isAlnum(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
        }
        let bytes = Array(code.utf8)
        guard let first = bytes.first, isAlnum(first) else { return false }
        return bytes.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }

    /// Control (Cc), format (Cf, e.g. bidi overrides, zero-width) and line/paragraph separators:
    /// never part of a name, and they can disguise one name as another.
    static func isInvisibleControl(_ scalar: Unicode.Scalar) -> Bool {
        let hidden: [Unicode.GeneralCategory] = [.control, .format, .lineSeparator, .paragraphSeparator]
        return hidden.contains(scalar.properties.generalCategory)
    }
}
