/// Double to integer without a trap: NaN and negatives give 0, values beyond the type its
/// largest value. For figures a report prints or draws, which a crafted file may have made
/// huge; the loaders refuse such files by field first (`ResultsFileCheck`), this is the floor.
extension UInt64 {
    public init(saturating value: Double) {
        if !(value > 0) { self = 0 } else if value >= 18_446_744_073_709_549_568.0 { self = .max } else { self = UInt64(value) }
    }
}

extension Int {
    public init(saturating value: Double) {
        if value.isNaN { self = 0 } else if value >= 9_223_372_036_854_774_784.0 { self = .max }
        else if value <= -9_223_372_036_854_775_808.0 { self = .min } else { self = Int(value) }
    }
}
