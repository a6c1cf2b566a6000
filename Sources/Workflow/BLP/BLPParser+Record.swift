// Lexing of one record line: `type *(SP field)`. The line arrives valid UTF-8, trimmed, not blank
// and not a comment. Delimiters are all ASCII, so slicing at them never splits a character.
extension BLPParser {
    /// A syntax error that ends the lexing of a line.
    private struct SyntaxError: Error {
        var code: BLPErrorCode
        var field: String?
        var reason: String
        /// A word with no `=` after it, where a key was expected.
        var word: String?
    }

    mutating func parseRecord(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) {
        var index = 0
        while index < bytes.count && BLPText.isNameContinue(bytes[index]) {
            index += 1
        }
        let typeIsWord = index > 0 && BLPText.isNameStart(bytes[0])
            && (index == bytes.count || bytes[index] == BLPText.space || bytes[index] == BLPText.tab)
        let type = Self.text(bytes, 0..<index)
        guard typeIsWord, let recordType = schema.recordType(named: type) else {
            context = .unrecognized(line: line)
            addError(BLPError(line: line, code: .unknownRecordType, reason: Self.unknownTypeReason(bytes)))
            return
        }

        var lineErrors: [BLPError] = []
        var parentLine: Int?
        if let parent = recordType.parent {
            switch context {
            case .parent(let current, let currentLine) where current == parent:
                parentLine = currentLine
            case .unrecognized(let currentLine):
                parentLine = currentLine
            case .parent, .none:
                lineErrors.append(BLPError(
                    line: line,
                    code: .orphanChild,
                    reason: "\(type) must follow the \(parent) record it belongs to"
                ))
            }
        } else {
            context = .parent(type: type, line: line)
        }

        var fields: [BLPField] = []
        do throws(SyntaxError) {
            while index < bytes.count {
                try Self.skipSeparator(bytes, &index)
                let key = try Self.lexKey(bytes, &index)
                let value = try Self.lexValue(bytes, &index, key: key)
                if !schema.allows(key: key, in: type) {
                    lineErrors.append(BLPError(
                        line: line,
                        field: key,
                        code: .unknownKey,
                        reason: "unknown key \"\(key)\" for \(type)"
                    ))
                } else if fields.contains(where: { $0.key == key }) {
                    lineErrors.append(BLPError(
                        line: line,
                        field: key,
                        code: .repeatedKey,
                        reason: "repeated key \"\(key)\""
                    ))
                } else {
                    fields.append(BLPField(key, value))
                }
            }
        } catch {
            var reason = error.reason
            // `name=督查 调研`: a bare word after a field is most likely the rest of an unquoted value.
            if let word = error.word, let last = fields.last {
                reason += "; to put a space in a value, quote it: \(last.key)=\(BLPText.quoted(last.value + " " + word))"
            }
            lineErrors.append(BLPError(line: line, field: error.field, code: error.code, reason: reason))
        }

        guard lineErrors.isEmpty else {
            for error in lineErrors {
                addError(error)
            }
            return
        }
        addRecord(BLPRecord(type: type, fields: fields, line: line, parentLine: parentLine))
    }

    private static func unknownTypeReason(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var end = 0
        while end < bytes.count && bytes[end] != BLPText.space && bytes[end] != BLPText.tab {
            end += 1
        }
        let token = UnsafeBufferPointer(rebasing: bytes[..<end])
        if token.contains(BLPText.equals) {
            return "missing record type: the line starts with a field"
        }
        return "unknown record type \(BLPText.quoted(text(bytes, 0..<end)))"
    }

    /// Skips the spaces before a field; a tab there is refused.
    private static func skipSeparator(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int) throws(SyntaxError) {
        // Called at a space or tab: the type and every value end at one, and the line is trimmed,
        // so a key follows the spaces.
        while index < bytes.count && bytes[index] == BLPText.space {
            index += 1
        }
        if index < bytes.count && bytes[index] == BLPText.tab {
            throw SyntaxError(
                code: .badSeparator,
                reason: "tab between fields; separate fields with spaces"
            )
        }
    }

    private static func lexKey(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int) throws(SyntaxError) -> String {
        let start = index
        var isName = index < bytes.count && BLPText.isNameStart(bytes[index])
        while index < bytes.count {
            let byte = bytes[index]
            if byte == BLPText.equals || byte == BLPText.space || byte == BLPText.tab {
                break
            }
            isName = isName && BLPText.isNameContinue(byte)
            index += 1
        }
        let key = text(bytes, start..<index)
        guard !key.isEmpty else {
            throw SyntaxError(code: .badKey, reason: "'=' with no key before it")
        }
        let bare = !(index < bytes.count && bytes[index] == BLPText.equals)
        guard isName else {
            throw SyntaxError(
                code: .badKey,
                reason: "bad key \(BLPText.quoted(key)): keys are lowercase letters, digits and _, starting with a letter",
                word: bare ? key : nil
            )
        }
        guard !bare else {
            throw SyntaxError(code: .missingValue, field: key, reason: "\(key) has no value: write \(key)=…", word: key)
        }
        index += 1
        return key
    }

