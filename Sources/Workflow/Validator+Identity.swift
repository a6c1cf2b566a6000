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
        if isBlank(name) {
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
        // Field names are only spelled out for a field that holds NUL: this runs on every entry of
        // a bulk import, where none does.
        var fields: [String] = []
        func check(_ value: String, _ name: @autoclosure () -> String) {
            if containsNUL(value) { fields.append(name()) }
        }
        check(draft.purpose, "purpose")
        check(draft.goals, "goals")
        for (i, item) in draft.items.enumerated() { check(item.econ, "items[\(i)].econ") }
        for (i, indicator) in draft.indicators.enumerated() {
            check(indicator.l1, "indicators[\(i)].l1")
            check(indicator.l2, "indicators[\(i)].l2")
            check(indicator.l3, "indicators[\(i)].l3")
            check(indicator.desc, "indicators[\(i)].desc")
            check(indicator.value, "indicators[\(i)].value")
            check(indicator.basis, "indicators[\(i)].basis")
        }
        for (i, line) in draft.procurement.enumerated() {
            check(line.item, "procurement[\(i)].item")
            check(line.catalog, "procurement[\(i)].catalog")
            check(line.unit, "procurement[\(i)].unit")
        }
        return fields
    }

    /// Whether `text` holds U+0000, which PostgreSQL text cannot store.
    public static func containsNUL(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { $0.contains(0) }
    }

    /// `^[A-Za-z0-9][A-Za-z0-9._-]*$`, ASCII only.
    static func isSaneCode(_ code: String) -> Bool {
        func isAlnum(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
        }
        let bytes = code.utf8
        guard let first = bytes.first, isAlnum(first) else { return false }
        return bytes.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") }
    }

    /// Control (Cc), format (Cf, e.g. bidi overrides, zero-width) and line/paragraph separators:
    /// never part of a name, and they can disguise one name as another.
    static func isInvisibleControl(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value >= 0x20 && scalar.value < 0x7F { return false }  // printable ASCII, the usual case
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }

    /// Whether `text` is empty or only white space and line breaks, as
    /// `trimmingCharacters(in: .whitespacesAndNewlines).isEmpty` says, without building the trimmed copy.
    static func isBlank(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy(isWhitespaceOrNewline)
    }

    /// Membership in `CharacterSet.whitespacesAndNewlines`, with ASCII answered without Foundation.
    static func isWhitespaceOrNewline(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x20: return true
        case 0..<0x80: return false
        case 0x3001...: return false  // U+3000 IDEOGRAPHIC SPACE is the last one; CJK text is past it
        default: return CharacterSet.whitespacesAndNewlines.contains(scalar)
        }
    }
}
