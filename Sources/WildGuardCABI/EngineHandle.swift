import WildGuard

/// What a `wg_engine *` points to: the shared engine and the classifiers its callers borrow (C
/// callers bring their own threads, which Swift cannot tell apart cheaply). The C side sees an
/// opaque pointer that holds one retain, taken by `wg_engine_open` and given back by
/// `wg_engine_free`.
final class EngineHandle: Sendable {
    let engine: Engine
    let classifiers: ClassifierPool

    init(engine: Engine) {
        self.engine = engine
        classifiers = ClassifierPool(engine: engine)
    }

    /// The pointer handed to C, owning one reference.
    func retainedPointer() -> OpaquePointer {
        OpaquePointer(Unmanaged.passRetained(self).toOpaque())
    }

    /// The handle behind a pointer from `retainedPointer()`, without taking ownership; nil for NULL.
    static func borrow(_ pointer: OpaquePointer?) -> EngineHandle? {
        guard let pointer else { return nil }
        return Unmanaged<EngineHandle>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
    }

    /// Gives back the reference a pointer from `retainedPointer()` owns.
    static func release(_ pointer: OpaquePointer) {
        Unmanaged<EngineHandle>.fromOpaque(UnsafeRawPointer(pointer)).release()
    }
}
