// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "zorgzones",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "zorgzones", targets: ["zorgzones"]),
        .library(name: "Zoning", targets: ["Zoning"]),
        .library(name: "Formats", targets: ["Formats"]),
        .library(name: "Printing", targets: ["Printing"]),
        .library(name: "GeoCore", targets: ["GeoCore"]),
        .library(name: "GeoJSON", targets: ["GeoJSON"]),
        .library(name: "DataPackage", targets: ["DataPackage"]),
        .library(name: "Jobs", targets: ["Jobs"]),
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
        // The flow: load → dissolve → check → compare → draw → serve. Each target depends only on those above it.
        // C libraries, through pkg-config. The shim header only sets GEOS_USE_ONLY_R_API.
        .systemLibrary(name: "CGEOS", pkgConfig: "geos", providers: [.apt(["libgeos-dev"])]),
        .systemLibrary(name: "CPROJ", pkgConfig: "proj", providers: [.apt(["libproj-dev"])]),
        .systemLibrary(name: "CGDAL", pkgConfig: "gdal", providers: [.apt(["libgdal-dev"])]),
        .systemLibrary(name: "CRSVG", pkgConfig: "librsvg-2.0", providers: [.apt(["librsvg2-dev"])]),

        // Pure Swift geometry: positions and shapes, exact predicates, the one area, the proven coverage union,
        // the shared-arc topology (simplification, grouping). No C.
        .target(name: "GeoCore"),
        // The only door to GEOS.
        .target(name: "GEOS", dependencies: ["GeoCore", "CGEOS"]),
        // The only door to PROJ.
        .target(name: "Projection", dependencies: ["GeoCore", "CPROJ"]),
        // RFC 7946 reader and writer with located errors (its own JSON layer).
        .target(name: "GeoJSON", dependencies: ["GeoCore"]),
        // The domain: blocks, zonings, the dataset as a value, dissolve. Values in, values out.
        .target(name: "Zoning", dependencies: ["GeoCore", "GEOS", "Projection", "GeoJSON"]),
        // Coverage validation and the rule engine; reports are values with text, Markdown and JSON views.
        .target(name: "Check", dependencies: ["Zoning", "GeoJSON"]),
        // Networks, service areas, overlap matrices and alignment.
        .target(name: "Compare", dependencies: ["Zoning"]),
        // Proposed zonings: every art. 18-compliant grouping of whole referentieregio's, or a local search over ELZ,
        // weighed by congruence, alignment, changes and balance, each checked by the rule engine.
        // The search is the hot loop of the package (a million zonings weighed in a second): optimised in debug builds
        // too, so that `swift test` runs it at the speed a user gets.
        .target(name: "Propose", dependencies: ["Zoning", "Check", "Compare"],
                swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        // SVG maps drawn from given layers and reports.
        .target(name: "Cartography", dependencies: ["Zoning", "Check", "Compare", "GeoJSON"],
                resources: [.embedInCode("Resources/official.json")]),
        // The only door to GDAL: GeoPackage, FlatGeobuf, Shapefile and PostGIS written and any OGR source read,
        // reprojected with the layer's CRS.
        .target(name: "Formats", dependencies: ["GeoCore", "GeoJSON", "Zoning", "CGDAL"]),
        // The only door to librsvg and cairo: SVG maps as PDF pages and PNG images, laid out on paper.
        .target(name: "Printing", dependencies: ["CRSVG"]),
        // All file, CSV, environment and hashing I/O: locating, reading, checksums, atomic writing.
        .target(name: "DataPackage", dependencies: [
            "Zoning", "Check", "Compare", "Cartography", "Formats",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "CSV", package: "CSV.swift"),
        ]),
        // One request type and runner per use case, validated once, shared by the CLI and the service.
        .target(name: "Jobs", dependencies: ["DataPackage", "Cartography", "Compare", "Propose", "Check", "Zoning", "GeoJSON", "Formats", "GeoCore", "Printing"]),
        // The front ends: HTTP and the CLI. They decode requests into jobs and encode what the jobs return.
        .target(name: "ZorgzonesService", dependencies: [
            "Jobs", "DataPackage", "Cartography", "Printing", "Compare", "Propose", "Check", "Zoning", "GeoJSON", "GEOS", "GeoCore",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "CompressNIO", package: "compress-nio"),
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOHTTP1", package: "swift-nio"),
            .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
        ], resources: [.embedInCode("Resources/workbench.html")]),
        .executableTarget(name: "zorgzones", dependencies: [
            "Jobs", "ZorgzonesService", "DataPackage", "Cartography", "Compare", "Propose", "Check", "Zoning", "GeoJSON", "Formats", "GeoCore",
            "Printing",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        // One test target per library target, then the CLI (the real binary), the real data package (fails when
        // it is missing: CI cannot pass by skipping) and the layout rules.
        // What several test targets share: where the data package is, a seeded generator, SVG parsing.
        .target(name: "TestSupport", dependencies: ["GeoCore"], path: "Tests/TestSupport"),
        .testTarget(name: "GeoCoreTests", dependencies: ["GeoCore", "TestSupport"]),
        .testTarget(name: "GEOSTests", dependencies: ["GeoCore", "GEOS", "TestSupport"]),
        .testTarget(name: "ProjectionTests", dependencies: ["GeoCore", "Projection"]),
        .testTarget(name: "GeoJSONTests", dependencies: ["GeoCore", "GeoJSON"]),
        .testTarget(name: "FormatsTests", dependencies: ["Formats", "GeoCore", "GeoJSON", "Zoning", "TestSupport"]),
        .testTarget(name: "ZoningTests", dependencies: ["Zoning", "GeoJSON", "GeoCore", "GEOS"]),
        .testTarget(name: "CheckTests", dependencies: ["Check", "Zoning", "GeoCore", "GEOS", "Projection"]),
        .testTarget(name: "DataPackageTests", dependencies: ["DataPackage", "Zoning"]),
        // Networks and comparisons on synthetic layers (two squares, small tables); the data package's in RealDataTests.
        .testTarget(name: "CompareTests", dependencies: ["Compare", "DataPackage", "Zoning", "GeoJSON", "Projection", "GEOS", "GeoCore"]),
        .testTarget(name: "ProposeTests", dependencies: ["Propose", "Compare", "TestSupport"]),
        .testTarget(name: "JobsTests", dependencies: ["Jobs", "Compare"]),
        .testTarget(name: "CartographyTests", dependencies: ["Cartography", "DataPackage", "GeoCore", "GEOS", "TestSupport"]),
        .testTarget(name: "ZorgzonesServiceTests", dependencies: [
            "ZorgzonesService", "Jobs", "DataPackage", "Zoning", "GeoJSON", "GeoCore", "TestSupport",
            .product(name: "HummingbirdTesting", package: "hummingbird"),
        ]),
        // Runs the built binary (.build/debug/zorgzones); reads what it writes with our GeoJSON reader and hashes.
        .testTarget(name: "PrintingTests", dependencies: ["Printing"]),
        .testTarget(name: "CLITests", dependencies: ["GeoJSON", "DataPackage", "Zoning", "TestSupport"]),
        .testTarget(name: "RealDataTests", dependencies: [
            "Jobs", "DataPackage", "Cartography", "Compare", "Check", "Zoning", "GeoJSON", "Projection", "GEOS", "GeoCore",
            "TestSupport",
        ]),
        .testTarget(name: "LayoutTests"),
    ]
)
