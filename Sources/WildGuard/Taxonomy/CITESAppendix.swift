/// A CITES listing: Appendix I (trade in wild specimens essentially prohibited), II (trade
/// controlled), III (listed by one range State), a split listing, or not listed.
public enum CITESAppendix: String, Sendable, Codable, CaseIterable {
    case i = "I"
    case ii = "II"
    case iii = "III"
    case iAndII = "I/II"
    case none = "none"

    /// Whether a selector for appendix `other` matches this listing. A split listing ("I/II":
    /// a family, or a species with some populations in each) also counts as II, never as I: the
    /// text rarely says which species or population it is, and Appendix I is where the strict
    /// decisions are made.
    public func includes(_ other: CITESAppendix) -> Bool {
        if self == other { return true }
        return self == .iAndII && other == .ii
    }
}
