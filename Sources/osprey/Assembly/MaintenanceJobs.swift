import Logging
import OspreyCore
import OspreyRuntime
import OspreyStore

/// The built-in job kinds: `db.backup` and `db.prune`, over the daemon's database.
enum MaintenanceJobs {
    static func handlers(database: Database, stateDirectory: String) -> [String: JobHandler] {
        [
            JobKinds.backup.name: { context in
                let keep = Int(JobKinds.backup.integer("keep", in: context.args))
                let result = try await database.backup(into: stateDirectory + "/backups", keep: keep, at: Int64(WallClock.system.now()))
                context.logger.info("database backed up", metadata: [
                    "backup.file": "\(result.file)", "backup.bytes": "\(result.bytes)",
                    "backup.removed": "\(result.removed.count)",
                ])
            },
            JobKinds.prune.name: { context in
                let age = JobKinds.prune.duration("older_than", in: context.args)
                let deleted = try await database.prune(before: WallClock.system.now() - age.seconds)
                context.logger.info("old history pruned", metadata: [
                    "prune.older_than": "\(DurationText.format(age))",
                    "prune.deleted": "\(deleted.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: ","))",
                ])
            },
        ]
    }
}
