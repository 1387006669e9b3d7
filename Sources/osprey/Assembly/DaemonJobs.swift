import Logging
import OspreyCore
import OspreyRuntime

/// The job kinds that drive the daemon's own services: `scan` (a market source), `orders.reconcile` and
/// `strategy.evaluate`, beside the maintenance jobs.
enum DaemonJobs {
    static func handlers(scanner: Scanner, engine: TradeEngine, strategies: StrategyRunner) -> [String: JobHandler] {
        [
            JobKinds.scan.name: { context in
                let summary = try await scanner.scan(source: context.args["source"] ?? "")
                context.logger.info("scan finished", metadata: [
                    "source": "\(context.args["source"] ?? "")", "scan.pairs": "\(summary.pairs)", "scan.updated": "\(summary.updated)",
                    "scan.evicted": "\(summary.evicted)", "scan.skipped": "\(summary.skipped)", "scan.signals": "\(summary.signals.count)",
                ])
            },
            JobKinds.reconcile.name: { context in
                let summary = try await engine.reconcile()
                context.logger.info("orders reconciled", metadata: [
                    "orders.checked": "\(summary.checked)", "orders.unknown": "\(summary.stillUnknown)", "orders.adopted": "\(summary.adopted)",
                ])
            },
            JobKinds.evaluate.name: { context in
                let summary = try await strategies.evaluate(context.args["strategy"] ?? "")
                context.logger.info("strategy evaluated", metadata: [
                    "strategy": "\(context.args["strategy"] ?? "")", "entries": "\(summary.entries)", "exits": "\(summary.exits)",
                    "refused": "\(summary.refused)",
                ])
            },
        ]
    }
}
