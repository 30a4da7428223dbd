import Foundation
import NIOPosix
import Synchronization
import WildGuard

/// The engine that serves requests, with where it was loaded from. Immutable: a reload builds a
/// new one rather than changing this one.
public struct LoadedEngine: Sendable {
    /// The compiled taxonomy and policy.
    public let engine: Engine
    /// The taxonomy folder it was loaded from (a bare reload reads this folder again).
    public let taxonomyDirectory: String
    /// The policy profile name or file it was loaded with.
    public let policy: String
    /// When it was loaded.
    public let loadedAt: Date

    /// Loads and compiles a taxonomy and a policy. This is the slow step (it reads every file and
    /// compiles every pattern), so callers run it off the request path.
    public static func load(
        taxonomyDirectory: String, policy: String, options: Engine.Options = .init()
    ) throws(WildGuardError) -> LoadedEngine {
        let engine = try Engine(taxonomyDirectory: taxonomyDirectory, policy: policy, options: options)
        return LoadedEngine(engine: engine, taxonomyDirectory: taxonomyDirectory, policy: policy, loadedAt: Date())
    }
}

/// Why a reload did not happen. The engine that was serving keeps serving in every case.
public enum ReloadError: Error, Sendable {
    /// The new taxonomy or policy did not load; the problems name file and line.
    case invalidConfiguration(WildGuardError)
    /// Another reload is still loading.
    case busy
    /// The process is shutting down.
    case shuttingDown
}

/// Holds the serving engine and swaps it atomically on reload.
///
/// The reference sits behind a `Mutex` that is held only to copy or replace it, never while an
/// engine loads or a listing is classified. A request takes the current engine once and uses that
/// one to the end, so a batch never mixes two configurations, and an engine that is replaced stays
/// alive until the last request using it finishes (it is a class, kept by reference counting). A
/// reload compiles the new engine first, outside the lock, and swaps it in only if it loaded: no
/// request can see a half-loaded engine, and a broken taxonomy changes nothing.
public final class EngineStore: Sendable {
    private let current: Mutex<LoadedEngine>
    /// Reloads are serialised: two overlapping reloads could otherwise finish in the wrong order
    /// and leave the older configuration serving.
    private let reloading = Mutex(false)

    public init(_ loaded: LoadedEngine) {
        current = Mutex(loaded)
    }

    /// The engine serving now.
    public var loaded: LoadedEngine { current.withLock { $0 } }

    /// Loads a new configuration and, if it loads, swaps it in. `nil` arguments keep the current
    /// taxonomy folder or policy (so a bare reload picks up edited files). Returns the previous
    /// and the new engine.
    public func reload(
        taxonomyDirectory: String? = nil, policy: String? = nil, options: Engine.Options = .init()
    ) async throws(ReloadError) -> (previous: LoadedEngine, current: LoadedEngine) {
        let claimed = reloading.withLock { busy in
            if busy { return false }
            busy = true
            return true
        }
        guard claimed else { throw .busy }
        defer { reloading.withLock { $0 = false } }

        let base = loaded
        let directory = taxonomyDirectory ?? base.taxonomyDirectory
        let policyName = policy ?? base.policy
        let result: Result<LoadedEngine, WildGuardError>
        do {
            // Loading reads files and compiles patterns for a second or more: run it on the
            // blocking-work pool so it holds up no event loop or Swift concurrency thread.
            result = try await NIOThreadPool.singleton.runIfActive {
                Result { () throws(WildGuardError) in
                    try LoadedEngine.load(taxonomyDirectory: directory, policy: policyName, options: options)
                }
            }
        } catch {
            // Only when the thread pool has shut down, i.e. the process is stopping.
            throw .shuttingDown
        }
        switch result {
        case .failure(let problem):
            throw .invalidConfiguration(problem)
        case .success(let next):
            let previous = current.withLock { slot in
                let old = slot
                slot = next
                return old
            }
            return (previous, next)
        }
    }
}
