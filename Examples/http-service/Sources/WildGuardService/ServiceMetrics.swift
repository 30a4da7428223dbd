import CoreMetrics
import Metrics
import Prometheus
import WildGuard

/// The service's metrics, recorded through swift-metrics and exported as Prometheus text.
///
/// Each server gets its own registry and passes its factory to every metric explicitly, rather
/// than bootstrapping the process-wide `MetricsSystem`: the bootstrap can happen only once per
/// process, and the tests start several servers in one process, each of which must count alone.
/// A program that wants all of its metrics in one place can bootstrap `MetricsSystem` with
/// ``factory`` itself.
public final class ServiceMetrics: Sendable {
    /// The registry `GET /metrics` exports.
    public let registry: PrometheusCollectorRegistry
    /// The swift-metrics factory over ``registry``.
    public let factory: PrometheusMetricsFactory

    private let decisions: [Action: CoreMetrics.Counter]
    private let singleLatency: CoreMetrics.Timer
    private let batchLatency: CoreMetrics.Timer
    private let reloadsSucceeded: CoreMetrics.Counter
    private let reloadsFailed: CoreMetrics.Counter

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        // Screening one listing takes well under a millisecond, so the default buckets (from 5 ms)
        // would put every request in the first one.
        factory.durationHistogramBuckets["wildguard_classify_duration_seconds"] = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2.5),
            .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
            .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5),
        ]
        self.factory = factory
        var decisions: [Action: CoreMetrics.Counter] = [:]
        for action in Action.allCases {
            decisions[action] = CoreMetrics.Counter(
                label: "wildguard_decisions_total", dimensions: [("decision", action.rawValue)], factory: factory)
        }
        self.decisions = decisions
        singleLatency = CoreMetrics.Timer(
            label: "wildguard_classify_duration_seconds", dimensions: [("mode", "single")], factory: factory)
        batchLatency = CoreMetrics.Timer(
            label: "wildguard_classify_duration_seconds", dimensions: [("mode", "batch")], factory: factory)
        reloadsSucceeded = CoreMetrics.Counter(label: "wildguard_reloads_total", dimensions: [("result", "ok")], factory: factory)
        reloadsFailed = CoreMetrics.Counter(label: "wildguard_reloads_total", dimensions: [("result", "failed")], factory: factory)
        // Every error counter exists from the start, at 0, so that dashboards and alerts see the
        // series before the first error happens.
        for status in [400, 401, 403, 404, 405, 409, 413, 422, 500] { errorCounter(status: status) }
    }

    /// Counts one decision.
    public func record(_ action: Action) {
        decisions[action]?.increment()
    }

    /// Records how long a classify request took, from its arrival to its response.
    public func recordLatency(_ duration: Duration, batch: Bool) {
        (batch ? batchLatency : singleLatency).record(duration: duration)
    }

    /// Counts a request that ended in an error response.
    public func recordError(status: Int) {
        errorCounter(status: status).increment()
    }

    /// Counts a reload attempt.
    public func recordReload(succeeded: Bool) {
        (succeeded ? reloadsSucceeded : reloadsFailed).increment()
    }

    @discardableResult
    private func errorCounter(status: Int) -> CoreMetrics.Counter {
        // The registry hands back the same counter for the same name and labels.
        CoreMetrics.Counter(label: "wildguard_errors_total", dimensions: [("status", String(status))], factory: factory)
    }

    /// The Prometheus text exposition of every metric.
    public func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}
