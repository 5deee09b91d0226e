/// The seed of each job of a numjobs group, so jobs do not issue the same offsets. fio scrambles
/// randseed and multiplies it by the job's number (init.c, setup_random_seeds); uringbench does
/// the same for jobs 2 and up and keeps job 1 on randseed itself, so a group's first job issues
/// what a job on its own issues. The generator's splitmix expansion turns neighbouring seeds
/// into unrelated streams.
public enum JobSeed {
    public static func seed(_ randSeed: UInt64, job index: Int) -> UInt64 {
        if index <= 0 { return randSeed }
        var s = randSeed
        for _ in 0..<4 { s &*= 0x9E37_0001 }
        // + index: seeds still differ when randseed scrambles to 0.
        return s &* UInt64(index + 1) &+ UInt64(index)
    }
}
