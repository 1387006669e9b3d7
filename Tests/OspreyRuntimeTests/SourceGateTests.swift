import OspreyCore
import OspreyRuntime
import OspreyTestSupport
import Synchronization
import Testing

/// Replies served in order to the gate's attempts, each attempt's clock time recorded.
final class ScriptedReplies: Sendable {
    let clock: ManualClock
    let replies: Mutex<[GateReply<String>]>
    let calls = Mutex<[Duration]>([])

    init(_ clock: ManualClock, _ replies: [GateReply<String>]) {
        self.clock = clock
        self.replies = Mutex(replies)
    }

    func attempt() -> GateReply<String> {
        calls.withLock { $0.append(clock.now.offset) }
        return replies.withLock { $0.isEmpty ? .success("default", code: "200") : $0.removeFirst() }
    }

    var times: [Duration] { calls.withLock { $0 } }
}

@Suite struct SourceGateTests {
    func gate(_ clock: ManualClock, threshold: Int = 5, attempts: Int = 3) -> SourceGate<ManualClock> {
        SourceGate(source: "dexscreener", budgets: ["default": (60, .seconds(60))], clock: clock, failureThreshold: threshold,
                   cooldown: .seconds(30), maxAttempts: attempts, seed: 9)
    }

    @Test func aRetryAfterIsObeyedToTheMillisecond() async throws {
        let clock = ManualClock()
        let script = ScriptedReplies(clock, [.rateLimited(retryAfter: .milliseconds(2500), code: "429"), .success("ok", code: "200")])
        let gate = gate(clock)
        let result = Task { try await gate.perform("search", cost: 1) { script.attempt() } }
        try await eventually("the first attempt") { script.times.count == 1 }
        try await eventually("waiting on the clock") { clock.sleepers == 1 }
        clock.advance(by: .milliseconds(2499))
        try await eventually("still waiting") { clock.sleepers == 1 }
        clock.advance(by: .milliseconds(1))
        #expect(try await result.value == "ok")
        #expect(script.times == [.zero, .milliseconds(2500)], "not one millisecond early")
    }

    @Test func transientFailuresBackOffWithinBoundsAndClientErrorsAreNotRetried() async throws {
        let clock = ManualClock()
        let script = ScriptedReplies(clock, [.transient("HTTP 502", code: "502"), .transient("timeout", code: "timeout"), .success("ok", code: "200")])
        let gate = gate(clock)
        let result = Task { try await gate.perform("search", cost: 1) { script.attempt() } }
        for _ in 0..<30 where script.times.count < 3 {
            try await eventually("a sleeper") { clock.sleepers == 1 || script.times.count == 3 }
            clock.advance(by: .milliseconds(50))
        }
        #expect(try await result.value == "ok")
        let times = script.times
        #expect(times.count == 3)
        #expect(times[1] - times[0] <= .milliseconds(550) && times[2] - times[1] <= .milliseconds(1050), "0.5 s then 1 s ceilings: \(times)")

        let refused = ScriptedReplies(clock, [.failure("HTTP 404: not found", code: "404")])
        await #expect(throws: SourceError.self) { try await gate.perform("tokens", cost: 1) { refused.attempt() } }
        #expect(refused.times.count == 1, "a 4xx is not retried")
    }

    @Test func theCircuitOpensFailsFastAndRecoversThroughOneProbe() async throws {
        let clock = ManualClock()
        let gate = gate(clock, threshold: 2, attempts: 1)
        let failing = ScriptedReplies(clock, [.transient("503", code: "503"), .transient("503", code: "503")])
        for _ in 0..<2 { _ = try? await gate.perform("search", cost: 1) { failing.attempt() } }
        #expect(await gate.phase == .open)
        do {
            _ = try await gate.perform("search", cost: 1) { failing.attempt() }
            Issue.record("went through an open circuit")
        } catch let error as SourceError {
            #expect(error.kind == .circuitOpen && failing.times.count == 2, "failed fast, no request")
        }
        clock.advance(by: .seconds(30))
        #expect(try await gate.perform("search", cost: 1) { failing.attempt() } == "default")
        #expect(await gate.phase == .closed)
    }
}
