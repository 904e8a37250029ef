// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "zorgzones",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "zorgzones", targets: ["zorgzones"]),
        .library(name: "Zoning", targets: ["Zoning"]),
        .library(name: "Geometry", targets: ["Geometry"]),
        .library(name: "GeoJSON", targets: ["GeoJSON"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
        // Already in the graph through Hummingbird; named for the service's `Expect: 100-continue` handler.
        .package(url: "https://github.com/apple/swift-nio", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.24.0"),
    ],
    targets: [
        // C libraries, through pkg-config. The shim header only sets GEOS_USE_ONLY_R_API.
        .systemLibrary(name: "CGEOS", pkgConfig: "geos", providers: [.apt(["libgeos-dev"])]),
        .systemLibrary(name: "CPROJ", pkgConfig: "proj", providers: [.apt(["libproj-dev"])]),

        .target(name: "Geometry", dependencies: ["CGEOS"]),
        .target(name: "Projection", dependencies: ["CPROJ", "Geometry"]),
        .target(name: "GeoJSON", dependencies: ["Geometry"]),
        .target(name: "Zoning", dependencies: [
            "Geometry", "Projection", "GeoJSON",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "CSV", package: "CSV.swift"),
        ]),
        .target(name: "Cartography", dependencies: ["Zoning", "Geometry", "Projection"]),
        .target(name: "ZorgzonesService", dependencies: [
            "Zoning", "GeoJSON", "Cartography",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "CompressNIO", package: "compress-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
        ]),
        .executableTarget(name: "zorgzones", dependencies: [
            "Zoning", "GeoJSON", "Cartography", "ZorgzonesService",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        .testTarget(name: "GeometryTests", dependencies: ["Geometry"]),
        .testTarget(name: "ProjectionTests", dependencies: ["Projection"]),
        .testTarget(name: "GeoJSONTests", dependencies: ["GeoJSON"]),
        .testTarget(name: "ZoningTests", dependencies: ["Zoning"]),
        .testTarget(name: "CartographyTests", dependencies: ["Cartography"]),
        .testTarget(name: "ZorgzonesServiceTests", dependencies: [
            "ZorgzonesService",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
    ]
)
