import Workflow

/// Text from the database or a user, made safe to print on a terminal: every character that a
/// terminal acts on instead of showing is shown as `<U+XXXX>`. That is every control character
/// (C0 such as ESC, CR and backspace; DEL; C1 such as NEL and CSI), which could recolour, clear or
/// overwrite the screen or start a fake line, and the bidirectional controls (U+202E and kin),
/// which make text read differently from what it is. Line feeds (and tabs) stay only where the
/// output keeps several lines.
enum TerminalText {
    static func escape(_ text: String, keepingLineBreaks: Bool = false) -> String {
        // The usual case, printable ASCII and CJK without a format character: no copy.
        guard text.unicodeScalars.contains(where: { isUnsafe($0, keepingLineBreaks: keepingLineBreaks) }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isUnsafe(scalar, keepingLineBreaks: keepingLineBreaks) {
                out.append(contentsOf: shown(scalar).unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    static func isUnsafe(_ scalar: Unicode.Scalar, keepingLineBreaks: Bool) -> Bool {
        let v = scalar.value
        if v >= 0x20 && v < 0x7F { return false }
        if v == 0x0A || v == 0x09 { return !keepingLineBreaks }
        if TextLimits.isControl(scalar) { return true }
        switch v {
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069,  // bidirectional controls
             0x2028, 0x2029:  // line and paragraph separators
            return true
        default:
            return false
        }
    }

    static func shown(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
    }
}
