import Testing
import Workflow
import WorkflowFixtures

/// SPEC §3 written out cell by cell and checked against `Transition.decide` for every
/// state × action × role × (actor in scope, actor out of scope).
///
/// Columns are the current state. A cell is the next state of this revision, `+draft` for
/// `revise` (this revision stays, a new draft revision is created), `ILL` illegal transition,
/// `403` forbidden, `404` not found. Requests carry a reason and no violations, so only
/// scope, role and state decide. "out" actors: an officer of another unit, a reviewer of another
/// department; finance reviewers and auditors see everything, admins nothing.
private let table = """
# role               scope action    draft              department_review  finance_review     approved           published          discarded          superseded
officer              in    submit    department_review  ILL                ILL                ILL                ILL                ILL                ILL
officer              in    withdraw  ILL                draft              ILL                ILL                ILL                ILL                ILL
officer              in    approve   403                403                403                403                403                403                403
officer              in    reject    403                403                403                403                403                403                403
officer              in    publish   403                403                403                403                403                403                403
officer              in    discard   discarded          ILL                ILL                ILL                ILL                ILL                ILL
officer              in    revise    ILL                ILL                ILL                +draft             +draft             ILL                ILL
officer              out   submit    404                404                404                404                404                404                404
officer              out   withdraw  404                404                404                404                404                404                404
officer              out   approve   404                404                404                404                404                404                404
officer              out   reject    404                404                404                404                404                404                404
officer              out   publish   404                404                404                404                404                404                404
officer              out   discard   404                404                404                404                404                404                404
officer              out   revise    404                404                404                404                404                404                404
department_reviewer  in    submit    403                403                403                403                403                403                403
department_reviewer  in    withdraw  403                403                403                403                403                403                403
department_reviewer  in    approve   ILL                finance_review     ILL                ILL                ILL                ILL                ILL
department_reviewer  in    reject    ILL                draft              ILL                ILL                ILL                ILL                ILL
department_reviewer  in    publish   403                403                403                403                403                403                403
department_reviewer  in    discard   403                403                403                403                403                403                403
department_reviewer  in    revise    403                403                403                403                403                403                403
department_reviewer  out   submit    404                404                404                404                404                404                404
department_reviewer  out   withdraw  404                404                404                404                404                404                404
department_reviewer  out   approve   404                404                404                404                404                404                404
department_reviewer  out   reject    404                404                404                404                404                404                404
department_reviewer  out   publish   404                404                404                404                404                404                404
department_reviewer  out   discard   404                404                404                404                404                404                404
department_reviewer  out   revise    404                404                404                404                404                404                404
finance_reviewer     in    submit    403                403                403                403                403                403                403
finance_reviewer     in    withdraw  403                403                403                403                403                403                403
finance_reviewer     in    approve   ILL                ILL                approved           ILL                ILL                ILL                ILL
finance_reviewer     in    reject    ILL                ILL                draft              ILL                ILL                ILL                ILL
finance_reviewer     in    publish   ILL                ILL                ILL                published          ILL                ILL                ILL
finance_reviewer     in    discard   403                403                403                403                403                403                403
finance_reviewer     in    revise    403                403                403                403                403                403                403
finance_reviewer     out   submit    403                403                403                403                403                403                403
finance_reviewer     out   withdraw  403                403                403                403                403                403                403
finance_reviewer     out   approve   ILL                ILL                approved           ILL                ILL                ILL                ILL
finance_reviewer     out   reject    ILL                ILL                draft              ILL                ILL                ILL                ILL
finance_reviewer     out   publish   ILL                ILL                ILL                published          ILL                ILL                ILL
finance_reviewer     out   discard   403                403                403                403                403                403                403
finance_reviewer     out   revise    403                403                403                403                403                403                403
auditor              in    submit    403                403                403                403                403                403                403
auditor              in    withdraw  403                403                403                403                403                403                403
auditor              in    approve   403                403                403                403                403                403                403
auditor              in    reject    403                403                403                403                403                403                403
auditor              in    publish   403                403                403                403                403                403                403
auditor              in    discard   403                403                403                403                403                403                403
auditor              in    revise    403                403                403                403                403                403                403
auditor              out   submit    403                403                403                403                403                403                403
auditor              out   withdraw  403                403                403                403                403                403                403
auditor              out   approve   403                403                403                403                403                403                403
auditor              out   reject    403                403                403                403                403                403                403
auditor              out   publish   403                403                403                403                403                403                403
auditor              out   discard   403                403                403                403                403                403                403
auditor              out   revise    403                403                403                403                403                403                403
admin                in    submit    404                404                404                404                404                404                404
admin                in    withdraw  404                404                404                404                404                404                404
admin                in    approve   404                404                404                404                404                404                404
admin                in    reject    404                404                404                404                404                404                404
admin                in    publish   404                404                404                404                404                404                404
admin                in    discard   404                404                404                404                404                404                404
admin                in    revise    404                404                404                404                404                404                404
admin                out   submit    404                404                404                404                404                404                404
admin                out   withdraw  404                404                404                404                404                404                404
admin                out   approve   404                404                404                404                404                404                404
admin                out   reject    404                404                404                404                404                404                404
admin                out   publish   404                404                404                404                404                404                404
admin                out   discard   404                404                404                404                404                404                404
admin                out   revise    404                404                404                404                404                404                404
"""

