import Glibc
import Testing
import TestSupport
@testable import UringBench
@testable import UringCore

/// Values fio reads that were refused needlessly: its reserved keywords, arithmetic, the batch
/// zeros and options written at fio's default. Measured with fio 3.33 here (`fio
/// --output-format=json kw.fio`, rw=read on a 16 MiB file, thinktime=0, randrepeat=1, unlink=0,
/// iodepth_batch=0, iodepth_batch_complete_min=0 in [global]): job a (bs=$pagesize,
/// size=256*$pagesize) did 256 IOs, 1048576 bytes, its job options bs=4096, size=1048576; job b
/// (bs=8192, size=2*$pagesize) 1 IO of 8192 bytes.
@Suite(.waits) struct JobFileKeywordTests {
    static let header = "[global]\nfilename=data.bin\nrw=randread\ntime_based\nruntime=2s\nstonewall\n"

    func specs(_ text: String) throws -> [JobSpec] { try JobFile.parse(text, path: "t.fio").jobs.map(\.spec) }

    func error(_ text: String) -> String? {
        do { _ = try JobFile.parse(text, path: "t.fio"); return nil } catch { return error.description }
    }

    @Test func reservedKeywordsAreThisMachinesValues() throws {
        let page = UInt64(sysconf(Int32(_SC_PAGESIZE)))
        let mb = (UInt64(sysconf(Int32(_SC_PHYS_PAGES))) * page) >> 20
        let s = try specs(Self.header + "[a]\nbs=$pagesize\nsize=256*$pagesize\n[b]\nsize=8*$mb_memory\nnumjobs=$ncpus\n[c]\nsize=$mb_memoryM\n")
        #expect(s[0].blockSize == Int(page) && s[0].size == 256 * page)
        #expect(s[1].size == 8 * mb && s[1].numjobs == Syscalls.configuredCPUs)
        #expect(s[2].size == mb << 20)
        // bc's integer division, and what bc could not read is refused by name.
        #expect(try specs(Self.header + "[a]\nsize=1M\nbs=$pagesize/2+512\n")[0].blockSize == Int(page / 2 + 512))
        #expect(error(Self.header + "[a]\nsize=1M\nbs=$pagesize*2k\n")?.contains("t.fio:9: 'bs=$pagesize*2k' is an expression uringbench cannot read") == true)
    }

    /// fio evaluates a value in parentheses (parse.c str_to_decimal, when built with its
    /// arithmetic parser; Debian's fio 3.33 is not, and answers "failed parsing size=(1024*1024)").
    @Test func parenthesisedArithmetic() throws {
        let s = try specs(Self.header + "[a]\nsize=(1024*1024)\nbs=(2^12)\niodepth=(7%4+1)\nioengine=libaio\n")
        #expect(s[0].size == 1 << 20 && s[0].blockSize == 4096 && s[0].iodepth == 4)
        #expect(error(Self.header + "[a]\nsize=(1-2)\n")?.contains("comes to -1") == true)
        #expect(error(Self.header + "[a]\nsize=(1/0)\n")?.contains("divides by zero") == true)
        #expect(error(Self.header + "[a]\nsize=(2^70)\n")?.contains("does not fit 64 bits") == true)
        #expect(error(Self.header + "[a]\nsize=((1+2)\n")?.contains("without its ')'") == true)
    }

    /// fio 3.33, rw=randread on 64 KiB, each run's write_iolog: two runs with randrepeat=0 read
    /// the blocks in different orders, two with the default or with randrepeat=0 and randseed=7
    /// in the same order (randseed wins: init.c setup_random_seeds).
    @Test func randrepeatZeroSeedsEveryRunAnew() throws {
        let fixed = try specs(Self.header + "[a]\nsize=1M\nrandrepeat=1\n[b]\nsize=1M\nrandrepeat=0\nrandseed=7\n[c]\nsize=1M\nrandseed=7\nrandrepeat=0\n")
        #expect(fixed.map(\.randSeed) == [JobSpec().randSeed, 7, 7])
        let seeds = try (0..<4).map { _ in try specs(Self.header + "[a]\nsize=1M\nrandrepeat=0\n")[0].randSeed }
        #expect(Set(seeds).count > 1)
        let offsets = try seeds.prefix(2).map { seed in
            var job = try specs(Self.header + "[a]\nsize=1M\nrw=randread\nrandrepeat=0\n")[0]
            job.randSeed = seed
            var stream = IOStream(job: job)
            return (0..<16).map { _ in stream.next().offset }
        }
        #expect(offsets[0] != offsets[1])
    }

    /// fio reads ioengine=aio and ioengine=linuxaio (any name starting so) as libaio.
    @Test func libaioAliasesAreLibaio() throws {
        let s = try specs(Self.header + "[a]\nsize=1M\nioengine=aio\n[b]\nsize=1M\nioengine=linuxaio\niodepth=4\n")
        #expect(s.map(\.engine) == [.libaio, .libaio])
    }

    @Test func batchZerosMeanWhatFioMakesOfThem() throws {
        let s = try specs(Self.header + "[a]\nsize=1M\nioengine=libaio\niodepth=16\niodepth_batch=0\niodepth_batch_complete_min=0\n")
        #expect(s[0].batchSubmit == 16 && s[0].batchCompleteMin == 1)
    }

    @Test func optionsAtFiosDefaultAreAccepted() throws {
        let s = try specs(Self.header + "[a]\nsize=1M\nthinktime=0\nrandrepeat=1\nunlink=0\nnrfiles=1\nrate_process=linear\nthinktime_blocks=1\n")
        #expect(s.count == 1 && s[0].size == 1 << 20)
        #expect(error(Self.header + "[a]\nsize=1M\nio_submit_mode=offload\n")?.contains("--io-submit-mode offload submits each IO when a rate says it is due") == true)
        #expect(try specs(Self.header + "[a]\nsize=1M\nio_submit_mode=inline\n").count == 1)
        #expect(error(Self.header + "[a]\nsize=1M\nunlink\n")?.contains("unlink=1 deletes the file") == true)
    }

    /// fio 3.33 here, `fio --output-format=json glob.fio` with [global] filename=F, rw=read,
    /// time_based, runtime=1, bs=$pagesize, iodepth_batch=0, readwrite=read and two jobs:
    /// "global options" {"rw": "read", "runtime": "1", "bs": "4096", "iodepth_batch": "0",
    /// "filename": F} — fio's names, the values as written with keywords put in, filename last,
    /// the bare time_based left out (and rw twice: readwrite is fio's rw).
    @Test func globalOptionsAreFiosList() throws {
        let text = "[global]\nfilename=F\nrw=read\ntime_based\nruntime=1\nbs=$pagesize\niodepth_batch=0\nreadwrite=read\n[a]\nsize=1M\n[b]\nsize=2M\nstonewall\n"
        let file = try JobFile.parse(text, path: "t.fio")
        let page = String(sysconf(Int32(_SC_PAGESIZE)))
        #expect(file.globalOptions.map { "\($0.name)=\($0.value)" } == ["rw=read", "runtime=1", "bs=\(page)", "iodepth_batch=0", "rw=read", "filename=F"])
        #expect(try JobFile.parse("[a]\nfilename=F\nsize=1M\ntime_based\nruntime=1\n", path: "t.fio").globalOptions.isEmpty)
    }
}
