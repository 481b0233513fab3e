import SciLearn

/// The engine's cancellation token, as the transports see it: they trip it (a deadline, a
/// drain) and hand it to ``SciLearnService/run(body:assignedID:cancellation:)``, without
/// importing the engine.
public typealias CancellationToken = SciLearn.CancellationToken
