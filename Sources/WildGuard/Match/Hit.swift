/// One place where a taxonomy entry matched, in normalised-text coordinates.
struct Hit: Sendable {
    var entry: Int32
    var range: Range<Int>
    var evasion: EvasionKind?
}
