/// Character classes of BLP/1 shared by the parser and the writer, so both agree by construction.
enum BLPText {
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let quote: UInt8 = 0x22
    static let hash: UInt8 = 0x23
    static let equals: UInt8 = 0x3D
    static let backslash: UInt8 = 0x5C

    /// `[a-z]`, the first byte of a key or record type.
    static func isNameStart(_ byte: UInt8) -> Bool {
        byte >= 0x61 && byte <= 0x7A
    }

    /// `[a-z0-9_]`, the following bytes of a key or record type.
    static func isNameContinue(_ byte: UInt8) -> Bool {
        isNameStart(byte) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F
    }

    /// Whether `name` matches `[a-z][a-z0-9_]*`.
    static func isName(_ name: String) -> Bool {
        var bytes = name.utf8.makeIterator()
        guard let first = bytes.next(), isNameStart(first) else { return false }
        while let byte = bytes.next() {
            guard isNameContinue(byte) else { return false }
        }
        return true
    }

    /// A C0 control or DEL; C1 controls are two-byte sequences, see `isC1Control`.
    static func isASCIIControl(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x7F
    }

    /// `U+XXXX` for messages.
    static func codePoint(_ value: UInt32) -> String {
        let hex = String(value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// User text for a message: in double quotes, control characters shown as `U+XXXX` and cut
    /// at 40 characters, so a reason stays one short line and always writable.
    static func quoted(_ text: Substring) -> String {
        var out = "\""
        var count = 0
        for scalar in text.unicodeScalars {
            if count == 40 {
                out += "…"
                break
            }
            if TextLimits.isControl(scalar) {
                out += "<\(codePoint(scalar.value))>"
            } else {
                out.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return out + "\""
    }

    static func quoted(_ text: String) -> String {
        quoted(text[...])
    }
}
