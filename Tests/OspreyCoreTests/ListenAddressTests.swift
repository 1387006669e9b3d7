import OspreyCore
import Testing

@Suite struct ListenAddressTests {
    @Test(arguments: [
        ("127.0.0.1:7469", "127.0.0.1", 7469),
        ("0.0.0.0:80", "0.0.0.0", 80),
        ("localhost:65535", "localhost", 65535),
        ("[::1]:7469", "::1", 7469),
    ])
    func parsesValidAddresses(text: String, host: String, port: Int) throws {
        let address = try ListenAddress.parse(text).get()
        #expect(address.host == host)
        #expect(address.port == port)
        #expect(address.description == text)
    }

    @Test(arguments: [
        ("7469", "expected host:port"),
        (":7469", "the host is empty"),
        ("127.0.0.1:0", "from 1 to 65535"),
        ("127.0.0.1:70000", "from 1 to 65535"),
        ("127.0.0.1:http", "not 'http'"),
        ("::1:7469", "brackets"),
        ("[::1]7469", "expected ':'"),
        ("[::1:7469", "brackets"),
    ])
    func rejectsInvalidAddressesWithAReason(text: String, reason: String) {
        guard case .failure(let error) = ListenAddress.parse(text) else {
            Issue.record("\(text) was accepted")
            return
        }
        #expect(error.message.contains(reason), "\(error.message)")
    }
}
