/// The engine's loop over consecutive blocks of a range with a cancellation check before each
/// block: the shape every long loop of bounded pieces takes.
enum CancellableBlocks {
    /// Calls `body` with `0..<step`, `step..<2·step`, ... covering `0..<count`, after checking
    /// the current ``CancellationToken`` each time.
    static func forEach(count: Int, step: Int, _ body: (Range<Int>) throws(SciLearnError) -> Void) throws(SciLearnError) {
        precondition(step >= 1, "block step must be >= 1")
        var start = 0
        while start < count {
            try CancellationToken.check()
            let end = min(count, start + step)
            try body(start..<end)
            start = end
        }
    }
}
