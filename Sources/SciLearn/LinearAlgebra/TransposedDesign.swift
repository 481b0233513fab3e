/// Aᵀ for a wide design `A = [1?, X]` (n × q, fewer rows than terms), as the tall q × n matrix
/// whose QR gives A's LQ factorisation: `Aᵀ = Q R`, so `A = Rᵀ Qᵀ` and A's singular values and
/// left singular vectors are those of the n × n factor Rᵀ.
struct TransposedDesign: TallRows {
    let x: Matrix
    /// Whether a column of ones leads A (so Aᵀ starts with a row of ones).
    let leadingOnes: Bool

    /// Terms of A: Aᵀ's rows.
    var rows: Int { x.columns + (leadingOnes ? 1 : 0) }
    /// Samples of A: Aᵀ's columns.
    var width: Int { x.rows }

    func fillRows(_ range: Range<Int>, into out: UnsafeMutablePointer<Double>, stride: Int) {
        let n = x.rows, xld = x.leadingDimension, offset = leadingOnes ? 1 : 0
        x.withUnsafeBufferPointer { xs in
            for (r, term) in range.enumerated() {
                let row = out + r * stride
                if term < offset {
                    row.update(repeating: 1, count: n)
                } else {
                    row.update(from: xs.baseAddress! + (term - offset) * xld, count: n)
                }
            }
        }
    }

    func fill(_ range: Range<Int>, into out: UnsafeMutablePointer<Double>, ld: Int) {
        let n = x.rows, xld = x.leadingDimension, offset = leadingOnes ? 1 : 0
        x.withUnsafeBufferPointer { xs in
            for (r, term) in range.enumerated() {
                if term < offset {
                    for i in 0..<n { out[r + i * ld] = 1 }
                } else {
                    let column = xs.baseAddress! + (term - offset) * xld
                    for i in 0..<n { out[r + i * ld] = column[i] }
                }
            }
        }
    }
}
