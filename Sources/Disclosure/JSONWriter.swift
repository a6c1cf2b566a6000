import Workflow

/// Compact JSON written straight into UTF-8 bytes: the same bytes as `JSONEncoder` with
/// `[.sortedKeys, .withoutEscapingSlashes]`, provided the caller writes each object's keys in
/// sorted order. A disclosure of 10,000 entries has some 200,000 values; `JSONEncoder` spent most
/// of a disclosure's time on them.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    /// One flag per open container: whether nothing has been written into it yet.
    private var empty: [Bool] = []

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    // MARK: - Containers

    mutating func object(_ body: (inout JSONWriter) -> Void) {
        open(UInt8(ascii: "{"))
        body(&self)
        close(UInt8(ascii: "}"))
    }

    mutating func array(_ body: (inout JSONWriter) -> Void) {
        open(UInt8(ascii: "["))
        body(&self)
        close(UInt8(ascii: "]"))
    }

    /// An array of `elements`, each written by `write`.
    mutating func array<S: Sequence>(_ elements: S, _ write: (inout JSONWriter, S.Element) -> Void) {
        array { writer in
            for element in elements {
                writer.element()
                write(&writer, element)
            }
        }
    }

    /// Starts the next member of the current object; its value follows.
    mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    /// Starts the next element of the current array.
    mutating func element() {
        separate()
    }

    private mutating func open(_ byte: UInt8) {
        bytes.append(byte)
        empty.append(true)
    }

    private mutating func close(_ byte: UInt8) {
        empty.removeLast()
        bytes.append(byte)
    }

    private mutating func separate() {
        guard let last = empty.indices.last else { return }
        if empty[last] {
            empty[last] = false
        } else {
            bytes.append(UInt8(ascii: ","))
        }
    }

    // MARK: - Values

    mutating func null() {
        append("null")
    }

    mutating func number(_ value: Int) {
        append(String(value))
    }

    /// A string literal (``JSONString/append(_:to:)``).
    mutating func string(_ text: String) {
        JSONString.append(text, to: &bytes)
    }

    /// A 万元 figure as its two-decimal string, e.g. `"1012.49"` (``WanYuan/description``).
    mutating func wanYuan(_ value: WanYuan) {
        // 0.01 万元 = 10 000 fen, rounded half-up (away from zero) once.
        let magnitude = value.money.fen.magnitude
        let rounded = magnitude / 10_000 + (magnitude % 10_000 >= 5_000 ? 1 : 0)
        decimal(rounded, negative: value.money.fen < 0 && rounded > 0)
    }

    /// An exact yuan amount as its two-decimal string, e.g. `"51000.00"` (``Money/yuanString``).
    mutating func yuan(_ value: Money) {
        decimal(value.fen.magnitude, negative: value.fen < 0)
    }

    /// `hundredths` as a string with two decimals.
    private mutating func decimal(_ hundredths: UInt64, negative: Bool) {
        bytes.append(UInt8(ascii: "\""))
        if negative { bytes.append(UInt8(ascii: "-")) }
        digits(hundredths / 100)
        bytes.append(UInt8(ascii: "."))
        bytes.append(UInt8(ascii: "0") + UInt8(hundredths % 100 / 10))
        bytes.append(UInt8(ascii: "0") + UInt8(hundredths % 10))
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func digits(_ value: UInt64) {
        if value >= 10 { digits(value / 10) }
        bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    private mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }
}
