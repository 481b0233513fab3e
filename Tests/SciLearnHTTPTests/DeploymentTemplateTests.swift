import Foundation
import Testing
import Yams

/// `Docs/deploy/template.yaml` is closed as deployed (issue "Data where users keep it"): every
/// HTTP route but `GET /healthz` carries an authorizer (IAM by default, JWT by parameter), the
/// stage throttles every route, and no function-level HTTP event opens a route beside them.
/// The YAML is read as nodes, so CloudFormation's short-form tags (`!If`, `!Ref`) stay visible.
@Suite struct DeploymentTemplateTests {
    static let path = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Docs/deploy/template.yaml")

    static func resources() throws -> [(name: String, node: Node)] {
        let root = try #require(try Yams.compose(yaml: String(contentsOf: path, encoding: .utf8)))
        let resources = try #require(root["Resources"]?.mapping)
        return resources.map { ($0.key.string ?? "", $0.value) }
    }

    static func type(_ node: Node) -> String? { node["Type"]?.string }

    @Test func everyRouteButHealthNeedsTheAuthorizer() throws {
        let routes = try Self.resources().filter { Self.type($0.node) == "AWS::ApiGatewayV2::Route" }
        let keys = routes.compactMap { $0.node["Properties"]?["RouteKey"]?.string }
        #expect(Set(keys) == ["POST /v1/run", "POST /v1/jobs", "GET /healthz"], "the routes: \(keys)")
        for (name, route) in routes {
            let properties = try #require(route["Properties"])
            let key = properties["RouteKey"]?.string ?? ""
            let authorization = try #require(properties["AuthorizationType"], "\(name) has no AuthorizationType")
            if key == "GET /healthz" {
                #expect(authorization.string == "NONE")
                continue
            }
            // !If [UseJwt, JWT, AWS_IAM]: IAM unless the JWT parameter is chosen, never NONE.
            #expect(authorization.tag.description.hasSuffix("If"), "\(name): \(authorization)")
            let choices = try #require(authorization.sequence).map { $0.string }
            #expect(choices == ["UseJwt", "JWT", "AWS_IAM"], "\(name): \(choices)")
            #expect(properties["AuthorizerId"] != nil, "\(name) names no authorizer for the JWT choice")
        }
        let parameters = try #require(try Yams.compose(yaml: String(contentsOf: Self.path, encoding: .utf8))?["Parameters"])
        #expect(parameters["Authorizer"]?["Default"]?.string == "AWS_IAM")
    }

    @Test func theStageThrottlesEveryRoute() throws {
        let apis = try Self.resources().filter { Self.type($0.node) == "AWS::Serverless::HttpApi" }
        #expect(apis.count == 1)
        for (_, api) in apis {
            let settings = try #require(api["Properties"]?["DefaultRouteSettings"])
            #expect(settings["ThrottlingBurstLimit"]?.string == "ThrottlingBurstLimit")
            #expect(settings["ThrottlingRateLimit"]?.string == "ThrottlingRateLimit")
        }
    }

    /// The function's S3 permissions: `s3:GetObject` on the data prefix and `s3:PutObject` on
    /// the output prefix, each named by the parameters, and no other S3 action or resource.
    @Test func s3PermissionsNameOnlyTheParametersBucketsAndPrefixes() throws {
        var seen: [String: String] = [:]
        func visit(_ node: Node) {
            if node.mapping != nil, let action = node["Action"]?.string, action.hasPrefix("s3:") {
                seen[action] = node["Resource"]?.string ?? "?"
            }
            if let mapping = node.mapping { for (_, child) in mapping { visit(child) } }
            if let sequence = node.sequence { for child in sequence { visit(child) } }
        }
        for (_, resource) in try Self.resources() where Self.type(resource) == "AWS::Serverless::Function" { visit(resource) }
        #expect(seen == ["s3:GetObject": "arn:${AWS::Partition}:s3:::${DataBucket}/${DataPrefix}*",
                         "s3:PutObject": "arn:${AWS::Partition}:s3:::${OutputBucket}/${OutputPrefix}*"], "\(seen)")
        let text = try String(contentsOf: Self.path, encoding: .utf8)
        #expect(!text.contains("s3:*") && !text.contains("S3ReadPolicy") && !text.contains("S3CrudPolicy"))
    }

    /// A SAM `HttpApi` event on the function would add a route SAM creates without the
    /// authorizer above; the function's HTTP routes are the explicit ones.
    @Test func noFunctionEventOpensARoute() throws {
        for (name, resource) in try Self.resources() where Self.type(resource) == "AWS::Serverless::Function" {
            for (_, event) in resource["Properties"]?["Events"]?.mapping ?? [:] {
                let kind = event["Type"]?.string ?? ""
                #expect(!["HttpApi", "Api"].contains(kind), "\(name) has an \(kind) event")
            }
        }
    }
}
