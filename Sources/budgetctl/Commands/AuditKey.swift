import ArgumentParser
import Foundation
import Persistence

/// `--key-file`: the Ed25519 audit key, by default $BUDGET_AUDIT_KEY_FILE.
struct AuditKeyFileOptions: ParsableArguments {
    @Option(name: .customLong("key-file"),
            help: ArgumentHelp("The audit signing key file (default: $BUDGET_AUDIT_KEY_FILE).", valueName: "file"))
    var path: String?

    var configuredPath: String? {
        if let path, !path.isEmpty { return path }
        if let env = ProcessInfo.processInfo.environment["BUDGET_AUDIT_KEY_FILE"], !env.isEmpty { return env }
        return nil
    }

    /// The key, or a usage error saying how to name one.
    func signingKey(for command: String) throws -> AuditSigningKey {
        guard let path = configuredPath else {
            throw CLIError.usage("""
                \(command) needs the audit signing key: set BUDGET_AUDIT_KEY_FILE or pass --key-file \
                (create one with budgetctl audit key --generate FILE)
                """)
        }
        do throws(AuditKeyError) {
            return try AuditSigningKey(contentsOf: path)
        } catch {
            throw CLIError.refused(error.description)
        }
    }
}

extension Audit {
    struct Key: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the public key that checks audit checkpoints, or create a signing key file.",
            discussion: """
                Prints the base64 of the 32-byte Ed25519 public key of the signing key file: give it to \
                the auditor, who runs `budgetctl audit verify --public-key KEY` without the private key. \
                With --format json also the key id stored beside each signature.

                --generate FILE writes a new private key to FILE (mode 0600) and never overwrites a file. \
                Keep it outside the database and its backups; point the server's BUDGET_AUDIT_KEY_FILE at it.

                Example:
                  budgetctl audit key --generate /etc/budget/audit-key
                  BUDGET_AUDIT_KEY_FILE=/etc/budget/audit-key budgetctl audit key
                """
        )

        @Option(help: ArgumentHelp("Create a new signing key file here.", valueName: "file")) var generate: String?
        @OptionGroup var keyFile: AuditKeyFileOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            try output.require([.table, .json])
            if generate != nil, keyFile.path != nil { throw ValidationError("--generate and --key-file exclude each other") }
        }

        struct Report: Encodable {
            var publicKey: String
            var keyID: String
            enum CodingKeys: String, CodingKey {
                case publicKey = "public_key"
                case keyID = "key_id"
            }
        }

        func run() async throws {
            try await reportingFailures {
                let key: AuditSigningKey
                if let generate {
                    do throws(AuditKeyError) {
                        key = try AuditSigningKey.generate(at: generate)
                    } catch {
                        throw error.kind == .exists ? CLIError.conflict(error.description) : CLIError.refused(error.description)
                    }
                    Output.note("audit signing key written to \(generate) (mode 0600); its public key:")
                } else {
                    key = try keyFile.signingKey(for: "audit key")
                }
                switch output.format {
                case .json: try Output.printJSON(Report(publicKey: key.publicKey.base64, keyID: key.publicKey.id))
                case .table, .blp: print(key.publicKey.base64)
                }
            }
        }
    }
}
