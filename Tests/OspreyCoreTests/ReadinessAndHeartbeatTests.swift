import OspreyCore
import Testing

@Suite struct ReadinessReportTests {
    @Test func aRequiredComponentDownMakesTheDaemonNotReady() {
        let report = ReadinessReport(components: [
            "store": ComponentHealth(status: .down, detail: "disk full"),
            "http": ComponentHealth(status: .up, detail: "listening"),
        ])
        #expect(!report.isReady)
        #expect(report.overall == .down)
    }

    @Test func optionalOrDegradedComponentsLeaveItReadyButDegraded() {
        let report = ReadinessReport(components: [
            "exchange": ComponentHealth(status: .down, detail: "key missing", required: false),
            "source": ComponentHealth(status: .degraded, detail: "rate limited"),
        ])
        #expect(report.isReady)
        #expect(report.overall == .degraded)
        #expect(ReadinessReport(components: [:]).overall == .up)
    }
}

/// A hand-driven instant, so heartbeat rules are tested without sleeping.
struct TickInstant: InstantProtocol, Hashable {
    var ticks: Int64
    func advanced(by duration: Duration) -> TickInstant { TickInstant(ticks: ticks + duration.components.seconds) }
    func duration(to other: TickInstant) -> Duration { .seconds(other.ticks - ticks) }
    static func < (lhs: TickInstant, rhs: TickInstant) -> Bool { lhs.ticks < rhs.ticks }
}

@Suite struct HeartbeatBookTests {
    @Test func aComponentIsStalledOnlyAfterItsOwnAllowedSilence() {
        var book = HeartbeatBook<TickInstant>()
        book.register("store", allowedSilence: .seconds(10), now: TickInstant(ticks: 0))
        book.register("scheduler", allowedSilence: .seconds(3), now: TickInstant(ticks: 0))
        #expect(book.stalled(at: TickInstant(ticks: 3)).isEmpty)
        #expect(!book.anyStalled(at: TickInstant(ticks: 3)))
        #expect(book.stalled(at: TickInstant(ticks: 4)) == ["scheduler"])
        #expect(book.anyStalled(at: TickInstant(ticks: 4)))
        book.beat("scheduler", at: TickInstant(ticks: 4))
        #expect(book.stalled(at: TickInstant(ticks: 6)).isEmpty)
        #expect(book.stalled(at: TickInstant(ticks: 11)) == ["scheduler", "store"])
    }

    @Test func unregisteredComponentsAreNeitherTrackedNorResurrectedByABeat() {
        var book = HeartbeatBook<TickInstant>()
        book.register("probe", allowedSilence: .seconds(1), now: TickInstant(ticks: 0))
        book.unregister("probe")
        book.beat("probe", at: TickInstant(ticks: 5))
        #expect(book.components.isEmpty)
        #expect(book.stalled(at: TickInstant(ticks: 100)).isEmpty)
    }
}
