/// Rows in the text format of `COPY … FROM STDIN`, built in memory: escaped once, on whichever
/// thread prepares them, and sent as they are by the thread that holds the connection.
package struct CopyRows: Sendable {
    /// The rows so far, each ending in `\n`.
    package private(set) var bytes: [UInt8] = []
    /// How many rows are complete.
    package private(set) var count = 0
    private var rowStarted = false

    package init(reservingCapacity capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    package var isEmpty: Bool { count == 0 }

    /// One row of values (nil = NULL).
    package mutating func row(_ values: [String?]) {
        for value in values {
            if let value { field(value) } else { null() }
        }
        endRow()
    }

    /// The next value of the current row, escaped.
    package mutating func field(_ value: String) {
        separate()
        var value = value
        value.withUTF8 { appendEscaped($0) }
    }

    /// The next value of the current row: UTF-8 bytes, escaped.
    package mutating func field(utf8 value: UnsafeBufferPointer<UInt8>) {
        separate()
        appendEscaped(value)
    }

    /// The next value of the current row: a bytea in hex form (`\x…`, its backslash escaped).
    package mutating func field(bytea value: some Sequence<UInt8>) {
        separate()
        let digits: StaticString = "0123456789abcdef"
        bytes.append(contentsOf: [92, 92, UInt8(ascii: "x")])
        digits.withUTF8Buffer { hex in
            for byte in value {
                bytes.append(hex[Int(byte >> 4)])
                bytes.append(hex[Int(byte & 0x0F)])
            }
        }
    }

    /// A NULL as the next value of the current row.
    package mutating func null() {
        separate()
        bytes.append(92)
        bytes.append(UInt8(ascii: "N"))
    }

    /// Ends the current row.
    package mutating func endRow() {
        bytes.append(UInt8(ascii: "\n"))
        rowStarted = false
        count += 1
    }

    /// Forgets the rows, keeping the memory for the next ones.
    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        count = 0
        rowStarted = false
    }

    private mutating func separate() {
        if rowStarted { bytes.append(UInt8(ascii: "\t")) }
        rowStarted = true
    }

    /// Backslash, tab, line feed and carriage return are the bytes COPY's text format escapes;
    /// everything between them is copied in runs.
    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        for index in 0..<utf8.count {
            let escape: UInt8
            switch utf8[index] {
            case 92: escape = 92
            case UInt8(ascii: "\t"): escape = UInt8(ascii: "t")
            case UInt8(ascii: "\n"): escape = UInt8(ascii: "n")
            case UInt8(ascii: "\r"): escape = UInt8(ascii: "r")
            default: continue
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            bytes.append(92)
            bytes.append(escape)
            runStart = index + 1
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
    }
}
