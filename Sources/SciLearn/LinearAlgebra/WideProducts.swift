import CLapack

/// Products with a wide design `A = [1?, X]` (n × q) and its transpose, by blocks of X's
/// columns of about 10⁶ elements with a cancellation check before each.
enum WideProducts {
    /// `Aᵀ z` (q values).
    static func transposeTimes(_ x: Matrix, leadingOnes: Bool, _ z: [Double]) throws(SciLearnError) -> [Double] {
        var out = [Double](repeating: 0, count: x.columns + (leadingOnes ? 1 : 0))
        if leadingOnes { out[0] = z.reduce(0, +) }
        try product(x, transpose: true, z, into: &out, offset: leadingOnes ? 1 : 0)
        return out
    }

    /// `A b` (n values).
    static func times(_ x: Matrix, leadingOnes: Bool, _ b: [Double]) throws(SciLearnError) -> [Double] {
        var out = [Double](repeating: leadingOnes ? b[0] : 0, count: x.rows)
        try product(x, transpose: false, b, into: &out, offset: leadingOnes ? 1 : 0)
        return out
    }

    /// `out[offset...] = Xᵀ v` (transpose) or `out += X v[offset...]`, by blocks of columns.
    private static func product(_ x: Matrix, transpose: Bool, _ v: [Double], into out: inout [Double], offset: Int) throws(SciLearnError) {
        let n = x.rows, ld = x.leadingDimension
        try CancellableBlocks.forEach(count: x.columns, step: max(1, (1 << 20) / max(1, n))) { (block) throws(SciLearnError) in
            let j0 = block.lowerBound, m = block.count
            x.withUnsafeBufferPointer { xs in
                v.withUnsafeBufferPointer { vs in
                    out.withUnsafeMutableBufferPointer { os in
                        let a = xs.baseAddress! + j0 * ld
                        if transpose {
                            cblas_dgemv(CblasColMajor, CblasTrans, Int32(n), Int32(m), 1, a, Int32(ld),
                                        vs.baseAddress!, 1, 0, os.baseAddress! + offset + j0, 1)
                        } else {
                            cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(n), Int32(m), 1, a, Int32(ld),
                                        vs.baseAddress! + offset + j0, 1, 1, os.baseAddress!, 1)
                        }
                    }
                }
            }
        }
    }
}
