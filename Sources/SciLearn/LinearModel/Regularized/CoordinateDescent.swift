import CLapack

/// Cyclic coordinate descent for the elastic net, scikit-learn's `enet_coordinate_descent`
/// step for step: the same coordinate order and update, the same duality gap (its "formulation
/// A", or B when the L1 penalty is zero), the same Gap Safe screening of features, and the same
/// schedule for checking the gap (when the largest coefficient change of a sweep falls below
/// `tol` relative to the largest coefficient, or on the last sweep), so that the iterates, the
/// iteration count and the stopping point are scikit-learn's up to rounding.
///
/// In the units of that routine: minimises `½‖y − Xw‖² + l1·‖w‖₁ + ½·l2·‖w‖²` (l1 = n·α·ρ,
/// l2 = n·α·(1 − ρ)), stopping when the gap is at most `tol·‖y‖²`.
///
/// Two ways to see the data, the same arithmetic in exact terms: the centred columns and a
/// residual vector (two BLAS-1 sweeps of n per coordinate), or, when n ≥ 2p, the precomputed
/// centred Gram matrix (O(p) per coordinate, whatever n).
enum CoordinateDescent {
    /// What the sweeps need of the data.
    protocol State {
        var featureCount: Int { get }
        /// ‖Xⱼ‖².
        var norms: [Double] { get }
        /// Xⱼᵀ R for the current residual R = y − Xw.
        func correlation(_ j: Int) -> Double
        /// Records that wⱼ changed by `delta`.
        mutating func move(_ j: Int, by delta: Double)
        /// (‖R‖², Rᵀy, XᵀR) for the current residual.
        func gapTerms() -> (rr: Double, ry: Double, xtr: [Double])
    }

    /// The centred columns and the residual.
    struct Columns: State {
        let x: Matrix
        let y: [Double]
        var r: [Double]
        let norms: [Double]
        var featureCount: Int { x.columns }

        init(x: Matrix, y: [Double], w: [Double]) {
            self.x = x
            self.y = y
            let n = x.rows
            norms = (0..<x.columns).map { j in x.withUnsafeBufferPointer { cblas_ddot(Int32(n), $0.baseAddress! + j * n, 1, $0.baseAddress! + j * n, 1) } }
            var r = y
            if w.contains(where: { $0 != 0 }) {
                x.withUnsafeBufferPointer { xs in
                    r.withUnsafeMutableBufferPointer { rp in
                        cblas_dgemv(CblasColMajor, CblasNoTrans, Int32(n), Int32(x.columns), -1.0, xs.baseAddress, Int32(n), w, 1, 1.0, rp.baseAddress, 1)
                    }
                }
            }
            self.r = r
        }

        func correlation(_ j: Int) -> Double {
            let n = x.rows
            return x.withUnsafeBufferPointer { xs in r.withUnsafeBufferPointer { cblas_ddot(Int32(n), xs.baseAddress! + j * n, 1, $0.baseAddress, 1) } }
        }

        mutating func move(_ j: Int, by delta: Double) {
            let n = x.rows
            x.withUnsafeBufferPointer { xs in
                r.withUnsafeMutableBufferPointer { cblas_daxpy(Int32(n), -delta, xs.baseAddress! + j * n, 1, $0.baseAddress, 1) }
            }
        }

        func gapTerms() -> (rr: Double, ry: Double, xtr: [Double]) {
            let n = x.rows, p = x.columns
            var xtr = [Double](repeating: 0, count: p)
            let rr = cblas_ddot(Int32(n), r, 1, r, 1)
            let ry = cblas_ddot(Int32(n), r, 1, y, 1)
            x.withUnsafeBufferPointer { xs in
                xtr.withUnsafeMutableBufferPointer { o in
                    cblas_dgemv(CblasColMajor, CblasTrans, Int32(n), Int32(p), 1.0, xs.baseAddress, Int32(n), r, 1, 0.0, o.baseAddress, 1)
                }
            }
            return (rr, ry, xtr)
        }
    }

    /// The centred Gram matrix G = XcᵀXc, q = Xcᵀyc, ‖yc‖², and H = G w kept current.
    struct Gram: State {
        let g: [Double]
        let q: [Double]
        let yy: Double
        var h: [Double]
        var w: [Double]
        let norms: [Double]
        var featureCount: Int { q.count }

        init(g: [Double], q: [Double], yy: Double, w: [Double]) {
            let p = q.count
            self.g = g
            self.q = q
            self.yy = yy
            self.w = w
            norms = (0..<p).map { g[$0 + $0 * p] }
            var h = [Double](repeating: 0, count: p)
            for j in 0..<p where w[j] != 0 { for i in 0..<p { h[i] += g[i + j * p] * w[j] } }
            self.h = h
        }

