/// One `key=value` pair of a record, value already unescaped.
public struct BLPField: Sendable, Equatable, Hashable {
    /// The key, `[a-z][a-z0-9_]*`.
    public var key: String
    /// The value as text; empty when written `key=` or `key=""`.
    public var value: String

    /// Creates a field.
    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}

/// One line of a BLP/1 document: a record type and its fields in the order written.
public struct BLPRecord: Sendable, Equatable, Hashable {
    /// The record type, e.g. `entry`, `item`, `ok`.
    public var type: String
    /// The fields in written order; the parser guarantees each key appears at most once.
    public var fields: [BLPField]
    /// 1-based physical line number the record was parsed from; 0 for records built in code.
    public var line: Int
    /// For a child record (e.g. `item`), the line of the parent record (`entry`) it belongs to;
    /// nil for top-level records and for records built in code.
    public var parentLine: Int?

    /// Creates a record.
    public init(type: String, fields: [BLPField], line: Int = 0, parentLine: Int? = nil) {
        self.type = type
        self.fields = fields
        self.line = line
        self.parentLine = parentLine
    }

    /// Creates a record from ordered pairs: `BLPRecord("item", ["econ": "30231", "amount": "50000.00"])`.
    public init(_ type: String, _ fields: KeyValuePairs<String, String>, line: Int = 0) {
        self.init(type: type, fields: fields.map { BLPField($0.key, $0.value) }, line: line)
    }

    /// The value of `key`, or nil when the record does not have it.
    public subscript(key: String) -> String? {
        fields.first { $0.key == key }?.value
    }
}
