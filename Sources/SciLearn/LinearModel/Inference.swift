#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The statsmodels `RegressionResults` quantities of a least-squares fit: per-term standard
/// errors, t values, p values and confidence intervals, and the whole-model statistics.
///
/// Formulas exactly as statsmodels 0.14+: `scale = ssr/df_resid`, `bse = √(scale·diag(XᵀX)⁻¹)`,
/// two-sided p values from Student t with `df_resid`, intervals `params ± t_{1−α/2}·bse`,
/// `llf = −n/2·(ln 2π + ln(ssr/n) + 1)`, `aic = −2 llf + 2(df_model + k_constant)`,
/// `bic = −2 llf + ln(n)(df_model + k_constant)`. A quantity that is undefined (df_resid = 0,
/// a perfect fit, constant y) is nil, with a warning saying why.
public struct Inference: Sendable, Codable, Hashable {
    /// A confidence interval of one coefficient.
    public struct Interval: Sendable, Codable, Hashable {
        /// Lower end: coefficient − t₁₋α/₂ · standard error.
        public var lower: Double
        /// Upper end: coefficient + t₁₋α/₂ · standard error.
        public var upper: Double
    }

    /// Per term (intercept first when fitted): √(scale · diag(XᵀX)⁻¹), statsmodels `bse`.
    public var standardErrors: [Double?]
    /// Per term: coefficient / standard error (statsmodels `tvalues`).
    public var tValues: [Double?]
    /// Per term: two-sided p values from Student t with `df_resid` (statsmodels `pvalues`).
    public var pValues: [Double?]
    /// Per term: the 1 − α confidence interval (statsmodels `conf_int(alpha)`).
    public var confidenceIntervals: [Interval?]
    /// R²: centred with a constant, uncentred without (statsmodels `rsquared`).
    public var rSquared: Double?
    /// R² adjusted for the degrees of freedom (statsmodels `rsquared_adj`).
    public var adjustedRSquared: Double?
    /// The F statistic of the model against the constant-only (or empty) model (`fvalue`).
    public var fStatistic: Double?
    /// Its p value from Fisher F(`df_model`, `df_resid`) (`f_pvalue`).
    public var fPValue: Double?
    /// rank − k_constant.
    public var dfModel: Double
    /// n − rank.
    public var dfResid: Double
    /// Residual standard error √(ssr/df_resid).
    public var sigma: Double?
    /// Gaussian log-likelihood −n/2·(ln 2π + ln(SSR/n) + 1) (statsmodels `llf`).
    public var logLikelihood: Double?
    /// Akaike information criterion −2·llf + 2·(df_model + k_constant).
    public var aic: Double?
    /// Bayesian information criterion −2·llf + ln(n)·(df_model + k_constant).
    public var bic: Double?
    /// Residual sum of squares.
    public var ssr: Double

    /// The statistics rescaling pushed beyond the range of a double (reported as nil), by wire name.
    var overflowed: [String] = []

    /// The statistics of the same fit with term j's coefficient multiplied by `termFactors[j]`
    /// and y by `1/yFactor` (undoing an exact rescaling): standard errors and intervals scale,
    /// t, p, R² and F do not, `ssr` scales by 1/yFactor², the log-likelihood shifts by n·ln yFactor.
    func rescaled(termFactors f: [Double], yFactor: Double, n: Int) -> Inference {
        var out = self
        func keep(_ v: Double?, _ field: String) -> Double? {
            guard let v else { return nil }
            if v.isFinite { return v }
            if !out.overflowed.contains(field) { out.overflowed.append(field) }
            return nil
        }
        out.standardErrors = zip(standardErrors, f).map { se, k in keep(se.map { $0 * k }, "std_errors") }
        out.confidenceIntervals = zip(confidenceIntervals, f).map { ci, k in
            guard let ci, let lo = keep(ci.lower * k, "conf_int"), let hi = keep(ci.upper * k, "conf_int") else { return nil }
            return Interval(lower: lo, upper: hi)
        }
        out.ssr = ssr / (yFactor * yFactor)
        out.sigma = keep(sigma.map { $0 / abs(yFactor) }, "sigma")
        let shift = Double(n) * log(abs(yFactor))
        out.logLikelihood = keep(logLikelihood.map { $0 + shift }, "log_likelihood")
        out.aic = keep(aic.map { $0 - 2 * shift }, "aic")
        out.bic = keep(bic.map { $0 - 2 * shift }, "bic")
        return out
    }

    init(params: [Double], normalizedVariances variances: [Double], ssr: Double, tss: Double, n: Int, rank: Int,
         hasConstant: Bool, alpha: Double, warnings: inout [String]) {
        let q = params.count
        let kConstant = hasConstant ? 1.0 : 0.0
        dfResid = Double(n - rank)
        dfModel = Double(rank) - kConstant
        self.ssr = ssr
        let nd = Double(n)

        var scale: Double? = nil
        if dfResid > 0 {
            scale = ssr / dfResid
            sigma = scale!.squareRoot()
        } else {
            warnings.append("std_errors, t_values, p_values, conf_int, sigma, adj_r_squared, f_statistic, f_p_value: undefined (null): df_resid is 0 (as many terms as samples)")
        }
        standardErrors = []; tValues = []; pValues = []; confidenceIntervals = []
        let t = dfResid > 0 ? StudentT(df: dfResid) : nil
        let critical = t?.inverseSF(alpha / 2)
        var zeroError = false
        for k in 0..<q {
            guard let scale, let t, let critical else {
                standardErrors.append(nil); tValues.append(nil); pValues.append(nil); confidenceIntervals.append(nil)
                continue
            }
            let se = (scale * max(0, variances[k])).squareRoot()
            standardErrors.append(se)
            confidenceIntervals.append(Interval(lower: params[k] - critical * se, upper: params[k] + critical * se))
            if se > 0 && se.isFinite {
                let tv = params[k] / se
                tValues.append(tv)
                pValues.append(t.twoSidedPValue(tv))
            } else {
                zeroError = true
                tValues.append(nil); pValues.append(nil)
            }
        }
        if zeroError {
            warnings.append("t_values, p_values: undefined (null) where the standard error is 0 or overflows (a perfect fit, an unidentified term, or values beyond the range of a double)")
        }

        if tss > 0 {
            rSquared = 1 - ssr / tss
            if dfResid > 0 { adjustedRSquared = 1 - (nd - kConstant) / dfResid * (1 - rSquared!) }
        } else {
            warnings.append("r_squared, adj_r_squared: undefined (null): y has zero \(hasConstant ? "variance" : "sum of squares")")
        }
        if dfModel > 0, dfResid > 0, ssr > 0 {
            let ess = tss - ssr
            let f = (ess / dfModel) / (ssr / dfResid)
            fStatistic = f
            fPValue = FisherF(dfn: dfModel, dfd: dfResid).sf(f)
        } else if dfModel <= 0 {
            warnings.append("f_statistic, f_p_value: undefined (null): df_model is 0 (no terms besides the constant)")
        } else if dfResid > 0 {
            warnings.append("f_statistic, f_p_value: undefined (null): the residual sum of squares is 0 (a perfect fit)")
        }
        if ssr > 0 {
            let llf = -nd / 2 * (log(2 * Double.pi) + log(ssr / nd) + 1)
            logLikelihood = llf
            let k = dfModel + kConstant
            aic = -2 * llf + 2 * k
            bic = -2 * llf + log(nd) * k
        } else {
            warnings.append("log_likelihood, aic, bic: undefined (null): the residual sum of squares is 0")
        }
    }
}
