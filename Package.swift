// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "SciLearn",
    platforms: [.macOS(.v15)],
    // MARK: - Public API
    products: [
        .library(name: "SciLearn", targets: ["SciLearn"]),
        .library(name: "SciLearnService", targets: ["SciLearnService"]),
        .library(name: "SciLearnData", targets: ["SciLearnData"]),
        .library(name: "SciLearnQueue", targets: ["SciLearnQueue"]),
        .library(name: "SciLearnQueueSQLite", targets: ["SciLearnQueueSQLite"]),
        .library(name: "SciLearnQueueSQS", targets: ["SciLearnQueueSQS"]),
        .library(name: "SciLearnBackends", targets: ["SciLearnBackends"]),
        .library(name: "SciLearnLambda", targets: ["SciLearnLambda"]),
        .library(name: "SciLearnHTTP", targets: ["SciLearnHTTP"]),
        .executable(name: "scilearn", targets: ["scilearn"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        // MARK: - Implementation details
        .systemLibrary(name: "CLapack", path: "Sources/CLapack"),
        // Hand-vectorised kernels, compiled for several instruction sets and picked at run time.
        // libmvec: glibc's vector exp and log for the logistic loss's AVX2 path.
        .target(name: "CKernels", linkerSettings: [.linkedLibrary("mvec", .when(platforms: [.linux]))]),
        .target(name: "SciLearn", dependencies: ["CLapack", "CKernels"]),
        // The strict JSON reader and writer (value trees, and request bodies with their numeric
        // arrays packed): the service's and the SQS client's.
        .target(name: "SciLearnJSON"),
        .target(name: "SciLearnService", dependencies: ["SciLearn", "SciLearnJSON"]),
        // Data by reference (CONTRACT.md): file:// under the operator's roots, CSV and .npy read
        // straight into the engine's buffers. I/O beside the adapters, not in the service.
        // The data readers' text kernels (numbers, CSV records), in C for their scan rates.
        .target(name: "CDataKernels"),
        .target(
            name: "SciLearnData",
            dependencies: [
                "CDataKernels",
                "CKernels",
                "SciLearn",
                "SciLearnService",
                "SciLearnAWS",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "CompressNIO", package: "compress-nio"),
            ]
        ),
        // The queue protocol, the worker and the in-memory backend: no storage dependency.
        .target(
            name: "SciLearnQueue",
            dependencies: [
                "SciLearnService",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The embedded backend: SQS semantics in one SQLite file.
        .target(
            name: "SciLearnQueueSQLite",
            dependencies: ["SciLearnQueue", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        // AWS Signature V4 and the environment's credentials: shared by the SQS backend and S3
        // references.
        .target(
            name: "SciLearnAWS",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        // Amazon SQS (or an SQS-compatible server) over its JSON protocol, signed with SigV4.
        .target(
            name: "SciLearnQueueSQS",
            dependencies: [
                "SciLearnQueue",
                "SciLearnJSON",
                "SciLearnAWS",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // AWS Lambda: the Runtime API loop and the event handler (SQS batches, API Gateway, direct).
        .target(
            name: "SciLearnLambda",
            dependencies: [
                "SciLearnService",
                "SciLearnQueue",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // Opens a backend from its URI (the CLI, `serve`, tests).
        .target(
            name: "SciLearnBackends",
            dependencies: ["SciLearnQueue", "SciLearnQueueSQLite", "SciLearnQueueSQS", "SciLearnAWS"]
        ),
        .target(
            name: "SciLearnHTTP",
            dependencies: [
                "SciLearnService",
                "SciLearnQueue",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ]
        ),
        // The transport benchmark suite's cost model (`scilearn bench cost`).
        .target(name: "SciLearnBench"),
        // The transport benchmark: one job mix through every way of calling the engine
        // (Benchmarks/transport/suite.py drives it).
        .executableTarget(
            name: "transport-bench",
            dependencies: [
                "SciLearnBench",
                "SciLearnService",
                "SciLearnData",
                "SciLearnQueueSQS",
                "SciLearnAWS",
                "SciLearnJSON",
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "scilearn",
            dependencies: [
                "SciLearnBench",
                "SciLearnService",
                "SciLearnData",
                "SciLearnHTTP",
                "SciLearnQueue",
                "SciLearnQueueSQLite",
                "SciLearnQueueSQS",
                "SciLearnBackends",
                "SciLearnLambda",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // MARK: - Tests
        .target(name: "SciLearnTestSupport", dependencies: ["SciLearn"], path: "Tests/SciLearnTestSupport"),
        // glibc's allocator statistics, for the tests that measure peak memory.
        .systemLibrary(name: "CMalloc", path: "Tests/CMalloc"),
        .testTarget(
            name: "SciLearnTests",
            dependencies: ["SciLearn", "SciLearnTestSupport", "CMalloc", "CKernels"]
        ),
        .testTarget(
            name: "SciLearnDataTests",
            dependencies: ["CDataKernels", "SciLearnData", "SciLearnService", "SciLearnTestSupport"]
        ),
        .testTarget(name: "SciLearnBenchTests", dependencies: ["SciLearnBench", "SciLearnTestSupport"]),
        .testTarget(
            name: "SciLearnServiceTests",
            dependencies: ["SciLearn", "SciLearnService", "SciLearnTestSupport"]
        ),
        .testTarget(
            name: "SciLearnQueueTests",
            dependencies: [
                "SciLearnQueue",
                "SciLearnQueueSQS",
                "SciLearnAWS",
                "SciLearnData",
                "SciLearnQueueSQLite",
                "SciLearnBackends",
                "SciLearnService",
                "SciLearnTestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "SciLearnLambdaTests",
            dependencies: [
                "SciLearnLambda",
                "SciLearnQueue",
                "SciLearnService",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "SciLearnHTTPTests",
            dependencies: [
                "SciLearnHTTP",
                "SciLearnQueue",
                "SciLearnBackends",
                "SciLearnService",
                "SciLearnTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Yams", package: "Yams"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
