import Foundation
import Testing
import GeoCore
@testable import GEOS

/// Every GEOS object is freed with the context that created it, which it keeps alive (GEOSwift's rule): an object
/// made on a worker thread that has since exited is still usable, and is freed later on another thread.
@Suite struct ContextOwnershipTests {
    private func square() -> Shape {
        .polygon(Polygon(exterior: [Position(0, 0), Position(1, 0), Position(1, 1), Position(0, 1), Position(0, 0)], holes: []))
    }

    @Test func anObjectOutlivesTheThreadThatMadeIt() throws {
        final class Box: @unchecked Sendable { var geometry: Geometry?; var prepared: PreparedGeometry?; var index: SpatialIndex? }
        let box = Box()
        let shape = square()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.geometry = try? Geometry(shape)
            box.prepared = try? box.geometry?.prepared()
            box.index = try? box.geometry.map { try SpatialIndex([$0]) }
            done.signal()
        }
        thread.start()
        done.wait()
        while !thread.isFinished { usleep(1000) }
        let g = try #require(box.geometry)
        #expect(g.context !== GEOSContext.current, "made on the worker thread, with its context")
        #expect(box.prepared?.context === g.context)
        #expect(box.index?.context === g.context)
        // Still usable from here (each call runs on this thread's context) …
        #expect(try g.area() == 1)
        #expect(try box.prepared?.covers(Position(0.5, 0.5)) == true)
        #expect(box.index?.query(g) == [0])
        // … and freed here with the worker's context, which the objects kept alive.
        box.index = nil; box.prepared = nil; box.geometry = nil
    }

    @Test func aResultIsOwnedByTheContextOfTheThreadThatComputedIt() throws {
        let g = try Geometry(square())
        let u = try g.union(g)
        #expect(u.context === GEOSContext.current)
    }

    @Test func aFailedPartDoesNotLeakOrCrash() {
        // The second polygon's ring is not closed: GEOS refuses it after the first polygon was built; the first
        // one is destroyed (`buildAll`), and the error says what failed.
        let good = Polygon(exterior: [Position(0, 0), Position(1, 0), Position(1, 1), Position(0, 0)], holes: [])
        let bad = Polygon(exterior: [Position(2, 2), Position(3, 2), Position(3, 3), Position(2, 3)], holes: [])
        #expect(throws: GeometryError.self) { try Geometry(.multiPolygon([good, bad])) }
    }
}
