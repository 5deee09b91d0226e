import Foundation
import Glibc
import Testing
@testable import UringBench

/// Only names of exactly the temporary's shape are candidates for the stale-temporary sweep.
@Suite struct LayoutTemporaryTests {
    @Test func aFreshNameParsesBackToThisProcess() {
        let name = LayoutTemporary.name(for: "dir/data.dat", directory: "dir")
        #expect(name.hasPrefix("dir/.data.dat.uringbench-layout-\(getpid())-"))
        let entry = String(name.dropFirst("dir/".count))
        #expect(LayoutTemporary.writerPID(ofEntry: entry) == getpid())
        #expect(entry.utf8.count <= "data.dat".utf8.count + LayoutTemporary.addedLength)
    }

    @Test(arguments: [
        ("data.dat.uringbench-layout-12-ab", nil),        // not hidden
        (".data.dat.uringbench-layout-12", nil),          // no random part
        (".data.dat.uringbench-layout-12a-ab", nil),      // PID not decimal
        (".data.dat.uringbench-layout-12-xyz", nil),      // random part not hex
        (".data.dat.uringbench-layout--ab", nil),
        (".data.dat.uringbench-layout-0-ab", nil),
        (".data.dat.uringbench-layout-99999999999-ab", nil),  // more digits than any PID
        (".data.dat.uringbench-layout-4242-1f3a", 4242),
        (".a.uringbench-layout-1.uringbench-layout-77-ff", 77),
    ] as [(String, Int32?)])
    func onlyTheTemporaryShapeIsRecognised(_ name: String, _ pid: Int32?) {
        #expect(LayoutTemporary.writerPID(ofEntry: name) == pid)
    }

    @Test func staleBytesCountWhatTheSweepWillRemoveWithoutRemovingIt() throws {
        let dir = TestFiles.path("sweep")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false)
        // PID 999999999 is above any pid_max (at most 2^22), so its writer is surely gone.
        let stale = dir + "/.data.dat.uringbench-layout-999999999-ab"
        var sector = [UInt8](repeating: 0, count: 4096)
        sector.withUnsafeMutableBytes { raw in
            if let base = raw.baseAddress { DataPattern.fill(base, length: 4096, fileOffset: 0, seed: 7) }
        }
        #expect(FileManager.default.createFile(atPath: stale, contents: Data(sector)))
        let foreign = dir + "/.notes.txt.uringbench-layout-999999999-cd"
        #expect(FileManager.default.createFile(atPath: foreign, contents: Data("not a layout".utf8)))

        #expect(LayoutTemporary.staleBytes(in: dir) >= 4096)
        #expect(access(stale, F_OK) == 0, "counting must not remove")
        let removed = LayoutTemporary.removeStale(in: dir)
        #expect(removed.count == 1 && removed.first?.contains(stale) == true, "\(removed)")
        #expect(access(stale, F_OK) != 0 && access(foreign, F_OK) == 0)
        #expect(LayoutTemporary.staleBytes(in: dir) == 0)
    }

    @Test func deviceNumbersRoundTripThroughSysfsText() {
        for (major, minor) in [(7 as UInt64, 0 as UInt64), (259, 3), (253, 1), (4095, 255), (4096, 256), (1 << 20, 1 << 19)] {
            let parts = BlockDevice.parseDeviceNumber("\(major):\(minor)\n").map(BlockDevice.split)
            #expect(parts?.major == major && parts?.minor == minor, "\(major):\(minor)")
        }
        #expect(BlockDevice.parseDeviceNumber("7") == nil)
        #expect(BlockDevice.parseDeviceNumber("a:b") == nil)
    }
}
