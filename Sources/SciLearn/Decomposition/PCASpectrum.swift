/// What a PCA solver computes before the common steps (the choice of k, the sign rule, the
/// variance ratios and the noise variance): explained variances in descending order and their
/// directions.
struct PCASpectrum {
    /// Explained variance (ddof 1) of each computed direction, descending.
    var explainedVariance: [Double]
    /// Singular values of the centred data, one per direction.
    var singularValues: [Double]
    /// The directions, one per row (r × p, column-major with leading dimension r).
    var directions: Matrix
    /// The total variance of the data (the sum of its columns' variances, ddof 1).
    var totalVariance: Double
    /// How many variances the noise variance averages over when every one was computed:
    /// min(n, p) for the SVD solvers, p for the covariance solver (scikit-learn's
    /// `explained_variance_[k:]`).
    var spectrumLength: Int

    /// Whether every variance of ``spectrumLength`` was computed (a variance fraction needs them all).
    var isComplete: Bool { explainedVariance.count >= spectrumLength }
}
