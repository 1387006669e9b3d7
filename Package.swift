// swift-tools-version:6.1
import PackageDescription

// The graph is a star around the `osprey` executable, which assembles: OspreyCore (domain types, rules, ports;
// imports nothing) is at the centre; services (OspreyRuntime) and every adapter (config, store, systemd,
// metrics, HTTP, control client, net, secrets) import the core and their own I/O library, never each other
// (OspreyNet and OspreySecrets also use OspreyCrypto). Each target names every module it imports.
let package = Package(
    name: "osprey",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "osprey", targets: ["osprey"]),
        // AES, SHA-256, HMAC, base64url and Fernet, written here; no dependencies.
        .library(name: "OspreyCrypto", targets: ["OspreyCrypto"]),
    ],
    dependencies: [
        // traits: [] keeps FullFoundation (and with it ICU, +45 MB) out of the static binary.
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        // Already in the graph through Hummingbird; named here for the test fakes' custom headers.
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        // Already in the graph through Hummingbird; named for the HTTP types of the listener's own handlers.
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
    ],
    targets: [
        // Domain types, pure rules and ports. Imports nothing.
        .target(name: "OspreyCore"),

        // C libraries, each through a module map and a shim with typed wrappers. (libcurl comes back with the
        // market-data client, which needs TLS and HTTP/2; the control client speaks plain HTTP over a Unix socket.)
        .systemLibrary(name: "CSystemd", pkgConfig: "libsystemd", providers: [.apt(["libsystemd-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // libcurl through dlopen (headers from libcurl4-openssl-dev at build time; libcurl4 at run time, loaded
        // only when a network source is configured).
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("dl")]),
        // The VCS revision, set at build time with -Xcc -DOSPREY_REVISION='"<sha>"'.
        .target(name: "COspreyBuild"),

        // Cryptography without a crypto package: constant-time AES, SHA-256, HMAC, Fernet.
        .target(name: "OspreyCrypto", dependencies: ["CGetRandom"]),
        .target(name: "CGetRandom"),
        .target(name: "CMalloc"),

        // Services: long-running concerns built on the core and API-only packages.
        .target(
            name: "OspreyRuntime",
            dependencies: [
                "OspreyCore", "CMalloc",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),

        // Exchange keys encrypted under the master key.
        .target(name: "OspreySecrets", dependencies: ["OspreyCore", "OspreyCrypto"]),

        // Adapters at the edge: each imports the core and one I/O library.
        .target(name: "OspreyConfig", dependencies: ["OspreyCore"]),
        .target(
            name: "OspreyStore",
            dependencies: [
                "OspreyCore", "CSQLite",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "OspreySystemd",
            dependencies: [
                "OspreyCore", "CSystemd",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "OspreyMetrics",
            dependencies: [
                "OspreyCore",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "OspreyHTTP",
            dependencies: [
                "OspreyCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .target(name: "OspreyControlClient", dependencies: ["OspreyCore"]),
        .target(
            name: "OspreyNet",
            dependencies: ["OspreyCore", "OspreyCrypto", "CCurl", .product(name: "Metrics", package: "swift-metrics")]),

        // The executable only assembles.
        .executableTarget(
            name: "osprey",
            dependencies: [
                "OspreyCore", "OspreyRuntime", "OspreyConfig", "OspreyStore", "OspreySystemd",
                "OspreyMetrics", "OspreyHTTP", "OspreyControlClient", "COspreyBuild", "OspreySecrets", "OspreyNet",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),

        // Fixtures shared by the test targets: temp directories, promtool, polling.
        .target(name: "OspreyTestSupport", path: "Tests/OspreyTestSupport"),
        // Local fakes of the HTTP services Osprey talks to (a Hummingbird server on 127.0.0.1).
        .target(
            name: "OspreyFakes",
            dependencies: [
                "OspreyCore", "OspreyCrypto", "OspreyNet",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            path: "Tests/OspreyFakes"),
        // Every parser that reads outside bytes, as fuzz targets: libFuzzer calls them (.ci/fuzz, which links
        // this target with -sanitize=fuzzer), and OspreyFuzzingTests replays the seed corpus (Tests/FuzzCorpus).
        .target(
            name: "OspreyFuzzing", dependencies: ["OspreyCore", "OspreyConfig", "OspreyCrypto", "OspreyControlClient", "OspreyNet"],
            path: "Tests/OspreyFuzzing"),
        // Benchmarks (run in release mode by Benchmarks/crypto and Benchmarks/scheduler).
        .executableTarget(name: "osprey-crypto-bench", dependencies: ["OspreyCrypto"], path: "Benchmarks/CryptoBench"),
        .executableTarget(
            name: "osprey-scheduler-bench",
            dependencies: [
                "OspreyCore", "OspreyRuntime", "OspreyStore", "OspreyMetrics", "OspreySystemd",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            path: "Benchmarks/SchedulerBench"),
        .executableTarget(
            name: "osprey-ingest-bench",
            dependencies: ["OspreyCore", "OspreyNet", "OspreyRuntime", "OspreyStore", .product(name: "Logging", package: "swift-log")],
            path: "Benchmarks/IngestBench"),
        .executableTarget(
            name: "osprey-trading-bench",
            dependencies: [
                "OspreyCore", "OspreyRuntime", "OspreyStore", "OspreyNet", "OspreyFakes", .product(name: "Logging", package: "swift-log"),
            ],
            path: "Benchmarks/TradingBench"),

        .testTarget(name: "OspreyCoreTests", dependencies: ["OspreyCore"]),
        // The Fernet spec's vectors and Binance's HMAC examples, read from the source tree.
        .testTarget(name: "OspreyCryptoTests", dependencies: ["OspreyCrypto", "OspreyTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "OspreyConfigTests", dependencies: ["OspreyCore", "OspreyConfig", "OspreyTestSupport"]),
        .testTarget(name: "OspreyStoreTests", dependencies: ["OspreyCore", "OspreyStore", "OspreyTestSupport"]),
        .testTarget(
            name: "OspreyNetTests",
            dependencies: [
                "OspreyNet", "OspreyCore", "OspreyRuntime", "OspreyFakes", "OspreyTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]),
        .testTarget(name: "OspreyFuzzingTests", dependencies: ["OspreyFuzzing", "OspreyCore"]),
        .testTarget(name: "OspreyControlClientTests", dependencies: ["OspreyControlClient", "OspreyTestSupport"]),
        .testTarget(name: "OspreySecretsTests", dependencies: ["OspreyCore", "OspreySecrets", "OspreyCrypto"]),
        .testTarget(
            name: "OspreyRuntimeTests",
            dependencies: [
                "OspreyCore", "OspreyRuntime", "OspreyTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "OspreyTradingTests",
            dependencies: [
                "OspreyCore", "OspreyRuntime", "OspreyStore", "OspreyNet", "OspreyFakes", "OspreyTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "OspreyMetricsTests",
            dependencies: [
                "OspreyCore", "OspreyMetrics", "OspreyTestSupport",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // End-to-end: the real `osprey` binary (built because of this dependency), and the assembly built in-process (`@testable import osprey`).
        .testTarget(name: "OspreyDaemonTests", dependencies: [
            "osprey", "OspreyCore", "OspreyConfig", "OspreyMetrics", "OspreyNet", "OspreyRuntime", "OspreySecrets", "OspreyStore",
            "OspreyFakes", "OspreyControlClient", "OspreyTestSupport",
            .product(name: "Logging", package: "swift-log"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
    ]
)

for target in package.targets where target.type != .system && !["COspreyBuild", "CGetRandom", "CMalloc", "CCurl"].contains(target.name) {
    target.swiftSettings = (target.swiftSettings ?? []) + [
        .enableUpcomingFeature("ExistentialAny"),
        .enableUpcomingFeature("MemberImportVisibility"),
    ]
}
