/// ShiftRows and MixColumns on bit planes. Byte j sits at plane bit j (row j % 4, column j / 4), so each
/// step is the same fixed shift-and-mask on every plane, plus (for MixColumns) a fixed XOR network.
extension BitslicedState {
    /// Row r moves left by r columns: within a plane, the row's bits rotate right by 4·r positions.
    func shiftRows() -> BitslicedState {
        map { p in (p & 0x1111) | (p.rotatedRight(4) & 0x2222) | (p.rotatedRight(8) & 0x4444) | (p.rotatedRight(12) & 0x8888) }
    }

    func invShiftRows() -> BitslicedState {
        map { p in (p & 0x1111) | (p.rotatedRight(12) & 0x2222) | (p.rotatedRight(8) & 0x4444) | (p.rotatedRight(4) & 0x8888) }
    }

    /// Each byte replaced by the byte one row down in its column (row 3 takes row 0): Rⁿ for n = 1, 2, 3.
    func rowsUp(_ n: Int) -> BitslicedState {
        switch n {
        case 1: map { ((($0 >> 1) & 0x7777) | (($0 << 3) & 0x8888)) }
        case 2: map { ((($0 >> 2) & 0x3333) | (($0 << 2) & 0xCCCC)) }
        default: map { ((($0 >> 3) & 0x1111) | (($0 << 1) & 0xEEEE)) }
        }
    }

    /// Multiplication of every byte by x (02) in GF(2^8) modulo x⁸ + x⁴ + x³ + x + 1.
    func xtime() -> BitslicedState {
        let (b0, b1, b2, b3, b4, b5, b6, b7) = planes
        return BitslicedState(planes: (b7, b0 ^ b7, b1, b2 ^ b7, b3 ^ b7, b4, b5, b6))
    }

    /// a'ᵣ = 2aᵣ ⊕ 3aᵣ₊₁ ⊕ aᵣ₊₂ ⊕ aᵣ₊₃ = 2(aᵣ ⊕ aᵣ₊₁) ⊕ aᵣ₊₁ ⊕ aᵣ₊₂ ⊕ aᵣ₊₃.
    func mixColumns() -> BitslicedState {
        let r1 = rowsUp(1)
        return (self ^ r1).xtime() ^ r1 ^ rowsUp(2) ^ rowsUp(3)
    }

    /// InvMixColumns = MixColumns after multiplying each column by 04x² + 05, i.e. aᵣ ⊕= 4(aᵣ ⊕ aᵣ₊₂)
    /// (the matrices are circulant, so the order does not matter).
    func invMixColumns() -> BitslicedState {
        (self ^ (self ^ rowsUp(2)).xtime().xtime()).mixColumns()
    }
}

extension UInt16 {
    func rotatedRight(_ n: UInt16) -> UInt16 { (self >> n) | (self << (16 - n)) }
}
