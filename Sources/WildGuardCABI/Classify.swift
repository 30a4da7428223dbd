import WildGuard

/// `char *wg_classify(const wg_engine *engine, const char *text, size_t length)`.
///
/// Classifies one listing and returns its decision as a malloc'd line of JSON (the record
/// `wildguard classify` writes, with `"id":null`), or NULL when `engine` is NULL, `text` is NULL
/// with a nonzero length, or memory ran out.
@_cdecl("wg_classify")
public func wg_classify(
    _ engine: OpaquePointer?, _ text: UnsafePointer<CChar>?, _ length: UInt
) -> UnsafeMutablePointer<CChar>? {
    guard let handle = EngineHandle.borrow(engine), let bytes = ListingBytes.buffer(text, length: length) else {
        return nil
    }
    let decision = handle.classifiers.withClassifier { $0.classify(utf8: bytes) }
    return DecisionText.json(decision, id: nil)
}

/// `int wg_classify_action(const wg_engine *engine, const char *text, size_t length, double *score)`.
///
/// Classifies one listing and returns `WG_ALLOW` (0), `WG_REVIEW` (1) or `WG_BLOCK` (2), storing
/// the score in `*score` when `score` is not NULL; `WG_EINVAL` for a NULL engine, or a NULL text
/// with a nonzero length. Allocates nothing for the caller: the path for callers that only route.
@_cdecl("wg_classify_action")
public func wg_classify_action(
    _ engine: OpaquePointer?, _ text: UnsafePointer<CChar>?, _ length: UInt, _ score: UnsafeMutablePointer<Double>?
) -> Int32 {
    guard let handle = EngineHandle.borrow(engine), let bytes = ListingBytes.buffer(text, length: length) else {
        return Status.invalidArgument
    }
    let decision = handle.classifiers.withClassifier { $0.classify(utf8: bytes) }
    score?.pointee = decision.score
    return DecisionText.code(decision.action)
}
