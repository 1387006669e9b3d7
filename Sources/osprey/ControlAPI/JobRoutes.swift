import OspreyControlClient
import OspreyCore
import OspreyHTTP
import OspreyRuntime

/// What `GET /v1/jobs` returns.
struct JobListPayload: Codable {
    let jobs: [JobStatus]
}

/// What `GET /v1/jobs/:name/history` returns.
struct JobHistoryPayload: Codable {
    let job: String
    let runs: [JobRunRecord]
}

/// What `POST /v1/jobs/:name/run` returns once the run has ended.
struct JobRunPayload: Codable {
    let run: JobRunRecord
}

/// `/v1/jobs`: the scheduler's routes behind `osprey jobs`.
struct JobRoutes {
    let scheduler: Scheduler<ContinuousClock>

    var routes: [ControlRoute] {
        [
            ControlRoute(.get, "/v1/jobs") { _ in
                (200, ControlCodec.encode(JobListPayload(jobs: await scheduler.statuses())))
            },
            ControlRoute(.post, "/v1/jobs/:name/run") { request in
                let name = request.parameters["name"] ?? ""
                switch await scheduler.runNow(name) {
                case .success(let record):
                    return (200, ControlCodec.encode(JobRunPayload(run: record)))
                case .failure(let refusal):
                    return (Self.status(of: refusal), ControlCodec.encode(ErrorPayload(error: refusal.description)))
                }
            },
            ControlRoute(.get, "/v1/jobs/:name/history") { request in
                let name = request.parameters["name"] ?? ""
                let limitText = request.query["limit"] ?? "20"
                guard let limit = Int(limitText), (1...1000).contains(limit) else {
                    return (400, ControlCodec.encode(ErrorPayload(error: "limit must be an integer from 1 to 1000, got \"\(limitText)\"")))
                }
                do {
                    let runs = try await scheduler.history(name, limit: limit)
                    let configured = await scheduler.isConfigured(name)
                    guard configured || !runs.isEmpty else {
                        return (404, ControlCodec.encode(ErrorPayload(error: "no job named \"\(name)\" is configured or has run")))
                    }
                    return (200, ControlCodec.encode(JobHistoryPayload(job: name, runs: runs)))
                } catch {
                    return (500, ControlCodec.encode(ErrorPayload(error: "cannot read the run history: \(error)")))
                }
            },
        ]
    }

    static func status(of refusal: SchedulerBook.Refusal) -> Int {
        switch refusal {
        case .unknownJob: 404
        case .busy: 409
        case .queueFull, .shuttingDown: 503
        }
    }
}
