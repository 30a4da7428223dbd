/// Everything the service can be told at start-up.
public struct ServiceConfiguration: Sendable {
    /// Address to listen on. The default answers only on this machine; put a reverse proxy (TLS,
    /// access control) in front rather than exposing the service directly.
    public var host = "127.0.0.1"
    /// Port to listen on; 0 picks a free one (the server prints which).
    public var port = 8080
    /// Taxonomy folder to load at start-up.
    public var taxonomyDirectory = "Taxonomy"
    /// Policy profile (a name from the taxonomy's `policies/` folder) or policy file.
    public var policy = "strict-marketplace"
    /// Bearer token that `POST /v1/reload` requires. `nil` disables reloading.
    public var reloadToken: String?
    /// Largest request body accepted, in bytes; larger bodies get 413.
    public var maxBodyBytes = 1 << 20
    /// Most listings in one batch request; more get 413.
    public var maxBatchListings = 1_000
    /// Threads one batch request classifies on (default: all cores).
    public var jobs: Int?
    /// Seconds a connection may stay idle before the server closes it, so that clients that open
    /// connections and send nothing cannot tie them up for ever.
    public var idleTimeoutSeconds: Int64 = 60

    public init() {}
}
