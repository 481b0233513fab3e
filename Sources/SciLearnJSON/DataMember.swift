/// A request's `data` member as parsed: an object (the usual case), or some other value, kept
/// so that the error can say what it was. An absent member is nil.
package enum DataMember: Sendable {
    case object(RequestData)
    case other(JSONValue)
}
