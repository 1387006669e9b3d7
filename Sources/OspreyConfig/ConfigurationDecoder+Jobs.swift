import OspreyCore

/// `[[job]]` tables:
///
/// | key             | type                          | default  |
/// |-----------------|-------------------------------|----------|
/// | name            | string `[a-z0-9-]`, unique    | required |
/// | kind            | one of `JobKinds.known`       | required |
/// | every / cron    | duration / 5-field cron (UTC) | one of them required |
/// | jitter          | duration                      | "0s"     |
/// | timeout         | duration ≥ 1s                 | "5m"     |
/// | priority        | high, normal, low             | normal   |
/// | retries         | integer 0–20                  | 0        |
/// | enabled         | boolean                       | true     |
/// | max_concurrency | integer 1–64                  | 1        |
/// | catch_up        | once, skip                    | once     |
/// | args            | table of strings/numbers/booleans | {}   |
///
/// Jobs from `conf.d` files are added to the main file's; one with the name of an earlier file's job replaces it.
extension ConfigurationDecoder {
    static func decodeJobs(_ value: TOMLValue, problems: inout [ConfigurationProblem]) -> [JobSpec] {
        decodeNamedTables(value, key: "job", problems: &problems, name: \.name, decode: decodeJob)
    }

    /// `[[key]]` tables, each decoded by `decode`, unique by name: a table in a later file (conf.d) replaces an
    /// earlier file's table of the same name; the same name twice in one file is an error.
    static func decodeNamedTables<T>(
        _ value: TOMLValue, key: String, problems: inout [ConfigurationProblem], name: (T) -> String,
        decode: (TOMLTable, _ label: String, inout [ConfigurationProblem]) -> T?
    ) -> [T] {
        guard case .array(let elements) = value.kind else {
            problems.append(ConfigurationProblem(at: value.location, key: key, "expected [[\(key)]] tables, found \(value.typeDescription)"))
            return []
        }
        var decoded: [T] = []
        var origins: [String: SourceLocation] = [:]
        for (index, element) in elements.enumerated() {
            guard case .table(let table) = element.kind else {
                problems.append(ConfigurationProblem(at: element.location, key: key, "expected [[\(key)]] tables, found \(element.typeDescription)"))
                continue
            }
            // "job.backup" in messages once the name is valid, else "job[2]".
            var label = "\(key)[\(index + 1)]"
            if case .string(let name)? = table["name"]?.value.kind, JobSpec.nameProblem(name) == nil { label = "\(key).\(name)" }
            guard let item = decode(table, label, &problems) else { continue }
            let itemName = name(item)
            if let first = origins[itemName] {
                if first.file == table.location.file {
                    problems.append(ConfigurationProblem(at: table.location, key: "\(key).\(itemName)", "a \(key) with this name is already defined at \(first)"))
                    continue
                }
                decoded.removeAll { name($0) == itemName }  // a later file replaces it
            }
            origins[itemName] = table.location
            decoded.append(item)
        }
        return decoded
    }

    static func decodeJob(_ table: TOMLTable, label: String, problems: inout [ConfigurationProblem]) -> JobSpec? {
        var reader = SectionReader(table, path: label)
        defer {
            reader.finish()
            problems += reader.problems
        }

        let name = reader.name(noun: "job")
        let kind = reader.string("kind")
        let every = reader.duration("every", minimum: .seconds(1))
        let cronText = reader.string("cron")
        let jitter = reader.duration("jitter")
        let timeout = reader.duration("timeout", minimum: .seconds(1))
        let priority = reader.choice("priority", as: JobPriority.self)
        let retries = reader.integer("retries", in: 0...20)
        let enabled = reader.boolean("enabled")
        let concurrency = reader.integer("max_concurrency", in: 1...64)
        let catchUp = reader.choice("catch_up", as: CatchUp.self)
        let args = decodeArgs(&reader, kind: kind.flatMap { JobKinds.named($0.text) })

        var valid = true
        if let (text, value) = kind, !JobKinds.known.contains(text) {
            reader.report(value, key: "kind", "unknown job kind \"\(text)\"; known kinds are \(JobKinds.known.joined(separator: ", "))")
            valid = false
        } else if kind == nil {
            reader.missing("kind", "every job needs a kind (\(JobKinds.known.joined(separator: ", ")))")
            valid = false
        }
        var timing: JobTiming?
        switch (every, cronText) {
        case (let interval?, nil): timing = .every(interval)
        case (nil, let (text, value)?):
            do {
                timing = .cron(try CronSchedule(text))
            } catch {
                reader.report(value, key: "cron", error.description)
            }
        case (_?, _?): reader.missing("every", "set either every or cron, not both")
        case (nil, nil):
            if table["every"] == nil && table["cron"] == nil { reader.missing("every", "every job needs every = \"30s\" or cron = \"*/5 * * * *\"") }
        }
        guard valid, let name, let kind, let timing, reader.problems.isEmpty else { return nil }
        return JobSpec(
            name: name, kind: kind.text, timing: timing, jitter: jitter ?? .zero, timeout: timeout ?? .seconds(300),
            priority: priority ?? .normal, retries: retries ?? 0, enabled: enabled ?? true,
            maxConcurrency: concurrency ?? 1, catchUp: catchUp ?? .once, args: args)
    }

    /// `args = { keep = 7 }`: each key must be one the kind accepts, with a valid value; values are passed to
    /// the kind as text.
    static func decodeArgs(_ reader: inout SectionReader, kind: JobKind?) -> [String: String] {
        guard let value = reader.value("args") else { return [:] }
        guard case .table(let table) = value.kind else {
            reader.report(value, key: "args", "expected a table like { source = \"dexscreener\" }, found \(value.typeDescription)")
            return [:]
        }
        var args: [String: String] = [:]
        for key in table.keys {
            guard let entry = table[key] else { continue }
            let text: String
            switch entry.value.kind {
            case .string(let value): text = value
            case .integer(let number): text = String(number)
            case .boolean(let flag): text = String(flag)
            default:
                reader.report(entry.value, key: "args.\(key)", "expected a string, integer or boolean, found \(entry.value.typeDescription)")
                continue
            }
            guard let kind else { continue }
            if kind.arguments[key] == nil {
                let accepted = kind.arguments.keys.sorted().joined(separator: ", ")
                reader.report(entry.value, key: "args.\(key)", "job kind \(kind.name) takes no argument \"\(key)\"; it accepts: \(accepted.isEmpty ? "none" : accepted)")
            } else if let problem = kind.problem(key, text) {
                reader.report(entry.value, key: "args.\(key)", problem)
            } else {
                args[key] = text
            }
        }
        return args
    }
}
