/// One AES state (16 bytes) in bitsliced form: `planes[k]` holds bit k of every byte, byte j at bit j.
/// Byte j is the state's row j % 4, column j / 4, as FIPS-197 lays the input out.
///
/// Why this is constant-time: every AES step below is computed with XOR, AND, NOT, shifts and rotations of
/// whole planes. No table is indexed by key or data, no branch depends on them, and every operation takes the
/// same time for every value, so neither cache timing nor branch timing reveals anything about the key.
struct BitslicedState: Sendable {
    var planes: (UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16)

    init(planes: (UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16)) {
        self.planes = planes
    }

    /// Spreads 16 bytes into 8 planes. Loop bounds and indices are public; bits move by masks only.
    init(bytes: UnsafeRawBufferPointer) {
        var p: [UInt16] = [0, 0, 0, 0, 0, 0, 0, 0]
        for j in 0..<16 {
            let byte = UInt16(bytes[j])
            for k in 0..<8 {
                p[k] |= ((byte >> UInt16(k)) & 1) << UInt16(j)
            }
        }
        planes = (p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7])
    }

    /// Gathers the planes back into 16 bytes.
    func store(into out: UnsafeMutableRawBufferPointer) {
        let p = [planes.0, planes.1, planes.2, planes.3, planes.4, planes.5, planes.6, planes.7]
        for j in 0..<16 {
            var byte: UInt16 = 0
            for k in 0..<8 {
                byte |= ((p[k] >> UInt16(j)) & 1) << UInt16(k)
            }
            out[j] = UInt8(byte)
        }
    }

    static func ^ (lhs: BitslicedState, rhs: BitslicedState) -> BitslicedState {
        BitslicedState(planes: (
            lhs.planes.0 ^ rhs.planes.0, lhs.planes.1 ^ rhs.planes.1, lhs.planes.2 ^ rhs.planes.2,
            lhs.planes.3 ^ rhs.planes.3, lhs.planes.4 ^ rhs.planes.4, lhs.planes.5 ^ rhs.planes.5,
            lhs.planes.6 ^ rhs.planes.6, lhs.planes.7 ^ rhs.planes.7))
    }

    /// Applies `transform` to every plane (the byte-position permutations of ShiftRows and MixColumns).
    func map(_ transform: (UInt16) -> UInt16) -> BitslicedState {
        BitslicedState(planes: (
            transform(planes.0), transform(planes.1), transform(planes.2), transform(planes.3),
            transform(planes.4), transform(planes.5), transform(planes.6), transform(planes.7)))
    }
}
