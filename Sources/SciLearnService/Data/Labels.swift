/// Class labels as given: numbers or strings.
enum Labels: Sendable, Equatable {
    case numbers([Double])
    case strings([String])

    var count: Int {
        switch self {
        case .numbers(let v): v.count
        case .strings(let v): v.count
        }
    }
}
