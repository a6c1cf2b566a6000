// swift-tools-version:6.1
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "budget",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "budget-server", targets: ["Server"]),
        .executable(name: "budgetctl", targets: ["budgetctl"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.34.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // libpq, the one database client, through pkg-config.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        // glibc's malloc_trim: the server returns freed upload buffers to the system.
        .systemLibrary(name: "CMalloc"),
        // The pure domain: no I/O, nothing but Foundation.
        .target(name: "Workflow", swiftSettings: strict),
        // The published disclosure: pure rendering of the domain (HTML, CSV, Markdown, JSON, FDP).
        .target(name: "Disclosure", dependencies: ["Workflow"], swiftSettings: strict),
        .target(
            name: "Persistence",
            dependencies: [
                "CLibPQ",
                "Disclosure",
                "Workflow",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "Server",
            dependencies: [
                "CMalloc",
                "Disclosure",
                "Persistence",
                "Workflow",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "budgetctl",
            dependencies: [
                "Disclosure",
                "Persistence",
                "Workflow",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Drafts and literals shared by the Workflow and Disclosure tests (the reference projects).
        .target(name: "WorkflowFixtures", dependencies: ["Workflow"], path: "Tests/WorkflowFixtures", swiftSettings: strict),
        .testTarget(name: "WorkflowTests", dependencies: ["Workflow", "WorkflowFixtures"], swiftSettings: strict),
        .testTarget(
            name: "DisclosureTests",
            dependencies: ["Disclosure", "Workflow", "WorkflowFixtures"],
            swiftSettings: strict
        ),
        // Starts nothing itself: finds the PostgreSQL cluster the test command started.
        .target(
            name: "TestSupport",
            dependencies: ["Persistence", .product(name: "Logging", package: "swift-log")],
            path: "Tests/TestSupport",
            swiftSettings: strict
        ),
        .testTarget(
            name: "PersistenceTests",
            dependencies: ["Disclosure", "Persistence", "Workflow", "TestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "Server",
                "Persistence",
                "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "CLITests",
            dependencies: ["Persistence", "Workflow", "TestSupport"],
            swiftSettings: strict
        ),
    ],
    swiftLanguageModes: [.v6]
)
