import Logging
import OspreyCore
import OspreyRuntime
import OspreyTestSupport
import ServiceLifecycle
import Synchronization
import Testing

@Suite struct WatchdogTests {
    /// Runs the watchdog and one probed component for real (short intervals, generous margins), lets the
    /// component's probe hang, and checks the pings stop; unblocking it resumes them.
    @Test func pingsStopWhileAComponentIsStalledAndResumeAfter() async throws {
        let notifier = RecordingNotifier(watchdogInterval: .milliseconds(40))
        let heartbeats = HeartbeatRegistry()
        let health = HealthRegistry()
        let stalled = Mutex(false)
        let logs = LogCapture()
        let clock = ContinuousClock()
        let probe = HeartbeatProbe(component: "scheduler", interval: .milliseconds(10), allowedSilence: .milliseconds(300),
                                   heartbeats: heartbeats, health: health, clock: clock) {
            while stalled.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(5)) }
        }
        let watchdog = WatchdogService(notifier: notifier, heartbeats: heartbeats, logger: logs.logger, clock: clock)
        let group = ServiceGroup(services: [probe, watchdog], logger: logs.logger)

        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await eventually("pings while healthy") { notifier.pings >= 3 }
            #expect(health.report.components["scheduler"]?.status == .up)

            stalled.withLock { $0 = true }
            try await eventually("the stall is noticed") { heartbeats.stalled() == ["scheduler"] }
            try await Task.sleep(for: .milliseconds(100))  // let a watchdog round already under way finish
            let atStall = notifier.pings
            try await Task.sleep(for: .milliseconds(300))
            #expect(notifier.pings == atStall, "no pings while the component is stalled")
            #expect(logs.lines.withLock { $0.contains { $0.0 == .critical && $0.2["components"] == "scheduler" } })

            stalled.withLock { $0 = false }
            try await eventually("pings resume once the component answers again") { notifier.pings > atStall }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test func withoutAWatchdogItOnlyWaitsForShutdown() async throws {
        let notifier = RecordingNotifier(watchdogInterval: nil)
        let logs = LogCapture()
        let watchdog = WatchdogService(notifier: notifier, heartbeats: HeartbeatRegistry(), logger: logs.logger, clock: ContinuousClock())
        let group = ServiceGroup(services: [watchdog], logger: logs.logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await Task.sleep(for: .milliseconds(50))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        #expect(notifier.pings == 0)
    }

    @Test func startupGateFiresOnceWhenEveryPartIsReady() {
        let fired = Mutex(0)
        let gate = StartupGate(waitingFor: ["http", "control"]) { fired.withLock { $0 += 1 } }
        gate.partReady("http")
        gate.partReady("http")
        #expect(fired.withLock { $0 } == 0)
        gate.partReady("control")
        gate.partReady("control")
        #expect(fired.withLock { $0 } == 1)
    }
}

