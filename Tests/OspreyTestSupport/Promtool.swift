/// The real `promtool` from Debian's prometheus package (.ci/install-deps installs it).
public enum Promtool {
    /// `promtool check metrics` on an exposition: exit status 0 and no output means nothing to lint.
    public static func checkMetrics(_ text: String) throws -> (status: Int32, output: String) {
        let result = try runProcess("/usr/bin/promtool", ["check", "metrics"], input: text)
        return (result.status, result.output)
    }

    /// Any other promtool command, run in `directory`.
    public static func run(_ arguments: [String], in directory: String) throws -> ProcessResult {
        try runProcess("/usr/bin/promtool", arguments, directory: directory)
    }
}
