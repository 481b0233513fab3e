import Foundation
import Testing
@testable import SciLearnQueueSQS
@testable import SciLearnAWS
import SciLearnTestSupport

/// AWS Signature V4 against the known-answer vectors of ../shared/data/sigv4-vectors.md (read
/// from that file, not retyped): AWS's "get-vanilla" case and an SQS JSON `ReceiveMessage`,
/// every intermediate value of the second checked. The local SQS server does not check
/// signatures, so these are the signature's test.
@Suite struct SignatureV4Tests {
    static let vectors: String = {
        let url = Fixtures.directory.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("shared/data/sigv4-vectors.md")
        return (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }()

    /// The backquoted value after `label` in the section that starts with `section`.
    static func value(_ label: String, in section: String) throws -> String {
        let part = try #require(vectors.components(separatedBy: section).dropFirst().first, "section \(section) in sigv4-vectors.md")
        let after = try #require(part.components(separatedBy: label).dropFirst().first, "\(label) in \(section)")
        return try #require(after.components(separatedBy: "`").dropFirst().first)
    }

    static func date(_ amz: String) -> Date {
        var c = DateComponents()
        c.year = Int(amz.prefix(4)); c.month = Int(amz.dropFirst(4).prefix(2)); c.day = Int(amz.dropFirst(6).prefix(2))
        c.hour = Int(amz.dropFirst(9).prefix(2)); c.minute = Int(amz.dropFirst(11).prefix(2)); c.second = Int(amz.dropFirst(13).prefix(2))
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        return cal.date(from: c)!
    }

    static let credentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")

    @Test func getVanilla() throws {
        let expected = try Self.value("Signature:", in: "## 1.")
        let signer = SignatureV4(credentials: Self.credentials, region: "us-east-1", service: "service")
        let headers = signer.sign(method: "GET", path: "/", headers: [("Host", "example.amazonaws.com")], body: [],
                                  date: Self.date("20150830T123600Z"))
        let auth = try #require(headers.first { $0.name == "Authorization" }?.value)
        #expect(auth == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=\(expected)")
        #expect(headers.first { $0.name == "X-Amz-Date" }?.value == "20150830T123600Z")
    }

    @Test func sqsReceiveMessage() throws {
        let section = "## 2."
        let body = Array(try Self.value("body (exact bytes):", in: section).utf8)
        let signer = SignatureV4(credentials: Self.credentials, region: "us-east-1", service: "sqs")
        let given: [(name: String, value: String)] = [("Host", "sqs.us-east-1.amazonaws.com"),
                                                      ("Content-Type", "application/x-amz-json-1.0"),
                                                      ("X-Amz-Target", "AmazonSQS.ReceiveMessage")]
        let payloadHash = SignatureV4.hex(SignatureV4.sha256(body))
        #expect(payloadHash == (try Self.value("payload hash", in: section)))
        let canonical = SignatureV4.canonicalRequest(method: "POST", path: "/", query: [], headers: given + [("x-amz-date", "20261122T120000Z")],
                                                     payloadHash: payloadHash)
        #expect(canonical.signedHeaders == (try Self.value("signed headers", in: section)))
        #expect(SignatureV4.hex(SignatureV4.sha256(Array(canonical.request.utf8))) == (try Self.value("hash of the canonical request", in: section)))
        #expect(SignatureV4.hex(SignatureV4.signingKey(secret: Self.credentials.secretAccessKey, day: "20261122", region: "us-east-1", service: "sqs"))
                == (try Self.value("signing key", in: section)))
        let headers = signer.sign(method: "POST", path: "/", headers: given, body: body, date: Self.date("20261122T120000Z"))
        let auth = try #require(headers.first { $0.name == "Authorization" }?.value)
        #expect(auth.hasSuffix("Signature=" + (try Self.value("- signature", in: section))))
    }

    @Test func temporaryCredentialsSignTheSessionToken() {
        let signer = SignatureV4(credentials: AWSCredentials(accessKeyID: "AKID", secretAccessKey: "secret", sessionToken: "token/+="),
                                 region: "eu-west-1", service: "sqs")
        let headers = signer.sign(method: "POST", path: "/", headers: [("Host", "sqs.eu-west-1.amazonaws.com")], body: [], date: Date(timeIntervalSince1970: 0))
        #expect(headers.contains { $0.name == "X-Amz-Security-Token" && $0.value == "token/+=" })
        #expect(headers.first { $0.name == "Authorization" }?.value.contains("SignedHeaders=host;x-amz-date;x-amz-security-token") == true)
    }

    @Test func uriEncodingAndQueryOrder() {
        #expect(SignatureV4.uriEncode("a b/c~d") == "a%20b%2Fc~d")
        let c = SignatureV4.canonicalRequest(method: "GET", path: "/a b", query: [("b", "2"), ("a", "x y"), ("a", "1")],
                                             headers: [("Host", "h"), ("X-A", "  v   w ")], payloadHash: "e3")
        #expect(c.request == "GET\n/a%20b\na=1&a=x%20y&b=2\nhost:h\nx-a:v w\n\nhost;x-a\ne3")
    }
}
