extension JobSpec {
    /// The largest IO of the job: each buffer holds this much.
    public var largestBlockSize: Int { blockSizes.map { Int(clamping: $0.largest) } ?? blockSize }

    /// A job of several sizes (bssplit, bsrange): what uringbench does not pair with them is
    /// refused by name. Every length is a multiple of `blockSize` (fio aligns it down to the
    /// smallest size), so the checks on `blockSize` hold for every IO.
    func validateBlockSizes() throws(BenchError) {
        guard let sizes = blockSizes else { return }
        if sizes.smallest != UInt64(blockSize) || sizes.largest > UInt64(Self.maxBlockSize) || sizes.read.smallest != sizes.write.smallest {
            throw .invalidOption("bssplit/bsrange: the sizes must run from bs (\(blockSize)) to at most \(formatBytesFlag(UInt64(Self.maxBlockSize))), with the same smallest size for reads and writes")
        }
        if sequentialSkip != 0 {
            throw .invalidOption("rw=\(rw):\(sequentialSkip) with bssplit/bsrange: uringbench's offset modifier steps one block size; drop the modifier or give one block size")
        }
        if hasRate {
            throw .invalidOption("rate and rate_iops with bssplit/bsrange: uringbench paces IOs of one size (fio counts rate_iops in bytes of the smallest size); drop the rate or give one block size")
        }
    }
}
