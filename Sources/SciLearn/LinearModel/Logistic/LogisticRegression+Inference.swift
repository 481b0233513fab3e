#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension LogisticRegression {
    /// statsmodels `Logit` inference for a two-class fit without penalty: per-term standard
    /// errors from the inverse Hessian (the observed information), Wald z statistics and
    /// two-sided normal p-values, 95% confidence intervals, the log-likelihood and McFadden's
    /// pseudo R² against the intercept-only model.
    ///
    /// Terms are listed as statsmodels lists them: the intercept first (when fitted), then the
    /// columns of X. Undefined quantities are nil with a warning: all of them when the Hessian is
    /// singular (collinear X) or class weights were used (statsmodels' likelihood has none).
    public struct Inference: Sendable, Codable, Hashable {
        /// √diag(H⁻¹) per term (statsmodels `bse`).
        public var standardErrors: [Double?]
        /// coefficient / standard error (statsmodels `tvalues`, Wald z).
        public var zValues: [Double?]
        /// Two-sided normal p-values of the z statistics (statsmodels `pvalues`).
        public var pValues: [Double?]
        /// (lower, upper) at the 95% level.
        public var confidenceIntervals: [[Double?]]
        /// Σᵢ log P(yᵢ) at the estimate.
        public var logLikelihood: Double
        /// The intercept-only model's log-likelihood (statsmodels `llnull`).
        public var nullLogLikelihood: Double
        /// 1 − llf/llnull (statsmodels `prsquared`).
        public var pseudoRSquared: Double?

        init(theta: [Double], hessian: [Double], singular: Bool, labels: [Int], logLikelihood: Double,
             fitIntercept: Bool, weighted: Bool, warnings: inout [String]) {
            let q = theta.count, n = labels.count
            let positive = Double(labels.reduce(0, +)) / Double(n)
            nullLogLikelihood = Double(n) * ((positive > 0 ? positive * log(positive) : 0) + (positive < 1 ? (1 - positive) * log(1 - positive) : 0))
            self.logLikelihood = logLikelihood
            pseudoRSquared = nullLogLikelihood != 0 ? 1 - logLikelihood / nullLogLikelihood : nil
            if pseudoRSquared == nil { warnings.append("pseudo_r_squared is undefined: the null model's log-likelihood is 0") }
            // statsmodels' order: intercept first.
            let order = fitIntercept ? [q - 1] + Array(0..<(q - 1)) : Array(0..<q)
            var se = [Double?](repeating: nil, count: q)
            if weighted {
                warnings.append("std_errors, z_values, p_values and conf_int are not reported with class_weight: statsmodels Logit's likelihood is unweighted")
            } else if singular {
                warnings.append("std_errors, z_values, p_values and conf_int are undefined: the Hessian is singular (X is collinear)")
            } else {
                var inverse = hessian
                var info: Double? = nil
                do {
                    info = try inverse.withUnsafeMutableBufferPointer { (ap) throws(SciLearnError) in
                        try LAPACK.choleskyUpper(n: q, a: ap.baseAddress!, lda: q)
                    }
                } catch {}
                if info != nil {
                    // diag(H⁻¹) = squared row norms of R⁻¹ (H = RᵀR).
                    do {
                        try inverse.withUnsafeMutableBufferPointer { (ap) throws(SciLearnError) in
                            try LAPACK.trtriUpperBlocked(n: q, a: ap.baseAddress!, lda: q)
                        }
                        for i in 0..<q {
                            var s = 0.0
                            for k in i..<q { s += inverse[i + k * q] * inverse[i + k * q] }
                            se[i] = s.squareRoot()
                        }
                    } catch {}
                } else {
                    warnings.append("std_errors, z_values, p_values and conf_int are undefined: the Hessian is not positive definite")
                }
            }
            let critical = StandardNormal.upperQuantile(0.025)
            standardErrors = order.map { se[$0] }
            zValues = order.map { i in se[i].map { theta[i] / $0 } }
            pValues = zValues.map { $0.map(StandardNormal.twoSidedPValue) }
            confidenceIntervals = order.map { i in se[i].map { [theta[i] - critical * $0, theta[i] + critical * $0] } ?? [nil, nil] }
        }
    }
}
