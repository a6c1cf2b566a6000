import Workflow

/// Escapes text for CommonMark/GFM so that data never turns into markup (or raw HTML).
enum MarkdownText {
    private static let special: Set<Character> = ["\\", "`", "*", "_", "[", "]", "<", ">", "|", "#", "&", "~", "!"]

    /// Inline text: every markup character backslash-escaped.
    static func escape(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if special.contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    /// A line of its own (a paragraph): escaped inline, and escaped at its start where it would
    /// open a list, heading or rule.
    static func line(_ text: String) -> String {
        var escaped = escape(text)
        if let first = escaped.first, "-+=".contains(first) {
            escaped.insert("\\", at: escaped.startIndex)
        }
        // "1. " or "1) " would start an ordered list.
        let digits = escaped.prefix { $0.isASCII && $0.isNumber }
        let rest = escaped.dropFirst(digits.count)
        if !digits.isEmpty, let marker = rest.first, marker == "." || marker == ")",
           rest.dropFirst().first.map({ $0 == " " || $0 == "\t" }) ?? true {
            escaped.insert("\\", at: escaped.index(escaped.startIndex, offsetBy: digits.count))
        }
        return escaped
    }

    /// A table cell: escaped, with line breaks as `<br>` (tables cannot hold a newline).
    static func cell(_ text: String) -> String {
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map { escape(String($0)) }
            .joined(separator: "<br>")
    }

    /// A GFM table; columns listed in `numeric` are right-aligned.
    static func table(_ header: [String], _ rows: [[String]], numeric: Set<Int> = []) -> String {
        var lines = ["| " + header.map(cell).joined(separator: " | ") + " |"]
        lines.append("|" + header.indices.map { numeric.contains($0) ? " ---: " : " --- " }.joined(separator: "|") + "|")
        for row in rows {
            lines.append("| " + row.map(cell).joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One paragraph per non-empty line.
    static func paragraphs(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).filter { !$0.allSatisfy(\.isWhitespace) }
            .map { line(String($0)) + "\n" }.joined(separator: "\n")
    }
}
