import Foundation

/// The live progress line of a numjobs group: each job reports its own rate about once a
/// second; the line shows their sum, written from the first job's thread only.
final class GroupProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var rates: [Double]
    private let emit: (ProgressSnapshot) -> Void

    init(jobs: Int, emit: @escaping (ProgressSnapshot) -> Void) {
        rates = Array(repeating: 0, count: jobs)
        self.emit = emit
    }

    func report(job: Int, _ snapshot: ProgressSnapshot) {
        lock.lock()
        rates[job] = snapshot.iops
        let total = rates.reduce(0, +)
        lock.unlock()
        guard job == 0 else { return }
        var line = snapshot
        line.iops = total
        line.bytesPerSecond = snapshot.iops > 0 ? snapshot.bytesPerSecond / snapshot.iops * total : 0
        emit(line)
    }
}