        func correlation(_ j: Int) -> Double { q[j] - h[j] }

        mutating func move(_ j: Int, by delta: Double) {
            let p = q.count
            w[j] += delta
            g.withUnsafeBufferPointer { gp in
                h.withUnsafeMutableBufferPointer { cblas_daxpy(Int32(p), delta, gp.baseAddress! + j * p, 1, $0.baseAddress, 1) }
            }
        }

        func gapTerms() -> (rr: Double, ry: Double, xtr: [Double]) {
            var wq = 0.0, wh = 0.0
            for j in 0..<q.count { wq += w[j] * q[j]; wh += w[j] * h[j] }
            return (yy - 2 * wq + wh, yy - wq, zip(q, h).map { $0 - $1 })
        }
    }

    struct Outcome {
        var w: [Double]
        var gap: Double
        var iterations: Int
        var converged: Bool
    }

    /// The duality gap and ‖XᵀR − l2·w‖∞ (scikit-learn's `gap_enet`).
    static func gap(_ terms: (rr: Double, ry: Double, xtr: [Double]), w: [Double], l1: Double, l2: Double) -> (gap: Double, dualNorm: Double, xta: [Double]) {
        let w2 = l2 > 0 ? w.reduce(0) { $0 + $1 * $1 } : 0
        if l1 == 0 {
            let dn = terms.xtr.reduce(0) { $0 + $1 * $1 }
            if l2 == 0 { return (dn, dn, terms.xtr) }
            return (terms.rr + 0.5 * l2 * w2 - terms.ry + dn / (2 * l2), dn, terms.xtr)
        }
        let xta = zip(terms.xtr, w).map { $0 - l2 * $1 }
        let dn = xta.reduce(0) { max($0, abs($1)) }
        let l1norm = w.reduce(0) { $0 + abs($1) }
        let primal = 0.5 * (terms.rr + l2 * w2) + l1 * l1norm
        let scale = dn > l1 ? l1 / dn : 1
        let dual = -0.5 * scale * scale * (terms.rr + l2 * w2) + scale * terms.ry
        return (primal - dual, dn, xta)
    }

    /// Runs the sweeps from `w` (warm start) until the gap is at most `tol·yy` or `maxIter`
    /// sweeps. `yy` is ‖y‖² of the (centred) targets.
    static func solve<S: State>(_ state: inout S, w start: [Double], l1: Double, l2: Double, tol: Double,
                                yy: Double, maxIter: Int) throws(SciLearnError) -> Outcome {
        let p = state.featureCount
        var w = start
        let norms = state.norms
        let gapTol = tol * yy
        var (gap, dualNorm, xta) = Self.gap(state.gapTerms(), w: w, l1: l1, l2: l2)
        if gap <= gapTol { return Outcome(w: w, gap: gap, iterations: 0, converged: true) }
        let screening = l1 > 0
        var excluded = [Bool](repeating: false, count: p)
        var active = Array(0..<p)
        func screen(_ state: inout S) {
            guard screening else { return }
            var next: [Int] = []
            for j in 0..<p where !excluded[j] {
                if norms[j] == 0 {
                    if w[j] != 0 { state.move(j, by: -w[j]); w[j] = 0 }
                    excluded[j] = true
                    continue
                }
                let theta = xta[j] / max(l1, dualNorm)
                let d = (1 - abs(theta)) / (norms[j] + l2).squareRoot()
                if d <= (2 * gap).squareRoot() / l1 {
                    next.append(j)
                } else {
                    if w[j] != 0 { state.move(j, by: -w[j]); w[j] = 0 }
                    excluded[j] = true
                }
            }
            active = next
        }
        screen(&state)
        var iteration = 0
        while iteration < maxIter {
            try CancellationToken.check()
            var wMax = 0.0, dwMax = 0.0
            for j in active {
                if norms[j] == 0 { continue }
                let old = w[j]
                let tmp = state.correlation(j) + old * norms[j]
                let new = (tmp < 0 ? -1.0 : 1.0) * max(abs(tmp) - l1, 0) / (norms[j] + l2)
                w[j] = new
                if new != old { state.move(j, by: new - old) }
                dwMax = max(dwMax, abs(new - old))
                wMax = max(wMax, abs(new))
            }
            if wMax == 0 || dwMax / wMax <= tol || iteration == maxIter - 1 {
                (gap, dualNorm, xta) = Self.gap(state.gapTerms(), w: w, l1: l1, l2: l2)
                if gap <= gapTol { return Outcome(w: w, gap: gap, iterations: iteration + 1, converged: true) }
                screen(&state)
            }
            iteration += 1
        }
        return Outcome(w: w, gap: gap, iterations: maxIter, converged: false)
    }
}
