import Foundation
import SciLearnData
import SciLearnService
import SciLearnTestSupport
import Testing

/// Data by reference (issue "Data where users keep it"), on files numpy and pandas wrote
/// (`Tests/Fixtures/data_files.py`): the same bits as inline data, and every bad reference
/// refused naming the field, with nothing read outside the roots.
@Suite(.ownThread(.computing)) struct DataReferenceTests {
    static let folder = Fixtures.directory.appendingPathComponent("data")
    /// The files' values, read by the service's own JSON parser (correctly rounded; Foundation's
    /// is not always, which would make "inline" differ from the file in the last bit).
    nonisolated(unsafe) static let values: [String: Any] = {
        func plain(_ v: JSONValue) -> Any {
            switch v {
            case .number(let x): return x
            case .string(let s): return s
            case .array(let a):
                if a.allSatisfy({ if case .number = $0 { true } else { false } }) { return a.map { plain($0) as! Double } }
                if a.allSatisfy({ if case .string = $0 { true } else { false } }) { return a.map { plain($0) as! String } }
                return a.map { plain($0) as! [Double] }
            case .object(let o): return Dictionary(uniqueKeysWithValues: o.entries.map { ($0.key, plain($0.value)) })
            default: return NSNull()
            }
        }
        let bytes = try! Data(contentsOf: folder.appendingPathComponent("values.json"))
        return plain(JSONValue.parse(Array(bytes))!) as! [String: Any]
    }()

    static func url(_ name: String) -> String { "file://" + folder.appendingPathComponent(name).path }

    static let service = SciLearnService(dataSource: try! DataReferenceSource(rootPaths: [folder.path]))

    /// The response of `body` without its timing, as an object.
    static func run(_ body: String, service: SciLearnService = service) throws -> [String: Any] {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(service.run(body: Array(body.utf8)).json.utf8)) as? [String: Any])
        object["elapsed_ms"] = nil
        return object
    }

    /// The response text of `body` without its timing: equal texts are equal bits.
    static func text(_ body: String, service: SciLearnService = service) -> String {
        let json = service.run(body: Array(body.utf8)).json
        guard let cut = json.range(of: #","elapsed_ms":"#) else { return json }
        return String(json[..<cut.lowerBound])
    }

    /// JSON text of numbers (each as Swift's shortest round-trip form, so the doubles are exact:
    /// Foundation's writer rounds to fewer digits), rows of them, or strings.
    static func json(_ value: Any) -> String {
        switch value {
        case let v as Double: return "\(v)"
        case let v as [Double]: return "[" + v.map { "\($0)" }.joined(separator: ",") + "]"
        case let v as [[Double]]: return "[" + v.map { json($0) }.joined(separator: ",") + "]"
        case let v as [String]: return String(decoding: try! JSONSerialization.data(withJSONObject: v), as: UTF8.self)
        default: fatalError("json(\(type(of: value)))")
        }
    }

    static let X = values["X"] as! [[Double]]
    static let y = values["y"] as! [Double]

    /// An OLS fit with inline data, for the same-bits comparisons.
    static func inlineOLS(_ X: [[Double]], _ y: [Double], names: [String]? = nil) -> String {
        var data = #""X":\#(json(X)),"y":\#(json(y))"#
        if let names { data += #","feature_names":\#(json(names))"# }
        return text(#"{"id":"fit","task":"linear_regression","data":{\#(data)}}"#)
    }

    @Test func npyReferencesGiveTheBitsOfInlineData() throws {
        let inline = Self.inlineOLS(Self.X, Self.y)
        #expect(inline.contains(#""status":"ok""#))
        for name in ["X.npy", "X_fortran.npy", "X_big_endian.npy", "X.npy.gz"] {
            let r = Self.text(#"{"id":"fit","task":"linear_regression","data":{"X":{"url":"\#(Self.url(name))"},"y":{"url":"\#(Self.url("y.npy"))"}}}"#)
            #expect(r == inline, "\(name): \(r)")
        }
        // float32 is widened exactly: the fit of the float32 values.
        let f4 = Self.inlineOLS(Self.values["X_f4"] as! [[Double]], Self.y)
        let r = Self.text(#"{"id":"fit","task":"linear_regression","data":{"X":{"url":"\#(Self.url("X_f4.npy"))"},"y":{"url":"\#(Self.url("y.npy"))"}}}"#)
        #expect(r == f4)
    }

    @Test func csvReferencesGiveTheBitsOfInlineDataAndNameTheFeatures() throws {
        let columns = Self.values["customers"] as! [String: [Double]]
        let names = ["spend", "treatment", "sessions, weekly"]
        let X = (0..<Self.y.count).map { i in names.map { columns[$0]![i] } }
        let inline = Self.inlineOLS(X, columns["revenue"]!, names: names)
        #expect(inline.contains(#""terms":["intercept","spend","treatment","sessions, weekly"]"#))
        for file in ["customers.csv", "customers_crlf.csv", "customers.csv.gz"] {
            let ref = #"{"url":"\#(Self.url(file))","columns":\#(Self.json(names))}"#
            let r = Self.text(#"{"id":"fit","task":"linear_regression","data":{"X":\#(ref),"y":{"url":"\#(Self.url(file))","column":"revenue"}}}"#)
            #expect(r == inline, "\(file): \(r)")
        }
        // numpy.savetxt's %.17g: every double read back exactly.
        let saved = Self.values["savetxt"] as! [[Double]]
        let savedX = (0..<saved[0].count).map { i in (0..<3).map { saved[$0][i] } }
        let r = Self.text(#"{"id":"fit","task":"linear_regression","data":{"X":{"url":"\#(Self.url("savetxt.csv"))","columns":["spend","treatment","sessions"]},"y":{"url":"\#(Self.url("savetxt.csv"))","column":"revenue"}}}"#)
        let expected = Self.inlineOLS(savedX, saved[3], names: ["spend", "treatment", "sessions"])
        #expect(r == expected)
    }

    /// Docs/examples/by-reference: each request, its URLs pointed at that folder, answers
    /// exactly what the inline example of the same name answers.
    @Test func theByReferenceExamplesAnswerAsTheInlineOnes() throws {
        let examples = Fixtures.directory.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Docs/examples")
        let folder = examples.appendingPathComponent("by-reference")
        let service = SciLearnService(dataSource: try DataReferenceSource(rootPaths: [folder.path]))
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(names == ["linear_regression.json", "ttest_ind.json"])
        for name in names {
            let request = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
                .replacingOccurrences(of: "/srv/scilearn-data", with: folder.path)
            let inline = try String(contentsOf: examples.appendingPathComponent(name), encoding: .utf8)
            let got = Self.text(request, service: service), want = Self.text(inline)
            #expect(got.contains(#""status":"ok""#), "\(name): \(got)")
            #expect(got == want, "\(name): \(got) vs \(want)")
        }
    }

    @Test func integerArraysAndVectorsOfOtherTasks() throws {
        // A t-test on integer arrays (int64 with negatives, uint16).
        let counts = Self.values["counts"] as! [Double], unsigned = Self.values["counts_u2"] as! [Double]
        let inline = Self.text(#"{"id":"t","task":"ttest_ind","data":{"a":\#(Self.json(counts)),"b":\#(Self.json(unsigned))}}"#)
        let r = Self.text(#"{"id":"t","task":"ttest_ind","data":{"a":{"url":"\#(Self.url("counts_i8.npy"))"},"b":{"url":"\#(Self.url("counts_u2.npy"))"}}}"#)
        #expect(inline.contains(#""status":"ok""#))
        #expect(r == inline)
    }

    struct Bad: CustomStringConvertible, Sendable {
        var data: String
        var code: String
        var mentions: [String]
        var description: String { data }
    }

    static let outside: String = {
        // A folder beside the root, with a file and a symbolic link into it from the root.
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("scilearn-data-\(getpid())")
        try? FileManager.default.createDirectory(at: base.appendingPathComponent("root"), withIntermediateDirectories: true)
        try? FileManager.default.createDirectory(at: base.appendingPathComponent("secret"), withIntermediateDirectories: true)
        try? "a\n1\n".write(to: base.appendingPathComponent("secret/s.csv"), atomically: true, encoding: .utf8)
        try? FileManager.default.createSymbolicLink(atPath: base.appendingPathComponent("root/link.csv").path, withDestinationPath: base.appendingPathComponent("secret/s.csv").path)
        try? FileManager.default.createSymbolicLink(atPath: base.appendingPathComponent("root/dir").path, withDestinationPath: base.appendingPathComponent("secret").path)
        try? "a\n1\n2\n".write(to: base.appendingPathComponent("root/ok.csv"), atomically: true, encoding: .utf8)
        return base.path
    }()

    static let bad: [Bad] = {
        let root = "file://" + outside + "/root"
        let d = "file://" + folder.path
        return [
            Bad(data: #""a":{"url":"\#(root)/../secret/s.csv","column":"a"}"#, code: "invalid_data", mentions: ["data.a.url", "not under an allowed data root"]),
            Bad(data: #""a":{"url":"\#(root)/%2e%2e/secret/s.csv","column":"a"}"#, code: "invalid_data", mentions: ["data.a.url", "not under an allowed data root"]),
            Bad(data: #""a":{"url":"\#(root)/..%2fsecret/s.csv","column":"a"}"#, code: "invalid_data", mentions: ["data.a.url", "percent-encoding"]),
            Bad(data: #""a":{"url":"file:///etc/passwd","format":"csv","column":"root"}"#, code: "invalid_data", mentions: ["data.a.url", "not under an allowed data root"]),
            Bad(data: #""a":{"url":"\#(root)/link.csv","column":"a"}"#, code: "invalid_data", mentions: ["data.a.url", "resolves outside"]),
            Bad(data: #""a":{"url":"\#(root)/dir/s.csv","column":"a"}"#, code: "invalid_data", mentions: ["data.a.url", "resolves outside"]),
            Bad(data: #""a":{"url":"http://example.com/a.csv","column":"a"}"#, code: "invalid_data", mentions: ["data.a.url", "\"http\" is not followed"]),
            Bad(data: #""a":{"url":"ftp://host/a.csv","column":"a"}"#, code: "invalid_data", mentions: ["data.a.url", "\"ftp\""]),
            Bad(data: #""a":{"url":"\#(root)/nothing.csv","column":"a"}"#, code: "invalid_data", mentions: ["data.a.url", "no such file"]),
            Bad(data: #""a":{"url":"file://host\#(outside)/root/ok.csv","column":"a"}"#, code: "invalid_data", mentions: ["data.a.url", "file:///ABSOLUTE/PATH"]),
            Bad(data: #""a":{"url":"\#(d)/ragged.csv","column":"a"}"#, code: "invalid_data", mentions: ["data.a.url", "row 1 (line 3) has 1 field", "header has 2"]),
            Bad(data: #""a":{"url":"\#(d)/missing.csv","column":"b"}"#, code: "invalid_data", mentions: ["data.a.url", "row 1 (line 3)", "column \"b\"", "NA", "missing value"]),
            Bad(data: #""a":{"url":"\#(d)/text.csv","column":"b"}"#, code: "invalid_data", mentions: ["data.a.url", "row 2 (line 4)", "column \"b\"", "\"six\", not a number"]),
            Bad(data: #""a":{"url":"\#(d)/customers.csv","column":"revenu"}"#, code: "invalid_data", mentions: ["data.a.column", "no column \"revenu\"", "did you mean 'revenue'"]),
            Bad(data: #""a":{"url":"\#(d)/customers.csv","column":"segment"}"#, code: "invalid_data", mentions: ["data.a.url", "column \"segment\"", "\"a\", not a number"]),
            Bad(data: #""a":{"url":"\#(d)/customers.csv","columns":["spend"]}"#, code: "invalid_data", mentions: ["data.a.columns", "a vector", "\"column\""]),
            Bad(data: #""a":{"url":"\#(d)/customers.csv"}"#, code: "invalid_data", mentions: ["data.a.column", "is required"]),
            Bad(data: #""X":{"url":"\#(d)/X_truncated.npy"}"#, code: "invalid_data", mentions: ["data.X.url", "(40, 3)", "the header does not describe the file"]),
            Bad(data: #""a":{"url":"\#(d)/X.npy"}"#, code: "invalid_data", mentions: ["data.a.url", "(40, 3)", "a is a vector"]),
            Bad(data: #""a":{"url":"\#(d)/cube.npy"}"#, code: "invalid_data", mentions: ["data.a.url", "3 dimensions"]),
            Bad(data: #""a":{"url":"\#(d)/flags.npy"}"#, code: "invalid_data", mentions: ["data.a.url", "booleans"]),
            Bad(data: #""a":{"url":"\#(d)/y.npy","column":"a"}"#, code: "invalid_data", mentions: ["data.a.column", "for CSV"]),
            Bad(data: #""a":{"url":"\#(d)/values.json"}"#, code: "invalid_data", mentions: ["data.a.format", "\"csv\" or \"npy\""]),
            Bad(data: #""a":{"url":"\#(d)/y.npy","format":"parquet"}"#, code: "invalid_data", mentions: ["data.a.format", "\"csv\" or \"npy\""]),
            Bad(data: #""a":{"url":"\#(d)/truncated.csv.gz","column":"spend"}"#, code: "invalid_data", mentions: ["data.a.url", "gzip stream ends early"]),
            Bad(data: #""a":{"url":"\#(d)/y.npy.gz"}"#, code: "invalid_data", mentions: ["data.a.url", "no such file"]),
            Bad(data: #""a":{"url":"\#(d)/y.npy","header":true}"#, code: "invalid_data", mentions: ["data.a.header", "unknown member"]),
            Bad(data: #""a":{"path":"\#(d)/y.npy"}"#, code: "invalid_data", mentions: ["data.a.path", "unknown member", "url"]),
            Bad(data: #""a":{"column":"a"}"#, code: "invalid_data", mentions: ["data.a", "a reference with a \"url\""]),
            Bad(data: #""X":{"url":"\#(d)/customers.csv","columns":"spend"}"#, code: "invalid_data", mentions: ["data.X.columns", "non-empty list", "got"]),
            Bad(data: #""a":{"url":5}"#, code: "invalid_data", mentions: ["data.a.url", "must be a string", "got 5"]),
            Bad(data: #""a":{"url":"\#(d)/customers.csv","column":7}"#, code: "invalid_data", mentions: ["data.a.column", "must be a column name", "got 7"]),
            Bad(data: #""a":{"url":"s3://campaign-data/y.npy"}"#, code: "invalid_data", mentions: ["data.a.url", "s3://"]),
        ]
    }()

    @Test("a bad reference gets invalid_data naming the field", arguments: bad)
    func badReference(_ b: Bad) throws {
        _ = Self.outside
        let service = SciLearnService(dataSource: try DataReferenceSource(rootPaths: [Self.outside + "/root", Self.folder.path]))
        let task = b.data.hasPrefix(#""X""#) ? "pca" : "ttest_1samp"
        let r = try Self.run(#"{"task":"\#(task)","data":{\#(b.data)}}"#, service: service)
        let error = r["error"] as? [String: Any]
        #expect(error?["code"] as? String == b.code, "\(r)")
        let message = error?["message"] as? String ?? ""
        for m in b.mentions { #expect(message.contains(m), "\(message) lacks \(m)") }
    }

    @Test func referencesAreRefusedWithoutASourceAndFieldsThatCannotBeReferenced() throws {
        var r = try Self.run(#"{"task":"ttest_1samp","data":{"a":{"url":"\#(Self.url("y.npy"))"}}}"#, service: SciLearnService())
        #expect((r["error"] as? [String: Any])?["code"] as? String == "invalid_data")
        #expect(((r["error"] as? [String: Any])?["message"] as? String)?.contains("data.a.url: data by reference is not enabled here") == true, "\(r)")
        r = try Self.run(#"{"task":"f_oneway","data":{"groups":{"url":"\#(Self.url("y.npy"))"}}}"#)
        #expect(((r["error"] as? [String: Any])?["message"] as? String)?.contains("data.groups: cannot be given by reference") == true, "\(r)")
    }

    @Test func theCellLimitRefusesACSVBeforeItIsAllRead() throws {
        let limited = SciLearnService(limits: ServiceLimits(maxCells: 100), dataSource: try DataReferenceSource(rootPaths: [Self.folder.path]))
        var r = try Self.run(#"{"task":"linear_regression","data":{"X":{"url":"\#(Self.url("customers.csv"))","columns":["spend","treatment","sessions, weekly"]},"y":{"url":"\#(Self.url("customers.csv"))","column":"revenue"}}}"#, service: limited)
        var error = r["error"] as? [String: Any]
        #expect(error?["code"] as? String == "too_large", "\(r)")
        #expect((error?["message"] as? String)?.contains("refused before the rest was read") == true, "\(r)")
        // A .npy's shape is checked before its values are read.
        r = try Self.run(#"{"task":"linear_regression","data":{"X":{"url":"\#(Self.url("X.npy"))"},"y":{"url":"\#(Self.url("y.npy"))"}}}"#, service: limited)
        error = r["error"] as? [String: Any]
        #expect(error?["code"] as? String == "too_large", "\(r)")
        #expect((error?["message"] as? String)?.contains("data.X") == true, "\(r)")
    }

    /// `output` to a folder: the full response as `<id>.json` (the bytes the response would have
    /// been), each array as `.npy` or CSV, and a response that points at them with only the
    /// result's scalars; bad locations refused before the job runs.
    @Test func resultsAreWrittenToAnAllowedFolder() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("scilearn-out-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let out = base.appendingPathComponent("results")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        let service = SciLearnService(dataSource: try DataReferenceSource(rootPaths: [Self.folder.path], outputRootPaths: [out.path]))
        let data = #""X":{"url":"\#(Self.url("X.npy"))"}"#
        let params = #""n_clusters":3,"random_state":0,"n_init":1"#
        let whole = Self.text(#"{"id":"seg-1","task":"kmeans","params":{\#(params)},"data":{\#(data)}}"#, service: service)
        #expect(whole.contains(#""labels":["#))
        for (arrays, fileExtension) in [("npy", "npy"), ("csv", "csv")] {
            let body = #"{"id":"seg-1","task":"kmeans","params":{\#(params)},"data":{\#(data)},"output":{"url":"file://\#(out.path)/","arrays":"\#(arrays)"}}"#
            let r = try Self.run(body, service: service)
            #expect(r["status"] as? String == "ok", "\(r)")
            let result = try #require(r["result"] as? [String: Any])
            #expect(result["labels"] == nil && result["cluster_centers"] == nil && result["inertia"] is Double, "\(result)")
            let output = try #require(r["output"] as? [String: Any])
            #expect(output["url"] as? String == "file://\(out.path)/seg-1.json")
            let written = try String(contentsOf: out.appendingPathComponent("seg-1.json"), encoding: .utf8)
            #expect(output["bytes"] as? Int == written.utf8.count)
            let cut = written.range(of: #","elapsed_ms":"#).map { String(written[..<$0.lowerBound]) } ?? written
            #expect(cut == whole)
            let labels = try #require((output["arrays"] as? [String: Any])?["labels"] as? [String: Any])
            #expect(labels["url"] as? String == "file://\(out.path)/seg-1.labels.\(fileExtension)")
            let file = try Data(contentsOf: out.appendingPathComponent("seg-1.labels.\(fileExtension)"))
            #expect(labels["bytes"] as? Int == file.count)
            // Read back by this package's own reader (numpy's format: checked against numpy in
            // S3ReferenceTests), the labels are the response's.
            let reader = SciLearnService(dataSource: try DataReferenceSource(rootPaths: [out.path]))
            let back = Self.text(#"{"id":"d","task":"describe","data":{"a":{"url":"file://\#(out.path)/seg-1.labels.\#(fileExtension)"\#(arrays == "csv" ? #","column":"labels""# : "")}}}"#, service: reader)
            #expect(back.contains(#""nobs":40"#), "\(back)")
        }
        let bad: [(String, String)] = [
            (#""output":{"url":"file:///tmp/"}"#, "not under an allowed output root"),
            // A data root is not an output root: a request cannot overwrite the data it reads.
            (#""output":{"url":"file://\#(Self.folder.path)/"}"#, "not under an allowed output root"),
            (#""output":{"url":"file://\#(out.path)"}"#, "must end in '/'"),
            (#""output":{"url":"file://\#(out.path)/missing/"}"#, "no such file"),
            (#""output":{"url":"http://example.com/"}"#, "\"http\" is not followed"),
            (#""output":{"url":"file://\#(out.path)/","arrays":"parquet"}"#, "output.arrays"),
            (#""output":{"url":"file://\#(out.path)/","format":"npy"}"#, "output.format: unknown member"),
            (#""output":"file:///tmp/""#, "output: must be an object"),
            (#""output":{"url":5}"#, "output.url: must be a string"),
        ]
        for (output, mention) in bad {
            let r = try Self.run(#"{"id":"x","task":"kmeans","params":{\#(params)},"data":{\#(data)},\#(output)}"#, service: service)
            let error = r["error"] as? [String: Any]
            #expect(error?["code"] as? String == "invalid_params", "\(output): \(r)")
            #expect((error?["message"] as? String)?.contains(mention) == true, "\(output): \(error?["message"] ?? "")")
        }
        // No data source: output is refused, naming it.
        let r = try Self.run(#"{"task":"ttest_1samp","data":{"a":[1,2,3]},"output":{"url":"file:///tmp/"}}"#, service: SciLearnService())
        #expect(((r["error"] as? [String: Any])?["message"] as? String)?.hasPrefix("output.url: results by reference are not enabled here") == true, "\(r)")
    }

    /// The second read's findings: a root that is a symbolic link is usable by its configured
    /// path; a named pipe is refused, not waited on; a quote inside an unquoted field is text; a
    /// byte-order mark before a quoted header name; a header past 100,000 columns; a name twice.
    @Test func reviewedEdges() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("scilearn-edges-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        let real = base.appendingPathComponent("real")
        try FileManager.default.createDirectory(at: real, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        let link = base.appendingPathComponent("link")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: real.path)
        try "name,spend\nO\"Brien,1.5\n\"Smith, J\",2.5\n".write(to: real.appendingPathComponent("people.csv"), atomically: true, encoding: .utf8)
        try Data([0xEF, 0xBB, 0xBF] + Array("\"a\",b\n1,2\n3,4\n".utf8)).write(to: real.appendingPathComponent("bom.csv"))
        try ((0...100_000).map { "c\($0)" }.joined(separator: ",") + "\n").write(to: real.appendingPathComponent("wide.csv"), atomically: true, encoding: .utf8)
        try "a,b,a\n1,2,3\n".write(to: real.appendingPathComponent("twice.csv"), atomically: true, encoding: .utf8)
        #expect(mkfifo(real.appendingPathComponent("pipe.csv").path, 0o600) == 0)
        let service = SciLearnService(dataSource: try DataReferenceSource(rootPaths: [link.path]))
        func run(_ data: String) throws -> [String: Any] { try Self.run(#"{"task":"ttest_1samp","data":{\#(data)}}"#, service: service) }
        var r = try run(#""a":{"url":"file://\#(link.path)/people.csv","column":"spend"}"#)
        #expect(r["status"] as? String == "ok", "\(r)")
        r = try run(#""a":{"url":"file://\#(link.path)/bom.csv","column":"a"}"#)
        #expect(r["status"] as? String == "ok", "\(r)")
        for (file, mention) in [("wide.csv", "more than 100000 columns"), ("twice.csv", "names column \"a\" twice (columns 1 and 3)"), ("pipe.csv", "not a regular file")] {
            r = try run(#""a":{"url":"file://\#(link.path)/\#(file)","column":"a"}"#)
            let message = (r["error"] as? [String: Any])?["message"] as? String ?? ""
            #expect(message.contains(mention), "\(file): \(r)")
        }
    }

    /// A file of many pieces (the mapped, parallel path) reads as the same file gzipped (the
    /// sequential path): the same values, and an error deep in a later piece with the same row
    /// and line numbers.
    @Test func theParallelPathReadsAsTheSequentialOne() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("scilearn-pieces-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        var g = CDataKernelPaths.DecimalParserTests.Generator(state: 0xDEAD_BEEF_1234_5678)
        var text = "a,b,c,d,y\r\n"
        for i in 0..<300_000 {
            let values = (0..<5).map { _ in String(format: "%.17g", Double(Int64(bitPattern: g.next()) >> 20) * 1e-9) }
            text += values.joined(separator: ",") + (i % 3 == 0 ? "\r\n" : "\n")
            if i % 100_000 == 7 { text += "\n" }   // blank lines, in different pieces
        }
        let plain = base.appendingPathComponent("big.csv"), gzipped = base.appendingPathComponent("big.csv.gz")
        try text.write(to: plain, atomically: true, encoding: .utf8)
        #expect(try Data(contentsOf: plain).count > 16 << 20, "the file must span several 4 MiB pieces")
        func gzip(_ from: URL, _ to: URL) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", "gzip -c '\(from.path)' > '\(to.path)'"]
            try p.run()
            p.waitUntilExit()
            try #require(p.terminationStatus == 0, "gzip")
        }
        try gzip(plain, gzipped)
        let service = SciLearnService(limits: ServiceLimits(maxCells: 5_000_000), dataSource: try DataReferenceSource(rootPaths: [base.path]))
        func fit(_ file: String) -> String {
            Self.text(#"{"id":"f","task":"linear_regression","data":{"X":{"url":"file://\#(base.path)/\#(file)","columns":["a","b","c","d"]},"y":{"url":"file://\#(base.path)/\#(file)","column":"y"}}}"#, service: service)
        }
        let parallel = fit("big.csv"), sequential = fit("big.csv.gz")
        #expect(parallel.contains(#""n_samples":300000"#), "\(parallel.prefix(300))")
        #expect(parallel == sequential)
        // A bad value near the end: the same message from both paths.
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[lines.count - 50] = "1,2,oops,4,5"
        try lines.joined(separator: "\n").write(to: plain, atomically: true, encoding: .utf8)
        try gzip(plain, gzipped)
        let a = fit("big.csv"), b = fit("big.csv.gz")
        #expect(a.contains("not a number") && a.contains("column \\\"c\\\""), "\(a)")
        #expect(a.replacingOccurrences(of: "big.csv.gz", with: "big.csv") == b.replacingOccurrences(of: "big.csv.gz", with: "big.csv"), "\(a) vs \(b)")
    }

    @Test func rootsMustExist() {
        #expect(throws: DataSourceError.self) { try DataReferenceSource(rootPaths: ["/no/such/folder"]) }
        #expect(throws: DataSourceError.self) { try DataReferenceSource(rootPaths: [Self.folder.appendingPathComponent("y.npy").path]) }
    }
}
