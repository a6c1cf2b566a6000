/// The rows of a statement's result, copied out of libpq's `PGresult` so they may cross threads.
package struct PostgresRows: Sendable, Sequence {
    package let columns: [String]
    package let rows: [PostgresRow]
    /// Rows affected by INSERT/UPDATE/DELETE (libpq's `PQcmdTuples`), 0 otherwise.
    package let affectedRows: Int

    init(columns: [String], values: [[String?]], affectedRows: Int) {
        self.columns = columns
        let index = Dictionary(columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        rows = values.map { PostgresRow(index: index, values: $0) }
        self.affectedRows = affectedRows
    }

    package var count: Int { rows.count }
    package var first: PostgresRow? { rows.first }
    package func makeIterator() -> IndexingIterator<[PostgresRow]> { rows.makeIterator() }
}

/// One result row; values are PostgreSQL's text output, decoded on demand.
package struct PostgresRow: Sendable {
    let index: [String: Int]
    package let values: [String?]

    /// Decodes a non-null column.
    package func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws(PostgresError) -> T {
        guard let position = index[column] else {
            throw PostgresError(kind: .decoding, message: "no column \(column) in result")
        }
        guard let text = values[position] else {
            throw PostgresError(kind: .decoding, message: "column \(column) is NULL, expected \(T.self)")
        }
        return try T(postgresText: text)
    }

    /// Decodes a column that may be NULL.
    package func decode<T: PostgresDecodable>(_ column: String, as type: T?.Type) throws(PostgresError) -> T? {
        guard let position = index[column] else {
            throw PostgresError(kind: .decoding, message: "no column \(column) in result")
        }
        guard let text = values[position] else { return nil }
        return try T(postgresText: text)
    }

    package subscript(column: String) -> String? {
        guard let position = index[column] else { return nil }
        return values[position]
    }
}
