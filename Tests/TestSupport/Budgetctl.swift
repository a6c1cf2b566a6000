import Foundation

/// Runs the built `budgetctl` binary ($BUDGETCTL, set by scripts/test.sh) as a user would.
public enum Budgetctl {
    public struct Result: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    public static var path: String {
        get throws {
            if let path = ProcessInfo.processInfo.environment["BUDGETCTL"], !path.isEmpty { return path }
            let built = TestPostgres.repositoryRoot.appendingPathComponent(".build/debug/budgetctl").path
            guard FileManager.default.isExecutableFile(atPath: built) else {
                throw TestPostgres.NotConfigured()
            }
            return built
        }
    }

    public static func run(_ arguments: [String], environment: [String: String] = [:], stdin: String? = nil) async throws -> Result {
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "DATABASE_URL")
        env.removeValue(forKey: "BUDGETCTL_USER")
        env.merge(environment) { _, new in new }
        let result = try await Subprocess.run(
            try path, arguments, environment: env, stdin: stdin)
        return Result(status: result.status, stdout: result.stdout, stderr: result.stderr)
    }
}
