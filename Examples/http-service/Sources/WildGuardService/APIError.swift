import Hummingbird
import Logging
import NIOCore
import WildGuard

/// An error answered with a JSON body: `{"error":"…","status":400}`, plus `problems` when there
/// are several (a taxonomy that did not load). Clients can show `error` to a person as it is.
public struct APIError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var message: String
    /// Individual problems, each naming a file and line where it can.
    public var problems: [String]
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, _ message: String, problems: [String] = [], headers: HTTPFields = [:]) {
        self.status = status
        self.message = message
        self.problems = problems
        self.headers = headers
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        response()
    }

    func response() -> Response {
        var w = JSONWriter()
        w.raw("{")
        w.key("error")
        w.string(message)
        w.raw(",")
        w.key("status")
        w.raw(String(status.code))
        if !problems.isEmpty {
            w.raw(",")
            w.key("problems")
            w.raw("[")
            for (i, problem) in problems.enumerated() {
                if i > 0 { w.raw(",") }
                w.string(problem)
            }
            w.raw("]")
        }
        w.raw("}\n")
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: w.bytes)))
    }

    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, message) }

    static func tooLarge(_ message: String) -> APIError { APIError(.contentTooLarge, message) }
}

/// Turns every error into a JSON response and counts it, so that clients always get the same
/// error shape (Hummingbird's own 404 and body-limit errors included) and `/metrics` sees them all.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServiceMetrics
    let logger: Logger

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let apiError: APIError
        do {
            let response = try await next(request, context)
            if response.status.code >= 400 { metrics.recordError(status: response.status.code) }
            return response
        } catch let error as APIError {
            apiError = error
        } catch is NIOTooManyBytesError {
            apiError = .tooLarge("the request body is larger than the limit")
        } catch let error as HTTPError {
            apiError = APIError(error.status, error.body ?? error.status.reasonPhrase, headers: error.headers)
        } catch {
            // Anything else is a bug or a resource failure, not the client's fault: log it in full,
            // and tell the client no more than that it happened.
            logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(String(reflecting: error))"])
            apiError = APIError(.internalServerError, "internal error")
        }
        metrics.recordError(status: apiError.status.code)
        return apiError.response()
    }
}
