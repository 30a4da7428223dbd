import Dispatch
import Foundation
import Synchronization

/// Turns SIGINT and SIGTERM into a flag the batch loop checks between blocks, so an interrupted
/// run writes every decision it has made, says where it stopped, and exits 130 instead of dying
/// mid-line.
final class Interruption: Sendable {
    static let shared = Interruption()

    private let flag = Atomic<Bool>(false)
    private let sources: Mutex<[DispatchSourceSignal]> = Mutex([])

    var requested: Bool { flag.load(ordering: .relaxed) }

    /// Starts watching for the signals (once).
    func install() {
        sources.withLock { sources in
            guard sources.isEmpty else { return }
            for number in [SIGINT, SIGTERM] {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                source.setEventHandler { [self] in flag.store(true, ordering: .relaxed) }
                source.resume()
                sources.append(source)
            }
        }
    }
}
