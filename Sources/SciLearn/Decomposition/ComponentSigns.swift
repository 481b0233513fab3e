/// The contract's sign rule, applied by every PCA solver in this one place: in each component
/// the entry of largest magnitude (the first of equal ones) is made positive, scikit-learn's
/// `svd_flip(u_based_decision=False)`. A component and its negation span the same direction;
/// the rule makes the choice independent of the solver.
enum ComponentSigns {
    /// Flips the rows of `components` (k × p) in place so that each row's entry of largest
    /// magnitude is positive.
    static func apply(to components: inout Matrix) {
        for c in 0..<components.rows {
            var best = 0, largest = -1.0
            for j in 0..<components.columns {
                let a = abs(components[c, j])
                if a > largest { largest = a; best = j }
            }
            if components[c, best] < 0 {
                for j in 0..<components.columns { components[c, j] = -components[c, j] }
            }
        }
    }
}
