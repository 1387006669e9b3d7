import OspreyNet

/// The libcurl client that tests point at the fakes: one per test process, as the daemon has one.
public let fakeServerClient = makeFakeServerClient()

/// A client of its own, for a test that asserts on connection reuse: other tests running at the same time
/// cannot touch its connection cache.
public func makeFakeServerClient() -> CurlHTTPClient {
    do {
        return try CurlHTTPClient(configuration: HTTPClientConfiguration(
            connectTimeout: .seconds(2), totalTimeout: .seconds(5), maxResponseBytes: 1 << 20, userAgent: "osprey/test"))
    } catch {
        fatalError("libcurl: \(error)")
    }
}
