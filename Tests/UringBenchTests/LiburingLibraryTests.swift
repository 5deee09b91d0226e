import Testing
@testable import UringBench
@testable import UringCore

/// The liburing a report names is the file this process mapped, version and all.
struct LiburingLibraryTests {
    @Test func theReportedLibraryIsTheMappedFile() throws {
        // /proc files report size 0: read to the end, not by the size.
        let maps = try #require(Syscalls.readTextFile("/proc/self/maps"))
        let mapped = maps.split(separator: "\n").compactMap { line in
            line.split(separator: " ", omittingEmptySubsequences: true).last.map(String.init)
        }.first { $0.split(separator: "/").last?.hasPrefix("liburing.so") == true }
        let path = try #require(mapped, "liburing is linked as a shared object in the test build")
        let file = String(path.split(separator: "/").last!)
        let version = try #require(file.range(of: ".so.")).upperBound
        #expect(IORingEngine.libraryDescription == "liburing \(file[version...]) (\(file))")
    }
}
