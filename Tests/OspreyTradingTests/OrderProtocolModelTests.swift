import OspreyTestSupport
import Testing

/// The order protocol's model (Tests/Models/order-protocol.pml) checked exhaustively by spin: the protocol
/// as built holds (no intent placed twice, no trade recorded twice, every exchange order in the ledger), and
/// the two deliberately broken variants are caught, so the check is not vacuous.
@Suite struct OrderProtocolModelTests {
    static let model = String(#filePath.dropLast("OspreyTradingTests/OrderProtocolModelTests.swift".count)) + "Models/order-protocol.pml"

    struct Verdict {
        let errors: Int
        let states: Double
        let output: String
    }

    /// spin -a, cc, pan (safety: assertions and invalid end states), in a scratch directory.
    static func check(_ defines: [String]) async throws -> Verdict {
        try await withTemporaryDirectory { dir in
            let result = await onOwnThread {
                Result {
                    try runProcess("/bin/sh", ["-c", """
                        set -e
                        cp "$1" model.pml
                        shift
                        spin "$@" -a model.pml
                        cc -O2 -DSAFETY -DCOLLAPSE -o pan pan.c
                        ./pan -m1000000
                        """, "sh", model] + defines, directory: dir)
                }
            }
            let output = try result.get().output
            let errors = output.firstMatch(of: /errors: (\d+)/).flatMap { Int($0.1) } ?? -1
            let states = output.firstMatch(of: /([0-9.e+]+) states, stored/).flatMap { Double($0.1) } ?? 0
            return Verdict(errors: errors, states: states, output: output)
        }
    }

    /// Two intents, two crashes, two network faults (lost request, lost reply, a client timeout while the
    /// reply is still coming): 24 million states. `-DFAULTS=3` (100 million) is the longer run in docs/trading.md.
    @Test func theProtocolNeverPlacesAnIntentTwiceNorLosesAnOrderOrAFill() async throws {
        let verdict = try await Self.check(["-DFAULTS=2", "-DCRASHES=2"])
        #expect(verdict.errors == 0, "\(verdict.output)")
        #expect(verdict.states > 1_000_000, "the search explored the protocol: \(verdict.output)")
    }

    @Test(arguments: ["-DRETRY_ON_TIMEOUT", "-DAPPEND_FILLS"])
    func aBrokenVariantIsCaught(_ variant: String) async throws {
        let verdict = try await Self.check([variant, "-DFAULTS=2", "-DCRASHES=2"])
        #expect(verdict.errors > 0 && verdict.output.contains("assertion violated"), "\(verdict.output)")
    }
}
