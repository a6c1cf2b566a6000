// libFuzzer entry point for the BLP/1 codec. Not a package target: ../run.sh compiles this file
// together with Sources/Workflow's sources into one module, so internal API is visible here.
//
// Beyond "does not crash", every input is held to the invariants the unit tests check, and any
// violation traps so libFuzzer keeps the input.

import Foundation

/// Stops the fuzzer with the reason when an invariant fails.
func invariant(_ condition: Bool, _ message: @autoclosure () -> String) {
    if !condition {
        fatalError("BLP invariant broken: \(message())")
    }
}

/// The entries schema without parent links, to re-parse records one by one.
let flatEntries = BLPSchema(BLPSchema.entries.recordTypes.map { .init($0.name, keys: $0.keys) })

@_cdecl("LLVMFuzzerTestOneInput")
public func blpFuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    // The JSON shape check in front of the API's decoder: what it accepts, Foundation parses too.
    if JSONShapeCheck.problem(in: bytes) == nil {
        invariant((try? JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])) != nil,
                  "the JSON shape check accepted what Foundation refuses")
    }
    // Small limits as well as the standard ones, so the limit paths are fuzzed too.
    for limits in [BLPLimits.standard, BLPLimits(maxLineBytes: 64, maxRecords: 8, maxErrors: 8)] {
        let whole = BLPParser.parse(bytes, schema: .entries, limits: limits)
        checkShape(bytes, whole, limits: limits)

        // The same bytes in three chunks split where the input says must give the same result.
        var parser = BLPParser(schema: .entries, limits: limits)
        let first = size == 0 ? 0 : Int(bytes[0]) % (size + 1)
        let second = first + (size - first) / 2
        parser.consume(bytes[..<first])
        parser.consume(bytes[first..<second])
        parser.consume(bytes[second...])
        invariant(parser.finish() == whole, "chunked parse differs")

        // The streaming entry decoder (bulk import) fed the same three chunks, taking entries as
        // they complete, must give exactly what decoding the whole document gives.
        var decoder = BLPEntryDecoder(unit: "201002", year: 2020, limits: limits)
        var streamed: [BLPEntryMapping.DecodedEntry] = []
        decoder.consume(bytes[..<first])
        streamed += decoder.takeEntries()
        decoder.consume(bytes[first..<second])
        streamed += decoder.takeEntries()
        decoder.consume(bytes[second...])
        var rest = decoder.finish()
        rest.entries = streamed + rest.entries
        invariant(rest == BLPEntryMapping.decodeEntries(bytes, unit: "201002", year: 2020, limits: limits),
                  "streamed entry decoding differs")

        // Whatever the parser accepted, the writer must write, and it must parse back the same.
        for record in whole.records {
            guard let line = try? BLPWriter.line(record) else {
                fatalError("BLP invariant broken: writer refused parsed record \(record)")
            }
            let again = BLPParser.parse(line, schema: flatEntries)
            invariant(again.errors.isEmpty && again.records.first?.fields == record.fields, "round trip of \(line)")
        }
    }
    return 0
}

func checkShape(_ bytes: [UInt8], _ result: BLPParseResult, limits: BLPLimits) {
    var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).count
    if bytes.isEmpty || bytes.last == 0x0A {
        lines -= 1
    }
    let stopped = result.errors.last.map { $0.code == .tooManyErrors || $0.code == .tooManyRecords } ?? false
    invariant(stopped ? result.lineCount <= lines : result.lineCount == lines, "line count \(result.lineCount) of \(lines)")
    invariant(result.records.count <= limits.maxRecords, "too many records")
    invariant(result.errors.count <= limits.maxErrors + 1, "too many errors")
    let range = 1...max(1, lines)
    let recordLines = result.records.map(\.line)
    invariant(recordLines.allSatisfy(range.contains), "record line out of range")
    invariant(result.errors.allSatisfy { range.contains($0.line) && !$0.reason.isEmpty }, "error line out of range")
    invariant(recordLines == recordLines.sorted(), "records out of order")
    invariant(result.errors.map(\.line) == result.errors.map(\.line).sorted(), "errors out of order")
    invariant(Set(recordLines).isDisjoint(with: result.errors.map(\.line)), "a line has a record and an error")
    for error in result.errors {
        // Every reason must be writable as an `error` response line.
        invariant(BLPWriter.canEncode(error.reason), "reason holds a control character")
    }
}
