/// The tasks of the job contract, spelled as on the wire. Adding a task touches this enum, the
/// registry table (`TaskRegistry`) and the task's own file under `Tasks/`.
public enum TaskName: String, Sendable, CaseIterable, Codable {
    case linearRegression = "linear_regression"
    case predict = "predict"
}
