import Foundation
import Testing
@testable import GeoCore
@testable import GEOS

func square(_ x: Double, _ y: Double, _ s: Double = 1) -> Polygon {
    Polygon(exterior: [Position(x, y), Position(x + s, y), Position(x + s, y + s), Position(x, y + s), Position(x, y)])
}

@Suite struct GeometryTests {
    @Test func shapeRoundTripKeepsRingsAndHoles() throws {
        let hole: Ring = [Position(0.25, 0.25), Position(0.25, 0.75), Position(0.75, 0.75), Position(0.75, 0.25), Position(0.25, 0.25)]
        let p = Polygon(exterior: square(0, 0).exterior, holes: [hole])
        let shape = Shape.multiPolygon([p, square(5, 5)])
        let g = try Geometry(shape)
        #expect(g.typeName == "MultiPolygon")
        #expect(try g.area() == 1 - 0.25 + 1)
        #expect(try g.shape() == shape)
        #expect(g.numGeometries == 2)
        #expect(g.numCoordinates == 15)
    }

    @Test func coverageUnionOfAGridIsOneSquare() throws {
        let cells = (0..<3).flatMap { i in (0..<3).map { j in Shape.polygon(square(Double(i), Double(j))) } }
        let u = try Geometry.collection(of: cells).coverageUnion()
        #expect(try u.area() == 9)
        #expect(try u.isValid())
        let polys = try u.polygons()
        #expect(polys.count == 1)
        #expect(polys[0].holes.isEmpty)
        // Shared edges are gone: only the outer ring's vertices remain (12 boundary vertices + closing one).
        #expect(polys[0].exterior.count == 13)
    }

    @Test func unionKeepsSeparatePartsAndHoles() throws {
        // A ring of 8 cells around an empty centre: one polygon with one hole.
        var cells: [Shape] = []
        for i in 0..<3 { for j in 0..<3 where !(i == 1 && j == 1) { cells.append(.polygon(square(Double(i), Double(j)))) } }
        cells.append(.polygon(square(10, 10)))
        let u = try Geometry.collection(of: cells).unaryUnion()
        let polys = try u.polygons()
        #expect(polys.count == 2)
        #expect(polys.map(\.holes.count).sorted() == [0, 1])
        #expect(try u.area() == 9)
    }

    @Test func geosErrorsArriveAsSwiftErrors() throws {
        #expect(throws: GeometryError.self) { try Geometry(wkt: "POLYGON((0 0, 1 0, 1 1, 2 2))") }
        do {
            _ = try Geometry(wkt: "NOT WKT")
            Issue.record("expected an error")
        } catch let e as GeometryError {
            #expect(e.operation == "WKT read")
            #expect(e.message.contains("ParseException"))
        }
        // A ring that is not closed cannot be built; GEOS's message comes through.
        do {
            _ = try Geometry(.polygon(Polygon(exterior: [Position(0, 0), Position(1, 0), Position(1, 1), Position(0, 1)])))
            Issue.record("expected an error")
        } catch let e as GeometryError {
            #expect(e.message.contains("closed"))
        }
    }

    @Test func validityReportsSelfIntersectionWithLocation() throws {
        let bowtie = Polygon(exterior: [Position(0, 0), Position(2, 2), Position(2, 0), Position(0, 2), Position(0, 0)])
        let g = try Geometry(.polygon(bowtie))
        #expect(try g.isValid() == false)
        let d = try g.validityDetail()
        #expect(d.valid == false)
        #expect(d.reason == "Self-intersection")
        #expect(d.location == Position(1, 1))
        let fixed = try g.makeValid()
        #expect(try fixed.isValid())
        #expect(abs(try fixed.area() - 2) < 1e-12)
    }

