import WildGuard

/// `wg_engine *wg_engine_open(const char *taxonomy_dir, const char *policy, char **error)`.
///
/// Loads and compiles a taxonomy and a policy. NULL or "" for `taxonomy_dir` means the directory
/// `Taxonomy.bundledDirectory()` finds; NULL or "" for `policy` means `Policy.defaultName`.
/// Returns NULL on failure and, when `error` is not NULL, stores there a malloc'd message naming
/// the file, line and problem (the caller frees it with `wg_string_free`).
@_cdecl("wg_engine_open")
public func wg_engine_open(
    _ taxonomyDirectory: UnsafePointer<CChar>?,
    _ policy: UnsafePointer<CChar>?,
    _ error: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> OpaquePointer? {
    error?.pointee = nil
    guard let directory = CStrings.argument(taxonomyDirectory) ?? Taxonomy.bundledDirectory() else {
        error?.pointee = CStrings.copy(
            "no taxonomy directory: none was given, WILDGUARD_TAXONOMY is not set, and no Taxonomy folder was found")
        return nil
    }
    do {
        let engine = try Engine(taxonomyDirectory: directory, policy: CStrings.argument(policy) ?? Policy.defaultName)
        return EngineHandle(engine: engine).retainedPointer()
    } catch let failure {
        error?.pointee = CStrings.copy(failure.description)
        return nil
    }
}

/// `void wg_engine_free(wg_engine *engine)`: releases an engine (NULL is ignored). The caller
/// guarantees that no other call on it is running or will run.
@_cdecl("wg_engine_free")
public func wg_engine_free(_ engine: OpaquePointer?) {
    guard let engine else { return }
    EngineHandle.release(engine)
}
