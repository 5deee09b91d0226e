/// The memory the loop records fio's log samples into, when the job writes logs: one recorder,
/// reached through a pointer so the measurement stays small without logs (the loop then pays
/// one nil check per IO).
struct LogRecording {
    let recorder: UnsafeMutablePointer<FioLogRecorder>

    init(files: FioLogFiles, blockSize: Int, start: UInt64) {
        recorder = .allocate(capacity: 1)
        recorder.initialize(to: FioLogRecorder(options: files.options, blockSize: blockSize, start: start))
    }

    /// Closes the recording at `end` and hands it to the files (sharing the samples' chunks,
    /// copying none).
    func finish(at end: UInt64, into files: FioLogFiles) {
        recorder.pointee.finish(at: end)
        files.recorded = recorder.pointee
    }

    func deallocate() { recorder.deinitialize(count: 1).deallocate() }
}