    @Test func predicatesAndRelate() throws {
        let a = try Geometry(.polygon(square(0, 0)))
        let b = try Geometry(.polygon(square(1, 0)))
        let c = try Geometry(.polygon(square(1, 1)))
        #expect(try a.touches(b))
        #expect(try a.relate(b, pattern: "F***1****"))   // share an edge
        #expect(try a.relate(c, pattern: "F***0****"))   // touch in a point only
        #expect(try a.relate(c, pattern: "F***1****") == false)
        let prepared = try a.prepared()
        #expect(try prepared.covers(Position(0.5, 0.5)))
        #expect(try prepared.covers(Position(1.5, 0.5)) == false)
        #expect(try a.intersection(b).area() == 0)
    }

    @Test func spatialIndexFindsCandidates() throws {
        let geoms = try (0..<10).map { try Geometry(.polygon(square(Double($0) * 2, 0))) }
        let index = try SpatialIndex(geoms)
        #expect(index.query(try Geometry(.point(Position(4.5, 0.5)))) == [2])
        #expect(try index.query(BoundingBox(minX: 0, minY: 0, maxX: 5, maxY: 1)) == [0, 1, 2])
    }

    @Test func maximumInscribedCircleOfAnLShapeIsInside() throws {
        let l = Polygon(exterior: [Position(0, 0), Position(10, 0), Position(10, 2), Position(2, 2), Position(2, 10),
                                   Position(0, 10), Position(0, 0)])
        let g = try Geometry(.polygon(l))
        let c = try g.maximumInscribedCircle(tolerance: 0.01)
        #expect(try g.prepared().covers(c.center))
        // The largest circle sits in the inner corner: centre (r, r) at distance r from the concave vertex (2, 2),
        // so r = 2√2 / (1 + √2) ≈ 1.1716.
        #expect(abs(c.radius - 2 * 2.0.squareRoot() / (1 + 2.0.squareRoot())) < 0.02)
        // The centroid of an L lies outside it; the label anchor must not.
        let centroid = try g.centroid().shape()
        if case .point(let p) = centroid { #expect(try g.prepared().covers(p) == false) }
    }

    @Test func voronoiCellsCoverTheEnvelope() throws {
        let pts = Shape.multiPoint([Position(1, 1), Position(3, 1), Position(2, 3)])
        let env = try Geometry.rectangle(BoundingBox(minX: 0, minY: 0, maxX: 4, maxY: 4))
        let cells = try Geometry(pts).voronoiDiagram(envelope: env)
        #expect(cells.numGeometries == 3)
        let clipped = try (0..<3).map { try cells.geometry(at: $0).intersection(env).area() }
        #expect(abs(clipped.reduce(0, +) - 16) < 1e-9)
    }

    @Test func concurrentUseGivesTheSameResultsAsSerial() async throws {
        func work(_ k: Int) throws -> Double {
            let cells = (0..<20).flatMap { i in (0..<20).map { j in Shape.polygon(square(Double(i + k), Double(j))) } }
            let u = try Geometry.collection(of: cells).unaryUnion()
            let b = try u.buffer(0.5)
            return try b.area() + Double(try u.polygons()[0].exterior.count)
        }
        let serial = try (0..<16).map(work)
        let parallel = try await withThrowingTaskGroup(of: (Int, Double).self) { group in
            for k in 0..<16 { group.addTask { (k, try work(k)) } }
            var out = [Double](repeating: 0, count: 16)
            for try await (k, v) in group { out[k] = v }
            return out
        }
        #expect(serial == parallel)
        // And errors in one task do not leak into another's context.
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for k in 0..<8 {
                group.addTask {
                    if k % 2 == 0 { return (try? Geometry(wkt: "BROKEN")) == nil }
                    return try Geometry(wkt: "POINT (1 2)").typeName == "Point"
                }
            }
            for try await ok in group { #expect(ok) }
        }
    }

    @Test func manyGeometriesAreReleased() throws {
        // Exercised under valgrind / LeakSanitizer (see README); here: many allocations must not accumulate.
        for _ in 0..<2000 {
            let g = try Geometry(.polygon(square(0, 0)))
            _ = try g.buffer(1).prepared().covers(Position(0, 0))
        }
        #expect(!geosVersion.isEmpty)
    }
}