/// The entry every request is about: unit 201002 of department 201.
let referenceScope = EntryScope(unitCode: "201002", departmentCode: "201")

/// An actor of `role` whose organization puts the reference entry in or out of its scope.
func actor(_ role: Role, inScope: Bool) -> Actor {
    switch role {
    case .officer: return Actor(name: "wang", role: role, orgCode: inScope ? "201002" : "202001")
    case .departmentReviewer: return Actor(name: "zhao", role: role, orgCode: inScope ? "201" : "202")
    case .financeReviewer: return Actor(name: "qian", role: role, orgCode: inScope ? nil : "999")
    case .auditor: return Actor(name: "sun", role: role, orgCode: inScope ? nil : "999")
    case .admin: return Actor(name: "root", role: role, orgCode: inScope ? nil : "201")
    }
}

struct TableKey: Hashable, CustomStringConvertible {
    var role: Role
    var inScope: Bool
    var action: EntryAction
    var state: EntryState

    var description: String {
        "\(role.rawValue)/\(inScope ? "in" : "out")/\(action.rawValue)/\(state.rawValue)"
    }
}

/// Parses the table; any malformed row or repeated combination fails the test.
func parseTable() throws -> [TableKey: String] {
    var cells: [TableKey: String] = [:]
    for line in table.split(separator: "\n") where !line.hasPrefix("#") {
        let words = line.split(separator: " ").map(String.init)
        try #require(words.count == 3 + EntryState.allCases.count, "malformed row: \(line)")
        let role = try #require(Role(rawValue: words[0]), "unknown role in: \(line)")
        try #require(words[1] == "in" || words[1] == "out", "scope must be in or out: \(line)")
        let action = try #require(EntryAction(rawValue: words[2]), "unknown action in: \(line)")
        for (state, cell) in zip(EntryState.allCases, words.dropFirst(3)) {
            let key = TableKey(role: role, inScope: words[1] == "in", action: action, state: state)
            try #require(cells[key] == nil, "repeated row for \(key)")
            cells[key] = cell
        }
    }
    return cells
}

/// What `decide` answers, in the table's notation.
func observed(_ key: TableKey) -> String {
    let request = TransitionRequest(
        state: key.state, action: key.action, actor: actor(key.role, inScope: key.inScope), scope: referenceScope,
        reason: "reason given", violations: [])
    do {
        let outcome = try Transition.decide(request)
        if let newRevision = outcome.newRevision {
            // revise leaves this revision where it is.
            return outcome.to == key.state ? "+" + newRevision.rawValue : "revise moved the old revision to \(outcome.to)"
        }
        return outcome.to.rawValue
    } catch {
        switch error {
        case .illegalTransition: return "ILL"
        case .forbidden: return "403"
        case .notFound: return "404"
        default: return error.code
        }
    }
}

@Suite("Transition table")
struct TransitionTableTests {
    @Test("the table lists every state × action × role × scope exactly once")
    func tableIsComplete() throws {
        let cells = try parseTable()
        #expect(cells.count == EntryState.allCases.count * EntryAction.allCases.count * Role.allCases.count * 2)
        for role in Role.allCases {
            for inScope in [true, false] {
                for action in EntryAction.allCases {
                    for state in EntryState.allCases {
                        let key = TableKey(role: role, inScope: inScope, action: action, state: state)
                        #expect(cells[key] != nil, "missing from the table: \(key)")
                    }
                }
            }
        }
    }

    @Test("Transition.decide answers exactly what the table says")
    func decideMatchesTable() throws {
        let cells = try parseTable()
        var checked = 0
        for role in Role.allCases {
            for inScope in [true, false] {
                for action in EntryAction.allCases {
                    for state in EntryState.allCases {
                        let key = TableKey(role: role, inScope: inScope, action: action, state: state)
                        let expected = try #require(cells[key], "missing from the table: \(key)")
                        #expect(observed(key) == expected, "\(key)")
                        checked += 1
                    }
                }
            }
        }
        #expect(checked == 490)
    }

    @Test("Role.mayPerform agrees with the table's 403 cells")
    func mayPerformMatchesTable() throws {
        let cells = try parseTable()
        for role in Role.allCases {
            for action in EntryAction.allCases {
                let everForbidden = EntryState.allCases.allSatisfy {
                    cells[TableKey(role: role, inScope: true, action: action, state: $0)] == "403"
                }
                // Admins see nothing, so their in-scope row is 404; they may never act either.
                let expected = role == .admin ? false : !everForbidden
                #expect(role.mayPerform(action) == expected, "\(role.rawValue) \(action.rawValue)")
            }
        }
    }
}
