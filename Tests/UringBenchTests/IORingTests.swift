import CLiburing
import Glibc
import Testing
@testable import UringCore

/// IORing owns its ring: set up with the first flags the kernel takes, torn down once.
/// (Whether the ring fd is closed is not checked by number: tests run in parallel, and another
/// may be handed the same number at once.)
@Suite struct IORingTests {
    @Test func aSecondExitAndTheDeinitAfterExitDoNothing() throws {
        let ring = try IORing(entries: 4, params: io_uring_params())
        #expect(ring.fd >= 0 && ring.flagNames.isEmpty)
        ring.exit()
        // A second io_uring_queue_exit would unmap and free the ring again (a crash, here).
        ring.exit()
    }

    @Test func setUpFallsBackToTheFirstFlagsTheKernelTakes() throws {
        // An unknown flag bit (EINVAL), then COOP_TASKRUN: the second is what the ring gets.
        let ring = try IORing.setUp(entries: 8, flagChoices: [1 << 31, IORING_SETUP_COOP_TASKRUN])
        #expect(ring.flagNames == ["COOP_TASKRUN"])
        #expect(ring.params.cq_entries == 32)   // CQSIZE: four times the SQ
    }

    @Test func aRingTheKernelRefusesThrowsItsErrno() {
        // 0 entries: EINVAL for every choice, so the last error is the one thrown.
        #expect(throws: Errno.invalidArgument) { try IORing.setUp(entries: 0, flagChoices: [0]) }
    }

    @Test func setupFlagNamesFollowTheBitOrder() {
        #expect(IORingSetupFlags.names(IORING_SETUP_SQ_AFF | IORING_SETUP_SQPOLL) == ["SQPOLL", "SQ_AFF"])
        #expect(IORingSetupFlags.names(IORING_SETUP_DEFER_TASKRUN | IORING_SETUP_SINGLE_ISSUER) == ["SINGLE_ISSUER", "DEFER_TASKRUN"])
        #expect(IORingSetupFlags.names(0).isEmpty)
    }
}
