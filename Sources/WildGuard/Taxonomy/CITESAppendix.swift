/// A CITES listing: Appendix I (trade in wild specimens essentially prohibited), II (trade
/// controlled), III (listed by one range State), a split listing, or not listed.
public enum CITESAppendix: String, Sendable, Codable, CaseIterable {
    case i = "I"
    case ii = "II"
    case iii = "III"
    case iAndII = "I/II"
    case none = "none"

    /// Whether a selector for appendix `other` matches this listing ("I/II" matches both).
    public func includes(_ other: CITESAppendix) -> Bool {
        if self == other { return true }
        if self == .iAndII { return other == .i || other == .ii }
        return false
    }
}
