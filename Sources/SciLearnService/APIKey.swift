/// The API-key rule every transport applies when the operator configures a key (`--api-key`,
/// `SCILEARN_API_KEY`): a request must carry `Authorization: Bearer <key>`. One rule for the
/// HTTP server and the Lambda adapter's API Gateway path, so that both refuse the same requests
/// with the same messages.
///
/// The comparison takes time that depends only on the lengths involved, never on where the
/// first differing byte is.
public struct APIKey: Sendable {
    let bytes: [UInt8]

    /// The key, or nil when `key` is nil or empty (no key configured).
    public init?(_ key: String?) {
        guard let key, !key.isEmpty else { return nil }
        bytes = Array(key.utf8)
    }

    /// The `WWW-Authenticate` value a refusal carries.
    public static let challenge = #"Bearer realm="scilearn""#

    /// nil when `authorization` (the request's `Authorization` header, nil when absent) carries
    /// this key; otherwise why it does not, for the `unauthorized` (401) answer.
    public func refusal(authorization: String?) -> String? {
        guard let header = authorization else {
            return "missing Authorization header; send 'Authorization: Bearer <api key>'"
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            return "Authorization must use the Bearer scheme: 'Authorization: Bearer <api key>'"
        }
        let token = Array(parts[1].trimmingPrefix(" ").utf8)
        return Self.constantTimeEqual(token, bytes) ? nil : "invalid API key"
    }

    /// Equality of two byte strings in time proportional to the longer one, without an early exit.
    @inline(never)
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var diff: UInt8 = a.count == b.count ? 0 : 1
        for i in 0..<max(a.count, b.count) {
            let x = i < a.count ? a[i] : 0
            let y = i < b.count ? b[i] : 0
            diff |= x ^ y
        }
        return diff == 0
    }
}
