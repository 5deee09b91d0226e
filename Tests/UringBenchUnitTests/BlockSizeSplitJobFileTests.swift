import Testing
@testable import UringBench

/// bssplit= and bsrange= in job files, read as fio's options.c reads them (bssplit_ddir,
/// str_split_parse): shares sorted by percentage, a size with no percentage sharing what the
/// others leave, per-direction lists, and refusals by name.
@Suite struct BlockSizeSplitJobFileTests {
    static func spec(_ lines: String) throws -> JobSpec {
        try JobFile.parse("[j]\nfilename=data.bin\nsize=4m\n" + lines, path: "t.fio").jobs[0].spec
    }

    @Test func aSplitIsSortedByShareAndItsSmallestSizeIsBs() throws {
        let job = try Self.spec("rw=randrw\nbssplit=512/10:1k/5:2k/5:4k/60:8k/2:16k/4:32k/4:64k/10\n")
        let sizes = try #require(job.blockSizes)
        #expect(job.blockSize == 512 && job.largestBlockSize == 65536)
        #expect(sizes.read.shares.map(\.percent) == [2, 4, 4, 5, 5, 10, 10, 60])
        #expect(sizes.read.shares.map(\.size) == [8192, 16384, 32768, 1024, 2048, 512, 65536, 4096])
        #expect(sizes.write == sizes.read)
    }

    /// fio: sizes without a percentage (or with 0) share what the others leave, evenly.
    @Test func sizesWithoutAShareSplitTheRest() throws {
        let sizes = try #require(try Self.spec("rw=randread\nbssplit=4k/40:8k:16k/\n").blockSizes)
        #expect(sizes.read.shares == [BlockSizes.Share(size: 8192, percent: 30), BlockSizes.Share(size: 16384, percent: 30),
                                      BlockSizes.Share(size: 4096, percent: 40)])
    }

    /// Shares above 100 with every percentage given: fio takes them, and its draw never reaches
    /// past a running total of 100 (8k/50 then 4k/60: half each).
    @Test func sharesAbove100ActAsFiosDrawReadsThem() throws {
        let sizes = try #require(try Self.spec("rw=randread\nbssplit=4k/60:8k/50\n").blockSizes)
        var lengths = IOLengths(sizes, seed: 3)
        var fours = 0
        for _ in 0..<10_000 where lengths.next(.read, room: 1 << 20) == 4096 { fours += 1 }
        #expect(abs(fours - 5000) < 300, "\(fours) of 10000")
    }

    @Test func listsPerDirection() throws {
        let sizes = try #require(try Self.spec("rw=randrw\nbssplit=4k/50:8k/50,4k/20:64k/80\n").blockSizes)
        #expect(sizes.read.largest == 8192 && sizes.write.largest == 65536)
        // A direction without a list keeps bs=.
        let kept = try #require(try Self.spec("rw=randrw\nbs=4k\nbssplit=,4k/50:8k/50\n").blockSizes)
        #expect(kept.read == BlockSizes.Choice(smallest: 4096, largest: 4096) && kept.write.largest == 8192)
    }

    @Test func aRangeAndOneSizeStayOneSize() throws {
        let range = try #require(try Self.spec("rw=read\nbsrange=64k-4k\n").blockSizes)
        #expect(range.read == BlockSizes.Choice(smallest: 4096, largest: 65536))
        #expect(try Self.spec("rw=read\nbssplit=8k/100\n").blockSizes == nil)
        #expect(try Self.spec("rw=read\nblocksize_range=8k-8k\n").blockSize == 8192)
    }

    @Test(arguments: [
        ("bssplit=4k/60:8k/50:16k", "add up to 110, more than 100"),
        ("bssplit=4k/x", "is not a block size"),
        ("bssplit=0/100", "is not a block size"),
        ("bsrange=4k", "is not a range of block sizes"),
        ("bssplit=4k/50:8k/50,8k/50:16k/50", "the smallest read size (4k) and the smallest write size (8k) differ"),
    ])
    func badSplitsAreRefusedByName(line: String, message: String) {
        #expect {
            _ = try Self.spec("rw=randrw\n" + line + "\n")
        } throws: { error in
            "\(error)".contains(message) && "\(error)".contains(String(line.prefix(while: { $0 != "=" })))
        }
    }
}
