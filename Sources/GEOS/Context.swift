import CGEOS
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An error reported by GEOS (its own message), or by this wrapper.
public struct GeometryError: Error, CustomStringConvertible, Sendable, Equatable {
    public var operation: String
    public var message: String
    public init(operation: String, message: String) {
        self.operation = operation
        self.message = message
    }
    public var description: String { "GEOS \(operation): \(message)" }
}

/// One GEOS context handle with its captured error and notice messages.
///
/// GEOS context handles are not thread-safe. Each OS thread gets its own context, created on first use
/// and finished when the thread exits and the last object it created is freed (see `current`; every GEOS
/// object keeps the context that created it and frees its handle with it). No context is ever shared between threads, so
/// several Swift tasks may use GEOS at the same time. `Geometry` values are not `Sendable`: a handle is only
/// touched from the task that owns it, and the context used for each call is that of the thread running it.
package final class GEOSContext {
    let handle: GEOSContextHandle_t
    var lastError: String?
    var lastNotice: String?

    init() {
        guard let h = GEOS_init_r() else { fatalError("GEOS_init_r failed: out of memory") }
        handle = h
        let me = Unmanaged.passUnretained(self).toOpaque()
        GEOSContext_setErrorMessageHandler_r(handle, { message, userdata in
            guard let userdata, let message else { return }
            let ctx = Unmanaged<GEOSContext>.fromOpaque(userdata).takeUnretainedValue()
            ctx.lastError = String(cString: message)
        }, me)
        GEOSContext_setNoticeMessageHandler_r(handle, { message, userdata in
            guard let userdata, let message else { return }
            let ctx = Unmanaged<GEOSContext>.fromOpaque(userdata).takeUnretainedValue()
            ctx.lastNotice = String(cString: message)
        }, me)
    }

    deinit {
        GEOS_finish_r(handle)
    }

    /// The calling thread's context.
    static var current: GEOSContext {
        let key = threadKey.key
        if let raw = pthread_getspecific(key) {
            return Unmanaged<GEOSContext>.fromOpaque(raw).takeUnretainedValue()
        }
        let ctx = GEOSContext()
        pthread_setspecific(key, Unmanaged.passRetained(ctx).toOpaque())
        return ctx
    }

    /// Clears the last error, runs `body`, and turns a nil / failure result into a `GeometryError`.
    @inline(__always)
    func call<T>(_ operation: String, _ body: (GEOSContextHandle_t) -> T?) throws -> T {
        lastError = nil
        if let r = body(handle) { return r }
        throw GeometryError(operation: operation, message: lastError ?? "operation failed")
    }

    /// As `call`, with the result owned by a `Geometry` that frees it with this context.
    @inline(__always)
    func geometry(_ operation: String, _ body: (GEOSContextHandle_t) -> OpaquePointer?) throws -> Geometry {
        Geometry(owning: try call(operation, body), context: self)
    }

    /// For GEOS predicates returning 0 / 1 / 2 (exception).
    @inline(__always)
    func predicate(_ operation: String, _ body: (GEOSContextHandle_t) -> CChar) throws -> Bool {
        lastError = nil
        let r = body(handle)
        if r == 2 { throw GeometryError(operation: operation, message: lastError ?? "predicate failed") }
        return r == 1
    }

    /// For GEOS functions returning 0 on exception.
    @inline(__always)
    func status(_ operation: String, _ body: (GEOSContextHandle_t) -> Int32) throws {
        lastError = nil
        if body(handle) == 0 {
            throw GeometryError(operation: operation, message: lastError ?? "operation failed")
        }
    }
}

/// The pthread key whose destructor finishes a thread's GEOS context when the thread exits.
private final class ThreadKey: Sendable {
    let key: pthread_key_t
    init() {
        var k = pthread_key_t()
        let rc = pthread_key_create(&k) { raw in
            #if canImport(Darwin)
            Unmanaged<GEOSContext>.fromOpaque(raw).release()
            #else
            if let raw { Unmanaged<GEOSContext>.fromOpaque(raw).release() }
            #endif
        }
        precondition(rc == 0, "pthread_key_create failed")
        key = k
    }
}
private let threadKey = ThreadKey()

/// The GEOS version this program runs with, e.g. "3.11.1-CAPI-1.17.1".
public var geosVersion: String { String(cString: GEOSversion()) }
