import Foundation

extension Disclosure {
    /// The JSON of SPEC §8: snake_case keys, sorted; every amount a 万元 string with two decimals
    /// (`"1012.49"`), a decrease with a leading `-`; unknown previous-year figures `null`; budget
    /// lines in exact yuan (`amount_yuan`).
    ///
    /// - Parameter prettyPrinted: indent for people; compact for the wire.
    public func renderJSON(prettyPrinted: Bool = false) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = prettyPrinted
            ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
            : [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
