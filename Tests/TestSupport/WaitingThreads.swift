import Foundation
import Testing

/// Threads of their own for tests that spend their time waiting: on a program they started, on a
/// time-bound run, on a peer over loopback. Swift Testing runs every test on the cooperative pool,
/// which has one thread per core; a synchronous test that waits holds one of them, so on a 2-core
/// machine two waiting tests hold up every other test, pure ones included. Tests marked `.waits`
/// run their bodies here instead, `width` at a time, and leave the pool to the rest.
public final class WaitingThreads: TaskExecutor, @unchecked Sendable {
    /// How many marked tests run at once. Their programs share the cores with the pool's tests,
    /// so only a few more than the cores: enough to overlap the waiting, not so many that a
    /// time-bound run gets too little CPU for the counts its test expects.
    public static let width = 4
    public static let shared = WaitingThreads(width: width)

    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var threads: Set<pthread_t> = []

    private init(width: Int) {
        for _ in 0..<width {
            Thread.detachNewThread { [unowned self] in serve() }
        }
    }

    /// Whether the caller runs on one of these threads.
    public var isCurrent: Bool {
        condition.lock()
        defer { condition.unlock() }
        return threads.contains(pthread_self())
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let unowned = UnownedJob(job)
        condition.lock()
        jobs.append(unowned)
        condition.signal()
        condition.unlock()
    }

    private func serve() {
        condition.lock()
        threads.insert(pthread_self())
        condition.unlock()
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let job = jobs.removeFirst()
            condition.unlock()
            job.runSynchronously(on: asUnownedTaskExecutor())
        }
    }
}

/// `@Suite(.waits)` or `@Test(.waits)`: each test case's body runs on `WaitingThreads`.
public struct WaitsTrait: TestTrait, SuiteTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        testCase == nil ? nil : self
    }

    public func provideScope(for test: Test, testCase: Test.Case?,
                             performing function: @Sendable () async throws -> Void) async throws {
        try await withTaskExecutorPreference(WaitingThreads.shared) {
            // The preference takes effect when the task is next enqueued: yield once, so that the
            // test's synchronous body starts on a waiting thread, not on the pool's.
            await Task.yield()
            try await function()
        }
    }
}

extension Trait where Self == WaitsTrait {
    /// The test waits more than it computes: run it on `WaitingThreads`, off the cooperative pool.
    public static var waits: Self { WaitsTrait() }
}
