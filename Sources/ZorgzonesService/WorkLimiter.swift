import Dispatch
import Foundation
import Hummingbird

/// Runs the heavy part of a request (parsing a large body, GEOS work, rendering, compressing) off Swift's
/// cooperative thread pool, with a cap on how many run at once, a bounded queue of waiting requests, and a time
/// limit.
///
/// GEOS calls cannot be interrupted. When a request's time is up it is answered with `504 timeout` at once,
/// but its computation runs to its end and keeps its slot until then, so the cap still bounds the CPU and memory
/// in use; its result is dropped. The GEOS objects of a computation live and die inside it (the Zoning and
/// Geometry modules own and free them), so a dropped or failed computation frees everything it made.
public final class WorkLimiter: @unchecked Sendable {
    public let slots: Int
    public let queueLimit: Int

    private let lock = NSLock()
    private var running = 0
    private var nextWaiter: UInt64 = 0
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, Error>)] = []
    private let workQueue = DispatchQueue(label: "zorgzones.heavy", qos: .userInitiated, attributes: .concurrent)
    private let timerQueue = DispatchQueue(label: "zorgzones.heavy.timer")

    /// Counters for `/healthz`.
    private var completed = 0
    private var refused = 0
    private var timedOut = 0
    /// Computations whose request has been answered with a timeout but which still run (and hold a slot).
    private var overdue = 0

    public init(slots: Int, queueLimit: Int) {
        precondition(slots >= 1)
        self.slots = slots
        self.queueLimit = max(0, queueLimit)
    }

    public struct Snapshot: Sendable {
        public var running: Int
        public var waiting: Int
        public var completed: Int
        public var refused: Int
        public var timedOut: Int
        /// Still running past their request's time limit.
        public var overdue: Int
        /// Every slot is held by an overdue computation: no heavy request can be served until one ends.
        public var exhausted: Bool
    }

    public var snapshot: Snapshot {
        lock.withLock {
            Snapshot(running: running, waiting: waiters.count, completed: completed, refused: refused, timedOut: timedOut,
                     overdue: overdue, exhausted: overdue >= slots)
        }
    }

    /// Whether a heavy request arriving now would be refused (every slot busy, the queue full).
    public var wouldRefuse: Bool { lock.withLock { running >= slots && waiters.count >= queueLimit } }

    /// Runs `work` on a worker thread once a slot is free. Throws `Problem(.busy)` when the queue is full and
    /// `Problem(.timeout)` when `timeout` passes first (waiting included).
    public func run<T: Sendable>(timeout: Duration, _ work: @escaping @Sendable () throws -> T) async throws -> T {
        let deadline = DispatchTime.now() + .nanoseconds(Int(min(timeout / .nanoseconds(1), Double(Int.max / 2))))
        try await acquire(deadline: deadline, timeout: timeout)
        return try await execute(deadline: deadline, timeout: timeout, work)
    }

    /// As `run`, reading the request body only once a slot is held: a request that waits in the queue or is
    /// refused has not buffered its body, so the memory of bodies is bounded by the slots (not the queue).
    public func run<T: Sendable>(timeout: Duration, reading read: () async throws -> ByteBuffer,
                                 _ work: @escaping @Sendable (ByteBuffer) throws -> T) async throws -> T {
        let deadline = DispatchTime.now() + .nanoseconds(Int(min(timeout / .nanoseconds(1), Double(Int.max / 2))))
        try await acquire(deadline: deadline, timeout: timeout)
        let body: ByteBuffer
        do {
            body = try await read()
        } catch {
            release(finished: false)
            throw error
        }
        return try await execute(deadline: deadline, timeout: timeout) { try work(body) }
    }

    /// Runs `work` on a worker thread in the slot already acquired.
    private func execute<T: Sendable>(deadline: DispatchTime, timeout: Duration, _ work: @escaping @Sendable () throws -> T) async throws -> T {
        let once = ResumeOnce<T>()
        return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
            once.set(continuation)
            workQueue.async {
                let result = Result { try work() }
                // Free the slot first, then answer (unless the timeout answered already).
                let answered = once.claim()
                self.release(finished: true, wasOverdue: !answered)
                if answered { once.deliver(result) }
            }
            timerQueue.asyncAfter(deadline: deadline) {
                if once.resume(.failure(Self.timeoutProblem(timeout))) {
                    self.lock.withLock { self.timedOut += 1; self.overdue += 1 }
                }
            }
        }
    }

    static func busyProblem(slots: Int, queueLimit: Int) -> Problem {
        var headers = HTTPFields()
        headers[.retryAfter] = "1"
        return Problem(.busy, "all \(slots) worker slot\(slots == 1 ? " is" : "s are") busy and \(queueLimit) request\(queueLimit == 1 ? " is" : "s are") waiting (options --max-concurrent, --max-queued); retry later",
                       limit: Problem.Limit(name: "max-queued", value: queueLimit), headers: headers)
    }

    static func timeoutProblem(_ timeout: Duration) -> Problem {
        Problem(.timeout, "the request was not done within the time limit of \(seconds(timeout)) s (option --timeout)",
                limit: Problem.Limit(name: "timeout", value: Int((timeout / .seconds(1)).rounded(.up))))
    }

    private static func seconds(_ d: Duration) -> String {
        let s = d / .seconds(1)
        return s == s.rounded() ? String(Int(s)) : String(format: "%.3g", s)
    }

    private func acquire(deadline: DispatchTime, timeout: Duration) async throws {
        enum Decision { case go, wait(UInt64), refuse }
        let decision: Decision = lock.withLock {
            if running < slots && waiters.isEmpty { running += 1; return .go }
            if waiters.count >= queueLimit { refused += 1; return .refuse }
            nextWaiter += 1
            return .wait(nextWaiter)
        }
        switch decision {
        case .go: return
        case .refuse:
            throw Self.busyProblem(slots: slots, queueLimit: queueLimit)
        case .wait(let id):
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, Error>) in
                    lock.withLock { waiters.append((id, c)) }
                    timerQueue.asyncAfter(deadline: deadline) {
                        if let w = self.removeWaiter(id) {
                            self.lock.withLock { self.timedOut += 1 }
                            w.resume(throwing: Self.timeoutProblem(timeout))
                        }
                    }
                }
            } onCancel: {
                removeWaiter(id)?.resume(throwing: CancellationError())
            }
        }
    }

    private func removeWaiter(_ id: UInt64) -> CheckedContinuation<Void, Error>? {
        lock.withLock {
            guard let i = waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return waiters.remove(at: i).continuation
        }
    }

    /// Frees a slot, handing it straight to the first waiter if there is one.
    private func release(finished: Bool, wasOverdue: Bool = false) {
        let next: CheckedContinuation<Void, Error>? = lock.withLock {
            if finished { completed += 1 }
            if wasOverdue { overdue -= 1 }
            if !waiters.isEmpty { return waiters.removeFirst().continuation }
            running -= 1
            return nil
        }
        next?.resume()
    }
}

/// A continuation resumed by whichever comes first: the result or the timeout.
private final class ResumeOnce<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, Error>?
    private var claimed = false

    /// Set before anything can claim (inside `withCheckedThrowingContinuation`, before the work is queued).
    func set(_ c: CheckedContinuation<T, Error>) { lock.withLock { continuation = c } }

    /// Takes the right to answer; false if someone took it before.
    func claim() -> Bool {
        lock.withLock {
            if claimed { return false }
            claimed = true
            return true
        }
    }

    /// Answers (after a successful `claim`).
    func deliver(_ r: Result<T, Error>) {
        let c: CheckedContinuation<T, Error>? = lock.withLock {
            defer { continuation = nil }
            return continuation
        }
        c?.resume(with: r)
    }

    /// Claims and answers; returns whether this call did.
    @discardableResult
    func resume(_ r: Result<T, Error>) -> Bool {
        guard claim() else { return false }
        deliver(r)
        return true
    }
}
