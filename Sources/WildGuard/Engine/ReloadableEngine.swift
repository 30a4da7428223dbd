
/// An engine that a long-running service can replace while it classifies: load a new taxonomy or
/// policy with `reload(taxonomyDirectory:policy:options:)` and every classification after the swap
/// uses it; one that fails to load is rejected with its `WildGuardError` and the engine in service
/// keeps serving.
///
/// The new engine is loaded and compiled off to the side, with nothing locked, and only then put
/// in place, in one step under a lock. An `Engine` is immutable, so a caller always works with a
/// whole engine, the old one or the new one, never a half-loaded one; a classification already
/// running when the swap happens finishes with the engine it started with.
///
/// ```swift
/// let screen = try ReloadableEngine(taxonomyDirectory: "Taxonomy", policy: "strict-marketplace")
/// let decision = screen.classify("Carved ivory bangle, WhatsApp for price")
///
/// // Later, when the analysts publish a new taxonomy:
/// do {
///     try screen.reload(taxonomyDirectory: "Taxonomy-2026.12", policy: "strict-marketplace")
/// } catch {
///     log("kept \(screen.engine.fingerprint): \(error)")   // still serving the old one
/// }
/// ```
public final class ReloadableEngine: Sendable {
    /// The engine in service. Held only to read or replace the reference, never while compiling
    /// or classifying, so classifying threads do not wait for a reload.
    private let inService: Locked<Engine>
    /// Serialises reloads, so that they take effect in the order they were asked for (a slow
    /// compile of an older version cannot replace a newer one that finished first).
    private let reloading = Locked<Void>(())

    /// Serves `engine` until the first reload.
    public init(_ engine: Engine) {
        inService = Locked(engine)
    }

    /// Loads the taxonomy in `taxonomyDirectory` with the policy `policy` (a profile name or a
    /// path), as `Engine(taxonomyDirectory:policy:options:)` does.
    public convenience init(
        taxonomyDirectory: String, policy: String = Policy.defaultName, options: Engine.Options = .init()
    ) throws(WildGuardError) {
        self.init(try Engine(taxonomyDirectory: taxonomyDirectory, policy: policy, options: options))
    }

    /// The engine in service now. Keep the returned engine for work that must be decided by one
    /// engine from start to end (a batch, a report), and ask again for the next piece of work.
    public var engine: Engine {
        inService.withLock { $0 }
    }

    /// Classifies one listing with the engine in service.
    public func classify(_ text: String) -> Decision {
        engine.classify(text)
    }

    /// Classifies a batch with the engine in service when the call starts; every decision in the
    /// batch comes from that one engine, even if a reload happens meanwhile.
    public func classify(batch: [String], jobs: Int? = nil) -> [Decision] {
        engine.classify(batch: batch, jobs: jobs)
    }

    /// A classifier of the engine in service: `existing` when it still belongs to that engine
    /// (keeping its buffers), a new one after a reload. For worker threads that keep a classifier.
    public func classifier(reusing existing: Classifier?) -> Classifier {
        let engine = engine
        if let existing, existing.engine === engine { return existing }
        return engine.makeClassifier()
    }

    /// Loads and compiles a new taxonomy and policy, then puts the new engine in service.
    ///
    /// - Parameters:
    ///   - taxonomyDirectory: The taxonomy directory to load.
    ///   - policy: A policy profile name in that taxonomy's `policies/` folder, or a path.
    ///   - options: Tunables for the new engine; the engine in service's options when nil.
    /// - Returns: The engine now in service.
    /// - Throws: The `WildGuardError` that loading or compiling raised. The engine in service is
    ///   then unchanged and keeps serving.
    @discardableResult
    public func reload(
        taxonomyDirectory: String, policy: String = Policy.defaultName, options: Engine.Options? = nil
    ) throws(WildGuardError) -> Engine {
        try reloading.withLock { _ throws(WildGuardError) -> Engine in
            let fresh = try Engine(taxonomyDirectory: taxonomyDirectory, policy: policy, options: options ?? engine.options)
            replace(with: fresh)
            return fresh
        }
    }

    /// Puts an engine loaded elsewhere in service and returns the one it replaces.
    @discardableResult
    public func replace(with engine: Engine) -> Engine {
        inService.withLock { engineInService in
            let previous = engineInService
            engineInService = engine
            return previous
        }
    }
}
