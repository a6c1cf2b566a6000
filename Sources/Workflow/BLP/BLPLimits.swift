/// Bounds on what one parse may consume, so a hostile or mistaken body costs bounded memory.
public struct BLPLimits: Sendable, Equatable {
    /// Longest accepted line in bytes, not counting its `\n` or `\r\n`. The parser never buffers
    /// more than this (plus one byte) of a line.
    public var maxLineBytes: Int
    /// Most records accepted; the next record is a `tooManyRecords` error and parsing stops.
    public var maxRecords: Int
    /// Most errors reported; one more is a `tooManyErrors` error and parsing stops, so a large
    /// garbage body does not produce an even larger error response.
    public var maxErrors: Int

    /// Creates limits; the defaults suit one unit-year's batch over HTTP.
    public init(maxLineBytes: Int = 65_536, maxRecords: Int = 10_000, maxErrors: Int = 1_000) {
        self.maxLineBytes = maxLineBytes
        self.maxRecords = maxRecords
        self.maxErrors = maxErrors
    }

    /// 64 KiB lines, 10 000 records, 1 000 errors.
    public static let standard = BLPLimits()
}
