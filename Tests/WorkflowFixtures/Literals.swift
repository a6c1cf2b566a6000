import Workflow

/// Money from a decimal-yuan literal written in a test (a typo there is a bug in the test).
public func yuan(_ text: String) -> Money {
    do {
        return try Money.parse(text)
    } catch {
        fatalError("bad money literal \(text) in a test: \(error)")
    }
}

/// A spending plan from whole percentages, e.g. `plan(30, 60, 90, 100)`.
public func plan(_ points: Int...) -> [Percent] {
    points.map(Percent.init)
}
