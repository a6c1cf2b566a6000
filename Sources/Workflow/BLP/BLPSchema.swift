/// What a BLP/1 document may contain: its record types, each type's keys, and which types are
/// children that must follow a parent record (an `item` belongs to the nearest `entry` above it).
///
/// Schemas are code, not input: an ill-formed schema literal (a bad name, a parent that is not a
/// top-level type of the schema, a repeated type or key) is a programming error and traps.
public struct BLPSchema: Sendable, Equatable {
    /// One record type of a schema.
    public struct RecordType: Sendable, Equatable {
        /// The type word, `[a-z][a-z0-9_]*`.
        public let name: String
        /// The allowed keys in canonical order. Presence of a key is the caller's business:
        /// the parser only refuses keys outside this list.
        public let keys: [String]
        /// The top-level type this record belongs to, or nil for a top-level record.
        public let parent: String?

        /// Creates a record type.
        public init(_ name: String, keys: [String], parent: String? = nil) {
            self.name = name
            self.keys = keys
            self.parent = parent
        }
    }

    /// The record types in declaration order.
    public let recordTypes: [RecordType]
    private let byName: [String: RecordType]
    private let keySets: [String: Set<String>]

    /// Creates a schema; traps on an ill-formed literal (see the type's documentation).
    public init(_ recordTypes: [RecordType]) {
        var byName: [String: RecordType] = [:]
        var keySets: [String: Set<String>] = [:]
        for type in recordTypes {
            precondition(BLPText.isName(type.name), "BLP schema: bad record type name \(type.name)")
            precondition(byName[type.name] == nil, "BLP schema: record type \(type.name) declared twice")
            let keys = Set(type.keys)
            precondition(keys.count == type.keys.count, "BLP schema: \(type.name) repeats a key")
            precondition(keys.allSatisfy(BLPText.isName), "BLP schema: \(type.name) has a bad key")
            byName[type.name] = type
            keySets[type.name] = keys
        }
        for type in recordTypes {
            if let parent = type.parent {
                precondition(
                    byName[parent].map { $0.parent == nil } ?? false,
                    "BLP schema: parent \(parent) of \(type.name) is not a top-level type"
                )
            }
        }
        self.recordTypes = recordTypes
        self.byName = byName
        self.keySets = keySets
    }

    /// The record type called `name`, if the schema has it.
    public func recordType(named name: String) -> RecordType? {
        byName[name]
    }

    /// Whether records of type `type` may carry `key`.
    public func allows(key: String, in type: String) -> Bool {
        keySets[type]?.contains(key) ?? false
    }
}
