import ArgumentParser
import OspreyCore

#if canImport(Glibc)
import Glibc
#endif

/// Reads API credentials from a terminal prompt with echo off, or from two lines of standard input
/// (for scripts). Never from arguments, which other users can read in /proc.
enum SecretInput {
    static func credentials() throws -> ExchangeCredentials {
        let apiKey = try read(prompt: "API key: ")
        let apiSecret = try read(prompt: "API secret: ")
        return ExchangeCredentials(apiKey: apiKey, apiSecret: apiSecret)
    }

    private static func read(prompt: String) throws -> String {
        let terminal = isatty(0) == 1
        var saved = termios()
        if terminal {
            ProcessEnvironment.printErrorNoNewline(prompt)
            tcgetattr(0, &saved)
            var silent = saved
            silent.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(0, TCSAFLUSH, &silent)
        }
        let line = readLine(strippingNewline: true)
        if terminal {
            tcsetattr(0, TCSAFLUSH, &saved)
            ProcessEnvironment.printError("")
        }
        guard let line, !line.isEmpty else {
            ProcessEnvironment.printError("error: expected the \(prompt.dropLast(2)) on standard input (one line each for key and secret)")
            throw ExitCode(1)
        }
        return line
    }
}
