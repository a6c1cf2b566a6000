/// One line of a response to a BLP request (SPEC §5): `ok line=1 code=… id=… state=draft version=2`
/// or `error line=3 field=general code=bad_value reason="…"`, and after an `ok` a `warn` line for
/// each control-figure cell the saved draft would push past.
///
/// Built only through the factories, which replace control characters BLP/1 cannot carry (anything
/// but `\n` and `\t`) with U+FFFD, so `text` never fails. `BLPSchema.responses` parses these lines.
public struct BLPResponseLine: Sendable, Equatable, CustomStringConvertible {
    /// The line as a record (type `ok` or `error`).
    public let record: BLPRecord

    private init(_ type: String, _ fields: [(String, String?)]) {
        let present = fields.compactMap { key, value in value.map { BLPField(key, Self.writable($0)) } }
        record = BLPRecord(type: type, fields: present)
    }

    /// An `ok` line for the request line `line` (nil when the response is not about one line).
    public static func ok(
        line: Int?,
        code: String? = nil,
        id: String? = nil,
        state: String? = nil,
        version: Int? = nil,
        revision: Int? = nil,
        round: String? = nil
    ) -> BLPResponseLine {
        BLPResponseLine("ok", [
            ("line", line.map(String.init)),
            ("code", code),
            ("id", id),
            ("state", state),
            ("version", version.map(String.init)),
            ("revision", revision.map(String.init)),
            ("round", round),  // in a year run in rounds only
        ])
    }

    /// An `error` line. `line` is nil for an error about the whole request (e.g. a body too large);
    /// `code` is a stable error code, a parse code or a validation rule (`V2`).
    public static func error(
        line: Int?,
        field: String? = nil,
        code: String? = nil,
        reason: String
    ) -> BLPResponseLine {
        BLPResponseLine("error", [
            ("line", line.map(String.init)),
            ("field", field),
            ("code", code),
            ("reason", reason),
        ])
    }

    /// A `warn` line: the draft `entry` was saved, but would push a control-figure cell past its
    /// ceiling (`warn line=2 entry=… rule=V7 cell=kind:project ceiling=… used=… amount=… excess=…`).
    public static func warn(line: Int?, entry: String, _ overshoot: ControlOvershoot) -> BLPResponseLine {
        BLPResponseLine("warn", [
            ("line", line.map(String.init)),
            ("entry", entry),
            ("rule", RuleCode.v7.rawValue),
            ("cell", overshoot.cell.rawValue),
            ("ceiling", overshoot.ceiling.description),
            ("used", overshoot.used.description),
            ("amount", overshoot.amount.description),
            ("excess", overshoot.excess.description),
        ])
    }

    /// The `error` line reporting a parse or value error.
    public static func error(_ error: BLPError) -> BLPResponseLine {
        .error(
            line: error.line > 0 ? error.line : nil,
            field: error.field,
            code: error.code.rawValue,
            reason: error.reason
        )
    }

    /// The line as text, without a terminator.
    public var text: String {
        BLPWriter.render(record)
    }

    public var description: String { text }

    /// Lines as a response body: each followed by `\n`.
    public static func document(_ lines: some Sequence<BLPResponseLine>) -> String {
        var out = ""
        for line in lines {
            out += line.text
            out += "\n"
        }
        return out
    }

    private static func writable(_ value: String) -> String {
        guard !BLPWriter.canEncode(value) else { return value }
        var out = ""
        for scalar in value.unicodeScalars {
            let keep = !TextLimits.isControl(scalar) || scalar == "\n" || scalar == "\t"
            out.unicodeScalars.append(keep ? scalar : "\u{FFFD}")
        }
        return out
    }
}
