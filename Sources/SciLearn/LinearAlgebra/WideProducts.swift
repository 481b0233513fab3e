import CLapack

/// Products with a wide design `A = [1?, X]` (n × q) and its transpose, by blocks of X's
/// columns of about 10⁶ elements with a cancellation check before each.
enum WideProducts {
    static func columnsPerBlock(rows n: Int) -> Int { max(1, (1 << 20) / max(1, n)) }

    /// `Aᵀ z` (q values).
    static func transposeTimes(_ x: Matrix, leadingOnes: Bool, _ z: [Double]) throws(SciLearnError) -> [Double] {
        let n = x.rows, p = x.columns, offset = leadingOnes ? 1 : 0
        var out = [Double](repeating: 0, count: p + offset)
        if leadingOnes { out[0] = z.reduce(0, +) }
        let step = columnsPerBlock(rows: n)
        var j0 = 0
        while j0 < p {
            try CancellationToken.check()
            let m = min(step, p - j0)
            x.withUnsafeBufferPointer { xs in
                z.withUnsafeBufferPointer { zs in
                    out.withUnsafeMutableBufferPointer { os in
                        cblas_dgemv(CblasColMajor, CblasTrans, Int32(n), Int32(m), 1, xs.baseAddress! + j0 * x.leadingDimension,
                                    Int32(x.leadingDimension), zs.baseAddress!, 1, 0, os.baseAddress! + offset + j0, 1)
                    }
                }
            }
            j0 += m
        }
        return out
    }

    /// `A b` (n values).
    static func times(_ x: Matrix, leadingOnes: Bool, _ b: [Double]) throws(SciLearnError) -> [Double] {
        let n = x.rows, p = x.columns, offset = leadingOnes ? 1 : 0
        var out = [Double](repeating: leadingOnes ? b[0] : 0, count: n)
        let step = columnsPerBlock(rows: n)
        var j0 = 0
        while j0 < p {
            try CancellationToken.check()
            let m = min(step, p - j0)
            x.withUnsafeBufferPointer { xs in
                b.withUnsafeBufferPointer { bs in
                    out.withUnsafeMutableBufferPointer { os in
                        cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(n), Int32(m), 1, xs.baseAddress! + j0 * x.leadingDimension,
                                    Int32(x.leadingDimension), bs.baseAddress! + offset + j0, 1, 1, os.baseAddress!, 1)
                    }
                }
            }
            j0 += m
        }
        return out
    }
}
