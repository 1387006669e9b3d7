import ArgumentParser

@main
struct Osprey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "osprey",
        abstract: "Crypto market scanner and trading daemon for a small Linux server.",
        discussion: """
            `osprey run` is the daemon (systemd starts it). The other commands check the configuration or talk \
            to the running daemon over its control socket.
            """,
        version: Build.info.versionLine,
        subcommands: [RunCommand.self, CheckConfigCommand.self, StatusCommand.self, ReloadCommand.self, JobsCommand.self, TokensCommand.self, SignalsCommand.self, TradingCommand.self, OrdersCommand.self, PositionsCommand.self, TradeCommand.self, KeysCommand.self]
    )
}

/// `--config PATH`, shared by every command that reads the configuration.
struct ConfigOptions: ParsableArguments {
    @Option(name: .customLong("config"), help: ArgumentHelp(
        "Main configuration file; conf.d/*.toml beside it is read too.", valueName: "path"))
    var path: String?
}
