import SciLearn

/// A result's warnings under construction, and the one way a value the engine could not keep
/// within the range of a double becomes a null: ``withinRange(_:_:)`` returns nil for it and records
/// the field, so that the warning (``SciLearn/UndefinedValue/beyondRange(_:)``) names it. A field
/// the engine's own warnings already name is not named twice.
struct ResultWarnings {
    private(set) var messages: [String]
    private var beyondRange: [String] = []

    init(_ messages: [String]) { self.messages = messages }

    /// `v`, or nil (recorded under `field`) when it is not finite.
    mutating func withinRange(_ v: Double, _ field: String) -> Double? {
        if v.isFinite { return v }
        note(field)
        return nil
    }

    /// Each element of `v`, nil (recorded under `field`) where it is not finite.
    mutating func withinRange(_ v: [Double], _ field: String) -> [Double?] {
        if v.allSatisfy(\.isFinite) { return v }
        note(field)
        return v.map { $0.isFinite ? $0 : nil }
    }

    /// Each element of each row, nil (recorded under `field`) where it is not finite.
    mutating func withinRange(_ rows: [[Double]], _ field: String) -> [[Double?]] {
        rows.map { withinRange($0, field) }
    }

    mutating func append(_ message: String) { messages.append(message) }

    private mutating func note(_ field: String) {
        guard !beyondRange.contains(field), !messages.contains(where: { TaskOutput.names($0, field) }) else { return }
        beyondRange.append(field)
    }

    /// The warnings, the beyond-range one last.
    var all: [String] { beyondRange.isEmpty ? messages : messages + [UndefinedValue.beyondRange(beyondRange)] }
}
