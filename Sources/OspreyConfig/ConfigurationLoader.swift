import OspreyCore

#if canImport(Glibc)
import Glibc
#endif

/// Reads the main file, then `conf.d/*.toml` beside it in lexical order (later files override earlier
/// ones key by key), and validates the merged result. Nothing is applied here: callers swap the result in
/// only when it is valid, so a bad file never replaces a running configuration.
public struct ConfigurationLoader: ConfigurationSource {
    public static let defaultMainFile = "/etc/osprey/osprey.toml"

    public let mainFile: String
    /// With `--config PATH` the file must exist; the default file may be absent (embedded defaults).
    public let mainFileRequired: Bool

    /// `mainFile` from `--config` must exist; without it `defaultMainFile` is read if it exists.
    public init(mainFile: String? = nil, defaultMainFile: String = ConfigurationLoader.defaultMainFile) {
        self.mainFile = mainFile ?? defaultMainFile
        self.mainFileRequired = mainFile != nil
    }

    public var confDirectory: String {
        guard let slash = mainFile.lastIndex(of: "/") else { return "conf.d" }
        return String(mainFile[..<slash]) + "/conf.d"
    }

    public func load() -> Result<LoadedConfiguration, ConfigurationErrors> {
        var problems: [ConfigurationProblem] = []
        var files: [String] = []
        let root = TOMLTable(at: SourceLocation(file: mainFile, line: 1, column: 1), origin: .header)

        switch TextFile.read(mainFile) {
        case .success(let text):
            files.append(mainFile)
            merge(text, file: mainFile, into: root, problems: &problems)
        case .failure(.missing) where !mainFileRequired:
            break
        case .failure(let error):
            problems.append(ConfigurationProblem(file: mainFile, error.description))
        }

        switch TextFile.list(confDirectory, suffix: ".toml") {
        case .success(let names):
            for name in names {
                let path = confDirectory + "/" + name
                switch TextFile.read(path) {
                case .success(let text):
                    files.append(path)
                    merge(text, file: path, into: root, problems: &problems)
                case .failure(let error):
                    problems.append(ConfigurationProblem(file: path, error.description))
                }
            }
        case .failure(.missing):
            break
        case .failure(let error):
            problems.append(ConfigurationProblem(file: confDirectory, error.description))
        }

        guard problems.isEmpty else { return .failure(ConfigurationErrors(problems)) }
        // No file at all: the embedded defaults (the simulated market); any file: exactly what it says.
        guard !files.isEmpty else { return .success(LoadedConfiguration(configuration: .embeddedDefaults, files: [])) }
        return ConfigurationDecoder.decode(root).map { LoadedConfiguration(configuration: $0, files: files) }
    }

    private func merge(_ text: String, file: String, into root: TOMLTable, problems: inout [ConfigurationProblem]) {
        do {
            root.merge(try TOMLParser.parse(text, file: file))
        } catch {
            problems.append(error)
        }
    }
}

/// Whole-file reads and directory listings with errors that say what went wrong.
enum TextFile {
    enum Failure: CodedError {
        case missing
        case system(String)
        case notUTF8(line: Int)

        var code: String { "config" }

        var description: String {
            switch self {
            case .missing: "the file does not exist"
            case .system(let reason): reason
            case .notUTF8(let line): "line \(line) is not valid UTF-8"
            }
        }
    }

    static func systemError(_ action: String) -> Failure {
        let code = errno
        if code == ENOENT { return .missing }
        return .system("cannot \(action): \(String(cString: strerror(code)))")
    }

    static func read(_ path: String) -> Result<String, Failure> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(systemError("open it")) }
        defer { close(fd) }
        guard let bytes = readAll(fd, limit: 16 << 20) else {
            return .failure(errno == EFBIG ? .system("the file is larger than 16 MiB") : systemError("read it"))
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            return .failure(.notUTF8(line: firstInvalidLine(bytes)))
        }
        return .success(text)
    }

    /// Everything left in `fd`, or nil on a read error (errno set) or past `limit` bytes (errno EFBIG).
    static func readAll(_ fd: Int32, limit: Int) -> [UInt8]? {
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 { return nil }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > limit {
                errno = EFBIG
                return nil
            }
        }
    }

    /// The line of the first byte that is not valid UTF-8, in one pass.
    static func firstInvalidLine(_ bytes: [UInt8]) -> Int {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var line = 1
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                if encoded.count == 1 && encoded.first == UInt8(ascii: "\n") { line += 1 }
            case .emptyInput, .error:
                return line
            }
        }
    }

    /// Names of the regular entries in `directory` ending in `suffix`, sorted bytewise.
    static func list(_ directory: String, suffix: String) -> Result<[String], Failure> {
        guard let handle = opendir(directory) else { return .failure(systemError("list it")) }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name.hasSuffix(suffix) && !name.hasPrefix(".") { names.append(name) }
        }
        return .success(names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
    }
}
