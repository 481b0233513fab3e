import SciLearn

/// A classifier's `classes` on the wire: all numbers or all strings, written by a fit's result
/// and read back by `predict`.
struct WireClasses: Codable {
    let labels: ClassLabels

    init(labels: ClassLabels) { self.labels = labels }

    init(from decoder: any Decoder) throws {
        if let strings = try? [String](from: decoder) {
            labels = .strings(strings)
        } else {
            labels = .numbers(try [Double](from: decoder))
        }
    }

    func encode(to encoder: any Encoder) throws {
        switch labels {
        case .numbers(let v): try v.encode(to: encoder)
        case .strings(let v): try v.encode(to: encoder)
        }
    }
}
