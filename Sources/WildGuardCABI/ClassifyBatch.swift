import WildGuard

/// `int wg_classify_batch(const wg_engine *engine, const char *const *texts, const size_t *lengths,
/// size_t count, int jobs, char **results)`.
///
/// Classifies `count` listings on the engine's parallel batch path (`jobs` threads, 0 for one per
/// core, each with its own classifier) and stores the decision JSON of `texts[i]`, with `"id":i`,
/// in `results[i]`. `lengths` may be NULL when every text is NUL-terminated. Returns `WG_OK`,
/// `WG_EINVAL` or `WG_ENOMEM`; on failure every `results[i]` is NULL.
@_cdecl("wg_classify_batch")
public func wg_classify_batch(
    _ engine: OpaquePointer?,
    _ texts: UnsafePointer<UnsafePointer<CChar>?>?,
    _ lengths: UnsafePointer<UInt>?,
    _ count: UInt,
    _ jobs: Int32,
    _ results: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> Int32 {
    guard let handle = EngineHandle.borrow(engine), let n = Int(exactly: count), jobs >= 0 else {
        return Status.invalidArgument
    }
    if n == 0 { return Status.ok }
    guard let texts, let results else { return Status.invalidArgument }
    let output = BatchOutput(results: results, count: n)
    output.clear()
    let input = BatchInput(texts: texts, lengths: lengths)
    // Check every listing before starting, so that a bad argument is reported without any work
    // done and nothing to undo.
    for i in 0..<n where input.listing(i) == nil { return Status.invalidArgument }
    let stored = handle.engine.parallelMap(count: n, jobs: jobs == 0 ? nil : Int(jobs), pool: handle.classifiers) { classifier, i in
        guard let bytes = input.listing(i) else { return false }
        let json = DecisionText.json(classifier.classify(utf8: bytes), id: i)
        output.set(i, json)
        return json != nil
    }
    if stored.contains(false) {
        output.freeAll()
        return Status.outOfMemory
    }
    return Status.ok
}

/// The caller's listing arrays, read by the batch workers.
private struct BatchInput: @unchecked Sendable {
    // @unchecked: raw pointers into memory the C caller owns and keeps unchanged for the whole
    // call (the header says so); the workers only read it.
    let texts: UnsafePointer<UnsafePointer<CChar>?>
    let lengths: UnsafePointer<UInt>?

    func listing(_ i: Int) -> UnsafeBufferPointer<UInt8>? {
        ListingBytes.buffer(texts[i], length: lengths?[i] ?? ListingBytes.nulTerminated)
    }
}

/// The caller's results array, written by the batch workers.
private struct BatchOutput: @unchecked Sendable {
    // @unchecked: each index is written by exactly one worker (BatchRunner hands every index to
    // one worker), and the array is read again only after all workers have joined.
    let results: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
    let count: Int

    func set(_ i: Int, _ value: UnsafeMutablePointer<CChar>?) { results[i] = value }

    func clear() { results.update(repeating: nil, count: count) }

    func freeAll() {
        for i in 0..<count {
            wg_string_free(results[i])
            results[i] = nil
        }
    }
}
