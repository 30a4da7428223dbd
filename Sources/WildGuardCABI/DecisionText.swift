import WildGuard

/// How a `Decision` crosses the C boundary: as JSON text or as an action code, never as a Swift
/// value.
enum DecisionText {
    /// The decision as one malloc'd line of JSON with `"id"` set to `id` (null when nil), or nil
    /// when memory ran out. The same record as `wildguard classify` writes, so that one parser
    /// serves both.
    static func json(_ decision: Decision, id: Int?) -> UnsafeMutablePointer<CChar>? {
        var writer = JSONWriter()
        DecisionJSON.write(decision, idJSON: id.map(String.init) ?? "null", into: &writer)
        return CStrings.copy(writer.bytes)
    }

    /// `WG_ALLOW`, `WG_REVIEW` or `WG_BLOCK`. Spelled out rather than derived from the enum's
    /// order, because these numbers are ABI and the Swift enum is free to change.
    static func code(_ action: Action) -> Int32 {
        switch action {
        case .allow: 0
        case .review: 1
        case .block: 2
        }
    }
}
