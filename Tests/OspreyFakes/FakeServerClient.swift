import OspreyNet

/// The libcurl client that tests point at the fakes: one per test process, as the daemon has one.
public let fakeServerClient: CurlHTTPClient = {
    do {
        return try CurlHTTPClient(configuration: HTTPClientConfiguration(
            connectTimeout: .seconds(2), totalTimeout: .seconds(5), maxResponseBytes: 1 << 20, userAgent: "osprey/test"))
    } catch {
        fatalError("libcurl: \(error)")
    }
}()
