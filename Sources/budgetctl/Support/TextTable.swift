/// A plain-text table aligned by terminal display width, so Chinese names line up.
struct TextTable {
    enum Alignment: Sendable { case left, right }

    struct Column: Sendable {
        var title: String
        var alignment: Alignment

        init(_ title: String, _ alignment: Alignment = .left) {
            self.title = title
            self.alignment = alignment
        }
    }

    var columns: [Column]
    var rows: [[String]] = []

    init(_ columns: [Column]) { self.columns = columns }

    mutating func add(_ row: [String]) { rows.append(row) }

    /// Header, a rule of dashes, then the rows; columns two spaces apart, no trailing spaces.
    func render(header: Bool = true) -> String {
        let cells = rows.map { row in columns.indices.map { i in i < row.count ? Self.flatten(row[i]) : "" } }
        let titles = columns.map { Self.flatten($0.title) }
        var widths = header ? titles.map(DisplayWidth.of) : Array(repeating: 0, count: columns.count)
        for row in cells {
            for (i, cell) in row.enumerated() { widths[i] = max(widths[i], DisplayWidth.of(cell)) }
        }
        func line(_ values: [String]) -> String {
            var out = ""
            for (i, value) in values.enumerated() {
                let padding = String(repeating: " ", count: widths[i] - DisplayWidth.of(value))
                let last = i == values.count - 1
                switch columns[i].alignment {
                case .left: out += value + (last ? "" : padding)
                case .right: out += padding + value
                }
                if !last { out += "  " }
            }
            return String(out.reversed().drop(while: { $0 == " " }).reversed())
        }
        var lines: [String] = []
        if header {
            lines.append(line(titles))
            lines.append(line(widths.map { String(repeating: "-", count: $0) }))
        }
        lines += cells.map(line)
        return lines.joined(separator: "\n")
    }

    /// A cell is one line: line breaks and tabs become spaces, and what a terminal would act on
    /// (ESC, CR, bidi overrides…) is shown escaped.
    static func flatten(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { scalars.append(scalar == "\n" || scalar == "\t" ? " " : scalar) }
        return TerminalText.escape(String(scalars))
    }
}

/// How many terminal columns text takes: East Asian wide and full-width characters (汉字,
/// （）, ，) take two, combining marks and zero-width characters none, the rest one.
enum DisplayWidth {
    static func of(_ text: String) -> Int {
        text.reduce(0) { $0 + of($1) }
    }

    static func of(_ character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        // A grapheme's width is its base scalar's; combining marks ride along in the same Character.
        if character.unicodeScalars.contains(where: { $0.value == 0xFE0F }) { return 2 }  // emoji presentation
        return of(scalar)
    }

    static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v == 0 || (0x200B...0x200F).contains(v) || v == 0x2060 || v == 0xFEFF { return 0 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: return 0
        default: break
        }
        return isWide(v) ? 2 : 1
    }

    /// East Asian Width W or F (Unicode UAX #11), by range.
    static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3,
             0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1, 0x26AA...0x26AB,
             0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE, 0x26D4, 0x26EA, 0x26F2...0x26F3, 0x26F5, 0x26FA,
             0x26FD, 0x2705, 0x270A...0x270B, 0x2728, 0x274C, 0x274E, 0x2753...0x2755, 0x2757,
             0x2795...0x2797, 0x27B0, 0x27BF, 0x2B1B...0x2B1C, 0x2B50, 0x2B55,
             0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
             0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1B000...0x1B2FF,
             0x1F004, 0x1F0CF, 0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F251, 0x1F300...0x1F64F,
             0x1F680...0x1F6FF, 0x1F900...0x1F9FF, 0x1FA70...0x1FAFF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}

extension DisplayWidth {
    /// `text` cut to at most `width` columns, ending in `…` when cut.
    static func truncate(_ text: String, to width: Int) -> String {
        guard of(text) > width else { return text }
        var out = ""
        var used = 0
        for character in text {
            let w = of(character)
            if used + w > width - 1 { break }
            out.append(character)
            used += w
        }
        return out + "…"
    }
}
