/// The formula-generated regression designs of `Tests/Fixtures/generate.py`
/// (`generated_design`): large cases whose data is not stored, rebuilt here bit for bit (every
/// operation is exact or correctly rounded, in the generator's order).
public enum GeneratedDesign {
    /// X as rows and y for a fixture's `"generated"` spec.
    public static func make(_ spec: [String: Any]) -> (x: [[Double]], y: [Double]) {
        let n = spec["rows"] as! Int, p = spec["columns"] as! Int
        let c = spec["coefficients"] as! [Double]
        var x = [[Double]](repeating: [Double](repeating: 0, count: p), count: n)
        var y = [Double](repeating: 1, count: n)
        for i in 0..<n {
            for j in 0..<p {
                x[i][j] = Double((i * (j + 3) * 7919 + j * 104_729) % 2003) / 100 - 10
                y[i] = y[i] + c[j] * x[i][j]
            }
            y[i] = y[i] + Double((i * 48271) % 1009) / 100
        }
        return (x, y)
    }
}