    private static func lexValue(
        _ bytes: UnsafeBufferPointer<UInt8>,
        _ index: inout Int,
        key: String
    ) throws(SyntaxError) -> String {
        if index < bytes.count && bytes[index] == BLPText.quote {
            return try lexQuoted(bytes, &index, key: key)
        }
        let start = index
        while index < bytes.count && bytes[index] != BLPText.space {
            let byte = bytes[index]
            switch byte {
            case BLPText.tab:
                throw SyntaxError(
                    code: .badSeparator,
                    field: key,
                    reason: "tab after the value of \(key); separate fields with spaces or quote the value"
                )
            case BLPText.quote:
                throw SyntaxError(
                    code: .badQuoting,
                    field: key,
                    reason: "'\"' inside the unquoted value of \(key); quote the whole value"
                )
            case BLPText.equals:
                throw SyntaxError(
                    code: .badQuoting,
                    field: key,
                    reason: "'=' inside the unquoted value of \(key); quote the value or put a space before the next field"
                )
            default:
                if let control = controlCharacter(bytes, at: index) {
                    throw SyntaxError(
                        code: .controlCharacter,
                        field: key,
                        reason: "control character \(BLPText.codePoint(control)) in the value of \(key)"
                    )
                }
            }
            index += 1
        }
        return text(bytes, start..<index)
    }

    private static func lexQuoted(
        _ bytes: UnsafeBufferPointer<UInt8>,
        _ index: inout Int,
        key: String
    ) throws(SyntaxError) -> String {
        index += 1
        var value: [UInt8] = []
        var runStart = index
        while true {
            guard index < bytes.count else {
                throw SyntaxError(code: .badQuoting, field: key, reason: "unterminated quoted value of \(key)")
            }
            let byte = bytes[index]
            if byte == BLPText.quote {
                break
            }
            if byte == BLPText.backslash {
                value.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                guard index + 1 < bytes.count else {
                    throw SyntaxError(code: .badQuoting, field: key, reason: "unterminated quoted value of \(key)")
                }
                switch bytes[index + 1] {
                case BLPText.quote: value.append(BLPText.quote)
                case BLPText.backslash: value.append(BLPText.backslash)
                case UInt8(ascii: "n"): value.append(BLPText.lineFeed)
                case UInt8(ascii: "t"): value.append(BLPText.tab)
                default:
                    let shown = scalarText(bytes, at: index + 1)
                    throw SyntaxError(
                        code: .badEscape,
                        field: key,
                        reason: "bad escape \\\(shown) in the value of \(key); only \\\" \\\\ \\n \\t are allowed"
                    )
                }
                index += 2
                runStart = index
                continue
            }
            if let control = controlCharacter(bytes, at: index) {
                let hint = byte == BLPText.tab ? "; write \\t" : ""
                throw SyntaxError(
                    code: .controlCharacter,
                    field: key,
                    reason: "control character \(BLPText.codePoint(control)) in the value of \(key)\(hint)"
                )
            }
            index += 1
        }
        value.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
        index += 1
        if index < bytes.count && bytes[index] != BLPText.space {
            if bytes[index] == BLPText.tab {
                throw SyntaxError(
                    code: .badSeparator,
                    field: key,
                    reason: "tab after the value of \(key); separate fields with spaces"
                )
            }
            throw SyntaxError(
                code: .badQuoting,
                field: key,
                reason: "text right after the closing quote of \(key); separate fields with a space"
            )
        }
        return String(decoding: value, as: UTF8.self)
    }

    /// The code point of a control character (C0, DEL or C1) starting at `index`, if there is one.
    private static func controlCharacter(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt32? {
        let byte = bytes[index]
        if BLPText.isASCIIControl(byte) {
            return UInt32(byte)
        }
        // C1 controls U+0080–U+009F are encoded C2 80 … C2 9F.
        if byte == 0xC2 && index + 1 < bytes.count && bytes[index + 1] <= 0x9F {
            return UInt32(bytes[index + 1])
        }
        return nil
    }

    /// The character starting at `index` for a message (controls shown as U+XXXX).
    private static func scalarText(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> String {
        var end = index + 1
        while end < bytes.count && bytes[end] & 0xC0 == 0x80 {
            end += 1
        }
        let character = text(bytes, index..<end)
        if let scalar = character.unicodeScalars.first, TextLimits.isControl(scalar) {
            return "<\(BLPText.codePoint(scalar.value))>"
        }
        return character
    }

    private static func text(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
}
