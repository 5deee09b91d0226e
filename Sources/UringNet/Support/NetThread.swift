import Glibc

/// A joinable pthread running a Sendable body (the loops own non-Sendable state on their thread).
struct NetThread: @unchecked Sendable {
    private final class Box {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }

    let handle: pthread_t

    static func spawn(_ body: @escaping @Sendable () -> Void) -> NetThread? {
        var tid = pthread_t()
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        let rc = pthread_create(&tid, nil, { raw in
            guard let raw else { return nil }
            let box = Unmanaged<Box>.fromOpaque(raw).takeRetainedValue()
            box.body()
            return nil
        }, box)
        if rc != 0 {
            Unmanaged<Box>.fromOpaque(box).release()
            return nil
        }
        return NetThread(handle: tid)
    }

    func join() { pthread_join(handle, nil) }
}
