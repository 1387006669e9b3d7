/// SubBytes on bit planes: the S-box as a Boolean circuit of 32 ANDs and 83 XOR/XNORs (Boyar and Peralta,
/// "A depth-16 circuit for the AES S-box", 2011). It evaluates all 16 bytes of a state at once and takes the
/// same steps for every input, which is what makes AES here constant-time.
extension BitslicedState {
    func subBytes() -> BitslicedState {
        BitslicedState(planes: Self.sbox(planes))
    }

    /// InvSubBytes: S⁻¹(x) = A⁻¹(S(A⁻¹(x))), where A⁻¹ undoes the S-box's affine map. Since S(y) = A(y⁻¹),
    /// A⁻¹(S(y)) is the field inverse of y, and A⁻¹(x) is the y whose inverse S⁻¹ must return.
    func invSubBytes() -> BitslicedState {
        BitslicedState(planes: Self.inverseAffine(Self.sbox(Self.inverseAffine(planes))))
    }

    typealias Planes = (UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16)

    /// A⁻¹(x): bit i = x[i+2] ⊕ x[i+5] ⊕ x[i+7] ⊕ (0x05 bit i), indices mod 8.
    static func inverseAffine(_ x: Planes) -> Planes {
        let b = [x.0, x.1, x.2, x.3, x.4, x.5, x.6, x.7]
        func bit(_ i: Int) -> UInt16 { b[(i + 2) % 8] ^ b[(i + 5) % 8] ^ b[(i + 7) % 8] }
        return (~bit(0), bit(1), ~bit(2), bit(3), bit(4), bit(5), bit(6), bit(7))
    }

    /// The circuit. Its inputs x0…x7 and outputs s0…s7 are bits 7…0 of each byte.
    static func sbox(_ planes: Planes) -> Planes {
        let (x7, x6, x5, x4, x3, x2, x1, x0) = planes

        // Top linear layer.
        let y14 = x3 ^ x5, y13 = x0 ^ x6, y9 = x0 ^ x3, y8 = x0 ^ x5
        let t0 = x1 ^ x2
        let y1 = t0 ^ x7
        let y4 = y1 ^ x3, y12 = y13 ^ y14, y2 = y1 ^ x0, y5 = y1 ^ x6
        let y3 = y5 ^ y8
        let t1 = x4 ^ y12
        let y15 = t1 ^ x5, y20 = t1 ^ x1
        let y6 = y15 ^ x7, y10 = y15 ^ t0, y11 = y20 ^ y9
        let y7 = x7 ^ y11, y17 = y10 ^ y11, y19 = y10 ^ y8, y16 = t0 ^ y11
        let y21 = y13 ^ y16, y18 = x0 ^ y16

        // Non-linear middle: inversion in GF(2^4)² as ANDs of linear forms.
        let t2 = y12 & y15, t3 = y3 & y6
        let t4 = t3 ^ t2
        let t5 = y4 & x7
        let t6 = t5 ^ t2
        let t7 = y13 & y16, t8 = y5 & y1
        let t9 = t8 ^ t7
        let t10 = y2 & y7
        let t11 = t10 ^ t7
        let t12 = y9 & y11, t13 = y14 & y17
        let t14 = t13 ^ t12
        let t15 = y8 & y10
        let t16 = t15 ^ t12
        let t17 = t4 ^ t14, t18 = t6 ^ t16, t19 = t9 ^ t14, t20 = t11 ^ t16
        let t21 = t17 ^ y20, t22 = t18 ^ y19, t23 = t19 ^ y21, t24 = t20 ^ y18
        let t25 = t21 ^ t22, t26 = t21 & t23
        let t27 = t24 ^ t26
        let t28 = t25 & t27
        let t29 = t28 ^ t22
        let t30 = t23 ^ t24, t31 = t22 ^ t26
        let t32 = t31 & t30
        let t33 = t32 ^ t24
        let t34 = t23 ^ t33, t35 = t27 ^ t33
        let t36 = t24 & t35
        let t37 = t36 ^ t34, t38 = t27 ^ t36
        let t39 = t29 & t38
        let t40 = t25 ^ t39
        let t41 = t40 ^ t37, t42 = t29 ^ t33, t43 = t29 ^ t40, t44 = t33 ^ t37
        let t45 = t42 ^ t41
        let z0 = t44 & y15, z1 = t37 & y6, z2 = t33 & x7, z3 = t43 & y16, z4 = t40 & y1, z5 = t29 & y7
        let z6 = t42 & y11, z7 = t45 & y17, z8 = t41 & y10, z9 = t44 & y12, z10 = t37 & y3, z11 = t33 & y4
        let z12 = t43 & y13, z13 = t40 & y5, z14 = t29 & y2, z15 = t42 & y9, z16 = t45 & y14, z17 = t41 & y8

        // Bottom linear layer (with the affine constant folded into the XNORs).
        let t46 = z15 ^ z16, t47 = z10 ^ z11, t48 = z5 ^ z13, t49 = z9 ^ z10, t50 = z2 ^ z12
        let t51 = z2 ^ z5, t52 = z7 ^ z8, t53 = z0 ^ z3, t54 = z6 ^ z7, t55 = z16 ^ z17
        let t56 = z12 ^ t48, t57 = t50 ^ t53, t58 = z4 ^ t46, t59 = z3 ^ t54
        let t60 = t46 ^ t57, t61 = z14 ^ t57, t62 = t52 ^ t58, t63 = t49 ^ t58, t64 = z4 ^ t59
        let t65 = t61 ^ t62, t66 = z1 ^ t63
        let s0 = t59 ^ t63, s6 = t56 ^ ~t62, s7 = t48 ^ ~t60
        let t67 = t64 ^ t65
        let s3 = t53 ^ t66, s4 = t51 ^ t66, s5 = t47 ^ t65
        let s1 = t64 ^ ~s3, s2 = t55 ^ ~t67
        return (s7, s6, s5, s4, s3, s2, s1, s0)
    }
}
