// swift-tools-version: 6.1
// The benchmark package: kept apart from the root package so that `swift test` never builds
// package-benchmark and its allocator interposer. It compiles the engine from the root's sources
// through symlinks (Sources/SciLearn, Sources/SciLearnJSON, Sources/SciLearnService, Sources/CLapack, Sources/CKernels), because a path dependency's package
// identity would be the checkout folder's name, which differs between clones.
import PackageDescription

let package = Package(
    name: "SciLearnBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .systemLibrary(name: "CLapack", path: "Sources/CLapack"),
        .target(name: "CKernels", path: "Sources/CKernels", linkerSettings: [.linkedLibrary("mvec", .when(platforms: [.linux]))]),
        .target(name: "SciLearn", dependencies: ["CLapack", "CKernels"], path: "Sources/SciLearn"),
        .target(name: "SciLearnJSON", path: "Sources/SciLearnJSON"),
        .target(name: "SciLearnService", dependencies: ["SciLearn", "SciLearnJSON"], path: "Sources/SciLearnService"),
        // The side-by-side protocol executable (../shared/BENCH-PROTOCOL.md).
        .executableTarget(
            name: "scilearn-bench",
            dependencies: ["SciLearn"],
            path: "Sources/scilearn-bench"
        ),
        // The in-process side of the HTTP overhead benchmark (http/load.py).
        .executableTarget(
            name: "service-bench",
            dependencies: ["SciLearnService"],
            path: "Sources/service-bench"
        ),
        // The HTTP side of it: alternates in-process and HTTP runs of one request, pairwise.
        .executableTarget(
            name: "http-bench",
            dependencies: ["SciLearnService"],
            path: "Sources/http-bench"
        ),
        // package-benchmark suites: `swift package benchmark` in this folder.
        .executableTarget(
            name: "OLSBenchmarks",
            dependencies: [
                "SciLearn",
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/OLSBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
