// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "SciLearn",
    platforms: [.macOS(.v15)],
    // MARK: - Public API
    products: [
        .library(name: "SciLearn", targets: ["SciLearn"]),
        .library(name: "SciLearnService", targets: ["SciLearnService"]),
        .executable(name: "scilearn", targets: ["scilearn"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // MARK: - Implementation details
        .systemLibrary(name: "CLapack", path: "Sources/CLapack"),
        .target(name: "SciLearn", dependencies: ["CLapack"]),
        .target(name: "SciLearnService", dependencies: ["SciLearn"]),
        .executableTarget(
            name: "scilearn",
            dependencies: [
                "SciLearnService",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // MARK: - Tests
        .target(name: "SciLearnTestSupport", dependencies: ["SciLearn"], path: "Tests/SciLearnTestSupport"),
        .testTarget(
            name: "SciLearnTests",
            dependencies: ["SciLearn", "SciLearnTestSupport"]
        ),
        .testTarget(
            name: "SciLearnServiceTests",
            dependencies: ["SciLearnService", "SciLearnTestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
