import ArgumentParser
import OspreyConfig
import OspreyCore

/// `osprey check-config`: validate without starting, like `promtool check config`.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration files; exit 1 and list every problem if any.")

    @OptionGroup var config: ConfigOptions

    func run() throws {
        let loader = ConfigurationLoader(mainFile: config.path)
        switch loader.load() {
        case .success(let loaded):
            if loaded.files.isEmpty {
                print("configuration OK: no files found, the embedded defaults apply (\(loader.mainFile) is absent)")
            } else {
                print("configuration OK: \(loaded.files.joined(separator: ", "))")
            }
            for job in loaded.configuration.jobs {
                print("job \(job.name): \(job.kind), \(job.timing)\(job.enabled ? "" : " (disabled)")")
            }
        case .failure(let errors):
            for problem in errors.problems { ProcessEnvironment.printError("error: \(problem)") }
            ProcessEnvironment.printError("configuration has \(errors.problems.count) problem\(errors.problems.count == 1 ? "" : "s")")
            throw ExitCode(1)
        }
    }
}
