import Workflow

/// Escapes text for HTML element content and attribute values: `&`, `<`, `>`, `"` and `'`.
enum HTMLText {
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

/// A table cell for ``HTMLWriter/table(_:caption:class:)``.
struct HTMLCell {
    var text: String
    var isHeader = false
    var columns = 1
    var rows = 1
    /// Right-aligned figures.
    var isNumber = false

    static func th(_ text: String, columns: Int = 1, rows: Int = 1) -> HTMLCell {
        HTMLCell(text: text, isHeader: true, columns: columns, rows: rows)
    }

    static func td(_ text: String, columns: Int = 1, rows: Int = 1) -> HTMLCell {
        HTMLCell(text: text, columns: columns, rows: rows)
    }

    static func number(_ text: String, columns: Int = 1) -> HTMLCell {
        HTMLCell(text: text, columns: columns, isNumber: true)
    }
}

/// Builds an HTML document; every piece of text goes through ``HTMLText/escape(_:)``.
struct HTMLWriter {
    private(set) var output = ""

    /// Markup written as is: only for the renderer's own constant tags.
    mutating func raw(_ markup: String) {
        output += markup
    }

    /// `<tag>text</tag>` with the text escaped.
    mutating func element(_ tag: String, _ text: String, class className: String? = nil) {
        let attribute = className.map { " class=\"\(HTMLText.escape($0))\"" } ?? ""
        output += "<\(tag)\(attribute)>\(HTMLText.escape(text))</\(tag)>\n"
    }

    /// One `<p>` per non-empty line.
    mutating func paragraphs(_ text: String) {
        for line in text.split(whereSeparator: \.isNewline)
        where !line.allSatisfy(\.isWhitespace) {
            element("p", String(line))
        }
    }

    /// A `<table>` of `rows`; the first rows of header cells go in a `<thead>`.
    mutating func table(_ rows: [[HTMLCell]], caption: String? = nil, class className: String? = nil) {
        let attribute = className.map { " class=\"\(HTMLText.escape($0))\"" } ?? ""
        output += "<table\(attribute)>\n"
        if let caption { output += "<caption>\(HTMLText.escape(caption))</caption>\n" }
        let headRows = rows.prefix { row in !row.isEmpty && row.allSatisfy(\.isHeader) }.count
        for (index, row) in rows.enumerated() {
            if index == 0, headRows > 0 { output += "<thead>\n" }
            if index == headRows { output += "<tbody>\n" }
            output += "<tr>" + row.map(Self.cell).joined() + "</tr>\n"
            if index == headRows - 1 { output += "</thead>\n" }
        }
        if rows.count > headRows { output += "</tbody>\n" }
        output += "</table>\n"
    }

    private static func cell(_ cell: HTMLCell) -> String {
        let tag = cell.isHeader ? "th" : "td"
        var attributes = ""
        if cell.columns > 1 { attributes += " colspan=\"\(cell.columns)\"" }
        if cell.rows > 1 { attributes += " rowspan=\"\(cell.rows)\"" }
        if cell.isNumber { attributes += " class=\"num\"" }
        let text = HTMLText.escape(cell.text).replacingNewlines(with: "<br>")
        return "<\(tag)\(attributes)>\(text)</\(tag)>"
    }
}

extension String {
    /// The text with each line break replaced by `separator` (for multi-line cells).
    func replacingNewlines(with separator: String) -> String {
        split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).joined(separator: separator)
    }
}
