import Foundation

/// AWS credentials and region, as the AWS SDKs read them from the environment:
/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, optional `AWS_SESSION_TOKEN` (temporary
/// credentials, as a Lambda function receives them) and `AWS_REGION` (or `AWS_DEFAULT_REGION`).
public struct AWSCredentials: Sendable, Equatable {
    /// The access key id (`AWS_ACCESS_KEY_ID`).
    public var accessKeyID: String
    /// The secret access key (`AWS_SECRET_ACCESS_KEY`).
    public var secretAccessKey: String
    /// The session token of temporary credentials (`AWS_SESSION_TOKEN`); nil for long-term keys.
    public var sessionToken: String?

    /// Credentials from their parts.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }

    /// Why credentials or a region could not be read from the environment.
    public struct Missing: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    /// The credentials in `environment`; `user` names who signs (`the SQS backend`) in the message.
    /// - Throws: ``Missing`` naming the missing variable.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment,
                                       user: String = "the SQS backend") throws(Missing) -> AWSCredentials {
        guard let key = environment["AWS_ACCESS_KEY_ID"], !key.isEmpty else {
            throw Missing(description: "AWS_ACCESS_KEY_ID is not set: \(user) signs every request (AWS Signature V4); set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary credentials)")
        }
        guard let secret = environment["AWS_SECRET_ACCESS_KEY"], !secret.isEmpty else {
            throw Missing(description: "AWS_SECRET_ACCESS_KEY is not set: \(user) signs every request (AWS Signature V4)")
        }
        let token = environment["AWS_SESSION_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: token)
    }

    /// The region: `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the one in a
    /// `SERVICE.REGION.amazonaws.com` host of `service` (`sqs`, `s3`), else nil.
    public static func region(_ environment: [String: String] = ProcessInfo.processInfo.environment, host: String?, service: String = "sqs") -> String? {
        if let r = environment["AWS_REGION"], !r.isEmpty { return r }
        if let r = environment["AWS_DEFAULT_REGION"], !r.isEmpty { return r }
        if let host {
            let parts = host.split(separator: ".")
            if parts.count >= 4, parts[0] == service, parts[parts.count - 2] == "amazonaws" { return String(parts[1]) }
        }
        return nil
    }
}
