import Foundation
import Testing
import SciLearnTestSupport
@testable import SciLearnService

/// The one rule for results, as ``TaskOutput`` enforces it on every task: declared fields only,
/// a null only where declared nullable and only with a warning naming the field, and a
/// non-finite number is `numerical_failure` naming its path.
@Suite(.ownThread(.computing)) struct ResultRuleTests {
    struct Sample: TaskResult {
        var value: Double
        var maybe: Double?
        var values: [Double?]

        static let fields = [
            ResultFieldInfo("value", .number, "a number"),
            ResultFieldInfo("maybe", .number, nullable: true, "may be undefined"),
            ResultFieldInfo("values", .numbers, nullable: true, "may hold undefined entries"),
        ]
    }

    struct Undeclared: TaskResult {
        var value: Double
        var extra: Double?
        static let fields = [ResultFieldInfo("value", .number, "a number")]
    }

    static func code(_ body: () throws(ServiceError) -> TaskOutput) -> (ErrorCode, String)? {
        do throws(ServiceError) {
            _ = try body()
            return nil
        } catch {
            return (error.code, error.message)
        }
    }

    @Test func aNullNeedsADeclarationAndAWarningNamingIt() throws {
        let ok = try TaskOutput(Sample(value: 1, maybe: nil, values: [1, nil]), warnings: ["maybe, values: undefined (null): a constant sample"])
        #expect(ok.result["maybe"] == .null)
        // The same null without a warning naming the field.
        let silent = Self.code { () throws(ServiceError) in try TaskOutput(Sample(value: 1, maybe: nil, values: [1]), warnings: ["maybes are fine"]) }
        #expect(silent?.0 == .internal && silent?.1.contains("result.maybe is null without a warning") == true)
        // A null in a field not declared nullable.
        let undeclared = Self.code { () throws(ServiceError) in try TaskOutput(Undeclared(value: 1, extra: nil), warnings: ["extra: null"]) }
        #expect(undeclared?.0 == .internal && undeclared?.1.contains("result.extra is not a declared field") == true)
    }

    @Test func aNonFiniteNumberIsNumericalFailureNamingItsPath() {
        for bad in [Double.nan, .infinity, -.infinity] {
            let e = Self.code { () throws(ServiceError) in try TaskOutput(Sample(value: 1, maybe: 2, values: [3, bad]), warnings: []) }
            #expect(e?.0 == .numericalFailure && e?.1.hasPrefix("result.values[1]:") == true, "\(bad): \(String(describing: e))")
            let top = Self.code { () throws(ServiceError) in try TaskOutput(Sample(value: bad, maybe: nil, values: []), warnings: ["maybe: undefined"]) }
            #expect(top?.0 == .numericalFailure && top?.1.hasPrefix("result.value:") == true)
        }
    }

    @Test func warningsNameFieldsAsWords() {
        #expect(TaskOutput.names("coef, intercept: beyond the range of a double", "coef"))
        #expect(TaskOutput.names("r_squared, adj_r_squared: undefined", "adj_r_squared"))
        #expect(!TaskOutput.names("coefficients are large", "coef"))
        #expect(!TaskOutput.names("adj_r_squared: undefined", "r_squared"))
    }

    /// Through the service: results that would hold a non-finite value for each linear task are
    /// a null with a warning naming the field, or `numerical_failure`, never a silent null.
    @Test func everyTasksUndefinedValuesAreNamed() throws {
        let bodies = [
            // df_resid = 0: inference undefined.
            #"{"task":"linear_regression","data":{"X":[[1],[2]],"y":[1,3]}}"#,
            // Coefficients beyond the range of a double.
            #"{"task":"ridge","params":{"alpha":0},"data":{"X":[[1e-300],[2e-300],[3e-300]],"y":[1e300,2e300,3.5e300]}}"#,
            #"{"task":"lasso","params":{"alpha":0},"data":{"X":[[1e-300],[2e-300],[3e-300]],"y":[1e300,2e300,3.5e300]}}"#,
            #"{"task":"logistic_regression","params":{"penalty":"none"},"data":{"X":[[0],[1],[2],[3]],"y":[0,1,0,1]}}"#,
            #"{"task":"predict","params":{"model":{"task":"ridge","status":"ok","result":{"coef":[1e308],"intercept":0}}},"data":{"X":[[1],[10]]}}"#,
        ]
        for body in bodies {
            let response = SciLearnService().run(body: Array(body.utf8))
            let obj = try JSONSerialization.jsonObject(with: Data(response.json.utf8)) as! [String: Any]
            if let code = response.errorCode {
                #expect([.numericalFailure, .invalidData].contains(code), "\(body): \(response.json)")
                continue
            }
            let warnings = obj["warnings"] as! [String]
            for (field, value) in obj["result"] as! [String: Any] where TaskConformanceTests.containsNull(value) {
                #expect(warnings.contains { TaskOutput.names($0, field) }, "\(body): result.\(field) null without a warning naming it")
            }
        }
    }
}
