/// Fixed room where the normaliser writes a listing's folded bytes and their origins through
/// pointers, before they are copied into the `NormalisedText`'s arrays in blocks.
///
/// Appending to three arrays byte by byte paid a uniqueness and capacity check per array per
/// byte: most of the cost of folding non-Latin text. One block copy per array per stageful of
/// text replaces them. Owned by one `NormalisedText` (so by one worker) and reused from listing to
/// listing; nothing in it outlives the call that fills it.
final class OutputStage {
    /// How many bytes the stage holds: more than most listings fold to, so most are copied once.
    let capacity: Int
    let bytes: UnsafeMutablePointer<UInt8>
    let start: UnsafeMutablePointer<Int32>
    let end: UnsafeMutablePointer<Int32>

    init(capacity: Int = 2048) {
        // Every fold the character table holds (up to 255 bytes) fits in an empty stage.
        self.capacity = max(capacity, 256)
        bytes = .allocate(capacity: self.capacity)
        start = .allocate(capacity: self.capacity)
        end = .allocate(capacity: self.capacity)
    }

    deinit {
        bytes.deallocate()
        start.deallocate()
        end.deallocate()
    }
}
