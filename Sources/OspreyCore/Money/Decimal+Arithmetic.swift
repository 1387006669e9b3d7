/// Checked arithmetic: nil when a result does not fit 38 digits, so bad input is an error, never a crash.
extension Decimal {
    public enum Rounding: Sendable {
        /// Toward negative infinity (a quantity floored to a step, a buy price to a tick).
        case down
        /// Toward positive infinity (a sell price to a tick).
        case up
        /// Half away from zero.
        case halfUp
        /// Toward zero.
        case towardZero
    }

    public func adding(_ other: Decimal) -> Decimal? {
        guard let (a, b) = Self.aligned(self, other) else { return nil }
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? nil : Decimal(significand: sum, scale: max(scale, other.scale)).normalized
    }

    public func subtracting(_ other: Decimal) -> Decimal? {
        adding(Decimal(significand: -other.significand, scale: other.scale))
    }

    public func multiplied(by other: Decimal) -> Decimal? {
        let (product, overflow) = significand.multipliedReportingOverflow(by: other.significand)
        guard !overflow else { return nil }
        var combined = scale + other.scale
        var value = product
        while combined > Self.maxScale {  // more decimals than a Decimal holds: drop the excess toward zero
            value /= 10
            combined -= 1
        }
        return Decimal(significand: value, scale: combined).normalized
    }

    /// `self / divisor` with `scale` decimals, rounded by `rounding`; nil for a zero divisor or overflow.
    public func divided(by divisor: Decimal, scale resultScale: Int, rounding: Rounding = .halfUp) -> Decimal? {
        guard !divisor.isZero, (0...Self.maxScale).contains(resultScale) else { return nil }
        // self/divisor = (a·10^-s) / (b·10^-t) = a·10^(t - s + r) / b · 10^-r
        let shift = divisor.scale - scale + resultScale
        var numerator = significand
        var denominator = divisor.significand
        if shift >= 0 {
            for _ in 0..<shift {
                let (next, overflow) = numerator.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                numerator = next
            }
        } else {
            for _ in 0..<(-shift) {
                let (next, overflow) = denominator.multipliedReportingOverflow(by: 10)
                guard !overflow else { return nil }
                denominator = next
            }
        }
        let (quotient, remainder) = numerator.quotientAndRemainder(dividingBy: denominator)
        let adjusted = Self.round(quotient, remainder: remainder, divisor: denominator, rounding)
        return Decimal(significand: adjusted, scale: resultScale).normalized
    }

    /// Rounded to `scale` decimals.
    public func rounded(scale newScale: Int, _ rounding: Rounding = .halfUp) -> Decimal {
        guard newScale < scale else { return self }
        let unit = Self.powersOfTen[scale - newScale]
        let (quotient, remainder) = significand.quotientAndRemainder(dividingBy: unit)
        return Decimal(significand: Self.round(quotient, remainder: remainder, divisor: unit, rounding), scale: newScale).normalized
    }

    /// The nearest multiple of `step` in the rounding's direction: quantities to a LOT_SIZE step, prices to
    /// a tick. A zero step leaves the value as is.
    public func toMultiple(of step: Decimal, _ rounding: Rounding) -> Decimal? {
        guard !step.isZero else { return self }
        guard let count = divided(by: step, scale: 0, rounding: rounding) else { return nil }
        return count.multiplied(by: step)
    }

    /// Percent change from `base` to `self`, with 4 decimals; nil when `base` is zero.
    public func percentChange(from base: Decimal) -> Decimal? {
        guard let difference = subtracting(base), let hundredfold = difference.multiplied(by: Decimal(100)) else { return nil }
        return hundredfold.divided(by: base, scale: 4)
    }

    /// Exact (a significand has at most 38 digits, so its negation always fits).
    public static prefix func - (value: Decimal) -> Decimal { Decimal(significand: -value.significand, scale: value.scale) }

    public var magnitude: Decimal { Decimal(significand: significand < 0 ? -significand : significand, scale: scale) }

    private static func round(_ quotient: Int128, remainder: Int128, divisor: Int128, _ rounding: Rounding) -> Int128 {
        guard remainder != 0 else { return quotient }
        let negative = (remainder < 0) != (divisor < 0)
        switch rounding {
        case .towardZero: return quotient
        case .down: return negative ? quotient - 1 : quotient
        case .up: return negative ? quotient : quotient + 1
        case .halfUp:
            let twice = remainder.magnitude * 2
            guard twice >= divisor.magnitude else { return quotient }
            return negative ? quotient - 1 : quotient + 1
        }
    }
}
