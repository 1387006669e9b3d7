import ArgumentParser
import OspreyRuntime

#if canImport(Glibc)
import Glibc
#endif

/// `osprey run`: the daemon, as systemd starts it.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the daemon in the foreground (systemd's ExecStart).")

    @OptionGroup var config: ConfigOptions

    func run() async throws {
        // Until the reload service traps SIGHUP, its default action would kill the daemon.
        signal(SIGHUP, SIG_IGN)
        signal(SIGPIPE, SIG_IGN)
        ProcessMemory.tuneAllocator()
        ProcessLimits.raiseOpenFiles()  // [http].max_connections stays far below it: a flood cannot reach EMFILE
        let code = await Daemon.run(configPath: config.path)
        if code != 0 { throw ExitCode(code) }
    }
}
