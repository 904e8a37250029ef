// swift-tools-version:6.1
// Benchmarks for zorgzones, kept out of the root package so that the product and CI stay light.
// Build with its own scratch path:  swift build -c release --package-path Benchmarks --scratch-path Benchmarks/.build
// The harness that runs it next to shapely, geopandas and GDAL is Scripts/bench/run.sh.
import PackageDescription

let package = Package(
    name: "zorgzones-benchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "zorgzones", path: ".."),
    ],
    targets: [
        // In-process phase timings (read, edge check, union, encode, write) as JSON, for Scripts/bench.
        .executableTarget(name: "zzbench", dependencies: [
            .product(name: "Zoning", package: "zorgzones"),
            .product(name: "DataPackage", package: "zorgzones"),
        ]),
    ]
)
