import Testing
import TestSupport

/// `.waits` moves a test's body off the cooperative pool (else the suite's waiting tests hold up
/// the rest again, and only the wall time would show it).
@Suite(.waits) struct WaitingThreadsTests {
    @Test func aMarkedTestRunsOnAWaitingThread() {
        #expect(WaitingThreads.shared.isCurrent)
    }

    @Test(arguments: [1, 2]) func everyCaseOfAMarkedTestDoesToo(_ n: Int) {
        #expect(WaitingThreads.shared.isCurrent, "case \(n)")
    }
}

@Suite struct UnmarkedTests {
    @Test func anUnmarkedTestRunsOnThePool() {
        #expect(!WaitingThreads.shared.isCurrent)
    }
}
