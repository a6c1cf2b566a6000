/// Checks a JSON body before Foundation's decoder sees it, for what that decoder does not say or
/// says in its own type names: bad UTF-8, syntax errors (with line and column), nesting deeper
/// than ``maxDepth``, and a key repeated in one object (`{"code":"A","code":"B"}`), which the
/// decoder silently resolves to one of them. A repeated key is refused as BLP refuses it.
///
/// One pass over the bytes, RFC 8259 grammar; memory is the keys of the open objects (at most
/// the body) and a stack of at most ``maxDepth`` levels.
public enum JSONShapeCheck {
    /// The deepest nesting of objects and arrays accepted; entry bodies need four.
    public static let maxDepth = 64

    /// Why a body is refused: a sentence, and the field for a repeated key (`entries[0].code`).
    public struct Problem: Error, Sendable, Hashable {
        public var message: String
        public var field: String?
    }

    /// The first problem of `body`, or nil when it is one well-formed JSON value without repeated keys.
    public static func problem(in body: [UInt8]) -> Problem? {
        body.withUnsafeBufferPointer { bytes -> Problem? in
            if let bad = BLPUTF8.firstInvalidOffset(bytes) {
                return Problem(message: "the body is not valid UTF-8 (\(position(of: bad, in: bytes)))")
            }
            var scanner = Scanner(bytes: bytes)
            do throws(Problem) {
                if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { scanner.index = 3 }  // a byte-order mark, as Foundation allows
                try scanner.value(depth: 0)
                scanner.skipSpace()
                if scanner.index < bytes.count { throw scanner.syntax("unexpected text after the JSON value") }
                return nil
            } catch {
                return error
            }
        }
    }

