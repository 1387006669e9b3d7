/// The AES block cipher (FIPS-197) with 128- or 256-bit keys, constant-time: see `BitslicedState`.
/// The key schedule also runs its S-box lookups through the circuit, so it leaks nothing about the key.
public struct AES: Sendable {
    public static let blockSize = 16

    private let roundKeys: [BitslicedState]

    /// `key` is 16 bytes (AES-128) or 32 bytes (AES-256).
    public init(key: [UInt8]) throws(CryptoError) {
        guard key.count == 16 || key.count == 32 else { throw .invalidKeyLength(key.count) }
        let nk = key.count / 4
        let rounds = nk + 6
        var words: [UInt32] = (0..<nk).map { i -> UInt32 in Self.bigEndianWord(key, at: 4 * i) }
        var rcon: UInt32 = 0x01
        for i in nk..<(4 * (rounds + 1)) {
            var temp = words[i - 1]
            if i % nk == 0 {
                temp = Self.subWord((temp << 8) | (temp >> 24)) ^ (rcon << 24)
                rcon = (rcon << 1) ^ ((rcon >> 7) * 0x11B)  // xtime on a public round counter
            } else if nk > 6 && i % nk == 4 {
                temp = Self.subWord(temp)
            }
            words.append(words[i - nk] ^ temp)
        }
        roundKeys = (0...rounds).map { round in
            var bytes = [UInt8](repeating: 0, count: 16)
            for c in 0..<4 {
                let word = words[4 * round + c]
                for r in 0..<4 { bytes[4 * c + r] = UInt8(truncatingIfNeeded: word >> (24 - 8 * r)) }
            }
            return bytes.withUnsafeBytes { BitslicedState(bytes: $0) }
        }
    }

    static func bigEndianWord(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        var word: UInt32 = 0
        for i in 0..<4 { word = word << 8 | UInt32(bytes[offset + i]) }
        return word
    }

    /// SubWord through the S-box circuit: the word's 4 bytes go through a state's first column.
    static func subWord(_ word: UInt32) -> UInt32 {
        var bytes = [UInt8](repeating: 0, count: 16)
        for j in 0..<4 { bytes[j] = UInt8(truncatingIfNeeded: word >> (24 - 8 * UInt32(j))) }
        bytes.withUnsafeMutableBytes { buffer in
            BitslicedState(bytes: UnsafeRawBufferPointer(buffer)).subBytes().store(into: buffer)
        }
        return bigEndianWord(bytes, at: 0)
    }

    func encrypt(_ state: BitslicedState) -> BitslicedState {
        var state = state ^ roundKeys[0]
        for round in 1..<(roundKeys.count - 1) {
            state = state.subBytes().shiftRows().mixColumns() ^ roundKeys[round]
        }
        return state.subBytes().shiftRows() ^ roundKeys[roundKeys.count - 1]
    }

    func decrypt(_ state: BitslicedState) -> BitslicedState {
        var state = state ^ roundKeys[roundKeys.count - 1]
        for round in stride(from: roundKeys.count - 2, through: 1, by: -1) {
            state = (state.invShiftRows().invSubBytes() ^ roundKeys[round]).invMixColumns()
        }
        return state.invShiftRows().invSubBytes() ^ roundKeys[0]
    }

    /// Encrypts exactly one 16-byte block.
    public func encryptBlock(_ block: [UInt8]) -> [UInt8] {
        apply(encrypt, to: block)
    }

    /// Decrypts exactly one 16-byte block.
    public func decryptBlock(_ block: [UInt8]) -> [UInt8] {
        apply(decrypt, to: block)
    }

    private func apply(_ cipher: (BitslicedState) -> BitslicedState, to block: [UInt8]) -> [UInt8] {
        precondition(block.count == Self.blockSize, "AES blocks are 16 bytes")
        var out = [UInt8](repeating: 0, count: 16)
        let state = block.withUnsafeBytes { BitslicedState(bytes: $0) }
        out.withUnsafeMutableBytes { cipher(state).store(into: $0) }
        return out
    }
}
