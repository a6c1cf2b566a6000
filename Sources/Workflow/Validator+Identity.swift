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
            violations.append(Violation(rule: .v6, field: "code", message: codeTakenMessage))
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
        violations += textProblems(draft).map { Violation(rule: .v6, field: $0.field, message: $0.message) }
        return violations
    }

    /// The one sentence for a code taken in the year, whoever holds it: naming another unit would
    /// reveal an entry outside the caller's scope.
    public static let codeTakenMessage = "code is already used by another entry of this year"

    /// Every free-text field against ``TextLimits``: too long, or a control character (NUL,
    /// ESC, CR, DEL, C1…) that no codec or terminal should carry. The name and code have their
    /// own, stricter checks above.
    static func textProblems(_ draft: EntryDraft) -> [(field: String, message: String)] {
        // Field names are only spelled out for a field that is wrong: this runs on every entry of
        // a bulk import, where none is.
        var problems: [(field: String, message: String)] = []
        func check(_ value: String, _ kind: TextLimits.Field, _ name: @autoclosure () -> String) {
            if value.utf8.count <= kind.maxLength, !value.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 }) {
                return  // short and without C0, DEL or a C1 lead byte: the usual case, no scalar walk
            }
            let field = name()
            if let message = TextLimits.problem(value, field: field, kind) { problems.append((field, message)) }
        }
        check(draft.purpose, TextLimits.purpose, "purpose")
        check(draft.goals, TextLimits.goals, "goals")
        for (i, item) in draft.items.enumerated() { check(item.econ, TextLimits.econ, "items[\(i)].econ") }
        for (i, indicator) in draft.indicators.enumerated() {
            check(indicator.l1, TextLimits.indicatorLabel, "indicators[\(i)].l1")
            check(indicator.l2, TextLimits.indicatorLabel, "indicators[\(i)].l2")
            check(indicator.l3, TextLimits.indicatorLabel, "indicators[\(i)].l3")
            check(indicator.desc, TextLimits.indicatorText, "indicators[\(i)].desc")
            check(indicator.value, TextLimits.indicatorLabel, "indicators[\(i)].value")
            check(indicator.basis, TextLimits.indicatorText, "indicators[\(i)].basis")
        }
        for (i, line) in draft.procurement.enumerated() {
            check(line.item, TextLimits.procurementItem, "procurement[\(i)].item")
            check(line.catalog, TextLimits.catalog, "procurement[\(i)].catalog")
            check(line.unit, TextLimits.procurementUnit, "procurement[\(i)].unit")
        }
        return problems
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
