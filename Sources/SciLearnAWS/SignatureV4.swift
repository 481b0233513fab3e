import Crypto
import Foundation

/// AWS Signature Version 4 for one request (the AWS IAM guide's "Create a signed AWS API
/// request"): canonical request → string to sign → derived signing key → signature, returned as
/// the headers to add (`X-Amz-Date`, `X-Amz-Security-Token` with temporary credentials,
/// `Authorization`).
///
/// Every header given is signed (names lower-cased, values trimmed with inner runs of spaces
/// collapsed, sorted by name), and `host` must be among them. Tested against AWS's "get-vanilla"
/// vector and an SQS JSON `ReceiveMessage` vector (`SignatureV4Tests`).
public struct SignatureV4: Sendable {
    /// The credentials requests are signed with.
    public let credentials: AWSCredentials
    /// The region of the credential scope.
    public let region: String
    /// The service of the credential scope (`sqs`, `s3`).
    public let service: String

    /// A signer for `service` in `region` with `credentials`.
    public init(credentials: AWSCredentials, region: String, service: String) {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// The headers that sign a request of `method` to `path` (with `query`, already in the
    /// form `a=1&b=2`, unencoded) whose other headers are `headers`, at `date`.
    public func sign(method: String, path: String, query: [(String, String)] = [], headers: [(name: String, value: String)],
                     body: [UInt8], date: Date) -> [(name: String, value: String)] {
        let amzDate = Self.timestamp(date)
        let day = String(amzDate.prefix(8))
        var all = headers + [("x-amz-date", amzDate)]
        if let token = credentials.sessionToken { all.append(("x-amz-security-token", token)) }
        let canonical = Self.canonicalRequest(method: method, path: path, query: query, headers: all, payloadHash: Self.hex(SHA256.hash(data: body)))
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let toSign = "AWS4-HMAC-SHA256\n\(amzDate)\n\(scope)\n\(Self.hex(SHA256.hash(data: Array(canonical.request.utf8))))"
        let key = Self.signingKey(secret: credentials.secretAccessKey, day: day, region: region, service: service)
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Array(toSign.utf8), using: SymmetricKey(data: key)))
        var out: [(name: String, value: String)] = [("X-Amz-Date", amzDate)]
        if let token = credentials.sessionToken { out.append(("X-Amz-Security-Token", token)) }
        out.append(("Authorization", "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), SignedHeaders=\(canonical.signedHeaders), Signature=\(signature)"))
        return out
    }

    /// The canonical request and its signed-header list.
    static func canonicalRequest(method: String, path: String, query: [(String, String)], headers: [(name: String, value: String)],
                                 payloadHash: String) -> (request: String, signedHeaders: String) {
        let uri = path.isEmpty ? "/" : path.split(separator: "/", omittingEmptySubsequences: false).map { uriEncode(String($0)) }.joined(separator: "/")
        let encoded: [(String, String)] = query.map { (uriEncode($0.0), uriEncode($0.1)) }
        let sorted = encoded.sorted { (a: (String, String), b: (String, String)) -> Bool in a.0 == b.0 ? a.1 < b.1 : a.0 < b.0 }
        let canonicalQuery = sorted.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        var byName: [String: [String]] = [:]
        for (name, value) in headers {
            let trimmed = value.trimmingCharacters(in: .whitespaces).split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            byName[name.lowercased(), default: []].append(trimmed)
        }
        let names = byName.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(byName[$0]!.joined(separator: ","))\n" }.joined()
        let signed = names.joined(separator: ";")
        return ("\(method)\n\(uri)\n\(canonicalQuery)\n\(canonicalHeaders)\n\(signed)\n\(payloadHash)", signed)
    }

    /// HMAC(HMAC(HMAC(HMAC("AWS4" + secret, day), region), service), "aws4_request").
    static func signingKey(secret: String, day: String, region: String, service: String) -> [UInt8] {
        var key = Array(("AWS4" + secret).utf8)
        for part in [day, region, service, "aws4_request"] {
            key = Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: SymmetricKey(data: key)))
        }
        return key
    }

    /// RFC 3986 unreserved characters kept, everything else percent-encoded (upper-case hex).
    public static func uriEncode(_ s: String) -> String {
        var out = ""
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(Character(UnicodeScalar(byte)))
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC.
    static func timestamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// SHA-256 of `bytes`.
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }

    public static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