    /// `line L, column C` (1-based; the column counts bytes) of `offset`.
    static func position(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> String {
        var line = 1
        var lineStart = 0
        for i in 0..<min(offset, bytes.count) where bytes[i] == 0x0A {
            line += 1
            lineStart = i + 1
        }
        return "line \(line), column \(offset - lineStart + 1)"
    }

    struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        /// Where the scanner is, as keys and array positions; spelt out only for an error.
        var path: [PathComponent] = []

        enum PathComponent {
            case key([UInt8])
            case position(Int)
        }

        /// `entries[0].code` for the current path.
        var field: String {
            var out = ""
            for component in path {
                switch component {
                case .key(let key): out += (out.isEmpty ? "" : ".") + String(decoding: key, as: UTF8.self)
                case .position(let position): out += "[\(position)]"
                }
            }
            return out
        }

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        func syntax(_ message: String) -> Problem {
            Problem(message: "the body is not valid JSON: \(message) at \(JSONShapeCheck.position(of: index, in: bytes))")
        }

        var current: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func skipSpace() {
            while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { index += 1 }
        }

        mutating func value(depth: Int) throws(Problem) {
            skipSpace()
            guard let byte = current else { throw syntax("unexpected end of the body") }
            switch byte {
            case UInt8(ascii: "{"): try object(depth: depth + 1)
            case UInt8(ascii: "["): try array(depth: depth + 1)
            case UInt8(ascii: "\""): _ = try string(keepingText: false)
            case UInt8(ascii: "t"): try literal("true")
            case UInt8(ascii: "f"): try literal("false")
            case UInt8(ascii: "n"): try literal("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
            default: throw syntax("unexpected character \(shown(byte))")
            }
        }

        mutating func object(depth: Int) throws(Problem) {
            guard depth <= JSONShapeCheck.maxDepth else { throw syntax("nested deeper than \(JSONShapeCheck.maxDepth) levels") }
            index += 1
            var keys = Set<[UInt8]>()
            skipSpace()
            if current == UInt8(ascii: "}") {
                index += 1
                return
            }
            while true {
                skipSpace()
                guard current == UInt8(ascii: "\"") else { throw syntax("expected a key in double quotes") }
                let key = try string(keepingText: true)
                path.append(.key(key))
                guard keys.insert(key).inserted else {
                    let name = String(decoding: key, as: UTF8.self)
                    throw Problem(message: "key \"\(name)\" appears twice in one object (\(field)); give each key once", field: field)
                }
                skipSpace()
                guard current == UInt8(ascii: ":") else { throw syntax("expected ':' after a key") }
                index += 1
                try value(depth: depth)
                path.removeLast()
                skipSpace()
                switch current {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "}"):
                    index += 1
                    return
                default: throw syntax("expected ',' or '}' in an object")
                }
            }
        }

        mutating func array(depth: Int) throws(Problem) {
            guard depth <= JSONShapeCheck.maxDepth else { throw syntax("nested deeper than \(JSONShapeCheck.maxDepth) levels") }
            index += 1
            skipSpace()
            if current == UInt8(ascii: "]") {
                index += 1
                return
            }
            var position = 0
            while true {
                path.append(.position(position))
                try value(depth: depth)
                path.removeLast()
                position += 1
                skipSpace()
                switch current {
                case UInt8(ascii: ","): index += 1
                case UInt8(ascii: "]"):
                    index += 1
                    return
                default: throw syntax("expected ',' or ']' in an array")
                }
            }
        }

        /// A string at `index` (on its opening quote); its decoded UTF-8 when `keepingText`.
        /// The body is valid UTF-8 already, so only escapes and raw control characters are checked.
        mutating func string(keepingText: Bool) throws(Problem) -> [UInt8] {
            index += 1
            var text: [UInt8] = []
            while true {
                guard let byte = current else { throw syntax("unterminated string") }
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    return text
                case UInt8(ascii: "\\"):
                    index += 1
                    guard let escaped = current else { throw syntax("unterminated string") }
                    index += 1
                    switch escaped {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): if keepingText { text.append(escaped) }
                    case UInt8(ascii: "b"): if keepingText { text.append(0x08) }
                    case UInt8(ascii: "f"): if keepingText { text.append(0x0C) }
                    case UInt8(ascii: "n"): if keepingText { text.append(0x0A) }
                    case UInt8(ascii: "r"): if keepingText { text.append(0x0D) }
                    case UInt8(ascii: "t"): if keepingText { text.append(0x09) }
                    case UInt8(ascii: "u"):
                        let scalar = try unicodeEscape()
                        if keepingText { text += Array(String(Character(scalar)).utf8) }
                    default:
                        index -= 1
                        throw syntax("bad escape \\\(shown(escaped)) in a string")
                    }
                case 0x00..<0x20:
                    throw syntax("control character \(BLPText.codePoint(UInt32(byte))) inside a string; write it escaped")
                default:
                    if keepingText { text.append(byte) }
                    index += 1
                }
            }
        }

        /// `XXXX` after `\u`, with a surrogate pair's second half; a lone surrogate is an error.
        mutating func unicodeEscape() throws(Problem) -> Unicode.Scalar {
            let high = try hex4()
            if (0xDC00...0xDFFF).contains(high) { throw syntax("lone surrogate \\u\(String(high, radix: 16)) in a string") }
            guard (0xD800...0xDBFF).contains(high) else { return Unicode.Scalar(high)! }
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw syntax("lone surrogate \\u\(String(high, radix: 16)) in a string")
            }
            index += 2
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw syntax("lone surrogate \\u\(String(high, radix: 16)) in a string") }
            return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))!
        }

        mutating func hex4() throws(Problem) -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 {
                guard let byte = current, let digit = Self.hexDigit(byte) else { throw syntax("\\u needs four hex digits") }
                value = value << 4 | digit
                index += 1
            }
            return value
        }

        static func hexDigit(_ byte: UInt8) -> UInt32? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
            default: nil
            }
        }

        mutating func literal(_ word: StaticString) throws(Problem) {
            let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
            guard index + expected.count <= bytes.count, bytes[index..<index + expected.count].elementsEqual(expected) else {
                throw syntax("unexpected character \(shown(bytes[index]))")
            }
            index += expected.count
        }

        /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
        mutating func number() throws(Problem) {
            let start = index
            if current == UInt8(ascii: "-") { index += 1 }
            guard let first = current, Self.isDigit(first) else { throw syntax("bad number") }
            index += 1
            if first != UInt8(ascii: "0") { skipDigits() }
            if current == UInt8(ascii: ".") {
                index += 1
                guard let digit = current, Self.isDigit(digit) else { throw syntax("bad number: a digit must follow '.'") }
                skipDigits()
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                index += 1
                if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
                guard let digit = current, Self.isDigit(digit) else { throw syntax("bad number: a digit must follow the exponent") }
                skipDigits()
            }
            // Foundation refuses what a Double cannot hold (1e999); say so here, in words.
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            guard Double(text)?.isFinite == true else {
                index = start
                throw syntax("number out of range")
            }
        }

        mutating func skipDigits() {
            while let byte = current, Self.isDigit(byte) { index += 1 }
        }

        static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

        /// A byte for a message: printable ASCII as itself, the rest as U+XXXX (the character it starts).
        func shown(_ byte: UInt8) -> String {
            if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
            if byte < 0x80 { return BLPText.codePoint(UInt32(byte)) }
            let rest = bytes[index...].prefix(4)
            let scalar = String(decoding: rest, as: UTF8.self).unicodeScalars.first
            return scalar.map { BLPText.codePoint($0.value) } ?? "byte \(byte)"
        }
    }
}
