import Foundation

/// Student's t distribution: what a confidence interval from 3–10 rounds needs (the normal
/// quantile 1.96 would claim far more confidence than a handful of rounds can give).
package enum StudentT {
    /// P(T ≤ t) with `degreesOfFreedom` > 0.
    package static func cdf(_ t: Double, degreesOfFreedom df: Double) -> Double {
        precondition(df > 0, "Student's t needs positive degrees of freedom")
        if t.isNaN { return .nan }
        if t.isInfinite { return t > 0 ? 1 : 0 }
        let tail = 0.5 * RegularizedIncompleteBeta.value(x: df / (df + t * t), a: df / 2, b: 0.5)
        return t > 0 ? 1 - tail : tail
    }

    /// The t with P(T ≤ t) = p, for 0 < p < 1: closed forms for 1 and 2 degrees of freedom,
    /// bisection on the CDF otherwise (60 halvings of a bracket that holds every quantile used).
    package static func quantile(_ p: Double, degreesOfFreedom df: Double) -> Double {
        precondition(p > 0 && p < 1, "a quantile needs 0 < p < 1")
        precondition(df > 0, "Student's t needs positive degrees of freedom")
        if df == 1 { return tan(Double.pi * (p - 0.5)) }
        if df == 2 { let a = 4 * p * (1 - p); return (2 * p - 1) * (2 / a).squareRoot() }
        if p < 0.5 { return -quantile(1 - p, degreesOfFreedom: df) }
        var lo = 0.0, hi = 1.0
        while cdf(hi, degreesOfFreedom: df) < p { lo = hi; hi *= 2 }
        for _ in 0..<100 {
            let mid = (lo + hi) / 2
            if cdf(mid, degreesOfFreedom: df) < p { lo = mid } else { hi = mid }
            if hi - lo <= 1e-15 * hi { break }
        }
        return (lo + hi) / 2
    }
}
