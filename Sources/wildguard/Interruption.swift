import Foundation
import Synchronization

/// Set by the SIGINT/SIGTERM handler. A global so that a plain C signal handler (which captures
/// nothing) can reach it; an atomic store is safe to do from a signal handler.
private let interruptRequested = Atomic<Bool>(false)

/// Turns SIGINT and SIGTERM into a flag the batch loop checks between blocks, so an interrupted
/// run writes every decision it has made, says where it stopped, and exits 130 instead of dying
/// mid-line. A plain signal handler, not a dispatch source: the workers can keep every dispatch
/// thread busy, and the flag must be set at once.
enum Interruption {
    static var requested: Bool { interruptRequested.load(ordering: .relaxed) }

    /// Starts watching for the signals.
    static func install() {
        var set = sigset_t()
        sigemptyset(&set)
        for number in [SIGINT, SIGTERM] {
            signal(number) { _ in interruptRequested.store(true, ordering: .relaxed) }
            sigaddset(&set, number)
        }
        // A parent may have started us with these signals blocked (posix_spawn keeps the mask).
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}
