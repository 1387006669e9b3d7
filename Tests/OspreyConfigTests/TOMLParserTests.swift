import OspreyConfig
import OspreyCore
import Testing

@Suite struct TOMLParserTests {
    func parse(_ text: String) throws(ConfigurationProblem) -> TOMLTable {
        try TOMLParser.parse(text, file: "t.toml")
    }

    func value(_ table: TOMLTable, _ path: String) -> TOMLValue? {
        var current = table
        let parts = path.split(separator: ".").map(String.init)
        for part in parts.dropLast() {
            guard case .table(let next)? = current[part]?.value.kind else { return nil }
            current = next
        }
        return current[parts.last!]?.value
    }

    func string(_ table: TOMLTable, _ path: String) -> String? {
        if case .string(let text)? = value(table, path)?.kind { return text }
        return nil
    }

    func integer(_ table: TOMLTable, _ path: String) -> Int64? {
        if case .integer(let number)? = value(table, path)?.kind { return number }
        return nil
    }

    @Test func stringsOfEveryKind() throws {
        let doc = try parse(#"""
            basic = "tab\there \"quoted\" \u00e9 \U0001F600"
            literal = 'C:\path\no-escapes'
            multi = """
            line one
            line two \
                continued"""
            raw = '''
            first
              second'''
            quotes = """a ""quoted"" word"""""
            "quoted key" = 1
            'literal key' = 2
            """#)
        #expect(string(doc, "basic") == "tab\there \"quoted\" é 😀")
        #expect(string(doc, "literal") == #"C:\path\no-escapes"#)
        #expect(string(doc, "multi") == "line one\nline two continued")
        #expect(string(doc, "raw") == "first\n  second")
        #expect(string(doc, "quotes") == #"a ""quoted"" word"""#)
        #expect(integer(doc, "quoted key") == 1)
        #expect(integer(doc, "literal key") == 2)
    }

    @Test func numbersBooleansAndDates() throws {
        let doc = try parse("""
            a = +99
            b = -17
            c = 1_000_000
            d = 0xDEAD_beef
            e = 0o755
            f = 0b1101
            g = 6.626e-34
            h = -0.5
            i = inf
            j = true
            k = 1979-05-27T07:32:00-08:00
            l = 1979-05-27 07:32:00.999Z
            m = 1979-05-27
            n = 07:32:00
            """)
        #expect(integer(doc, "a") == 99)
        #expect(integer(doc, "b") == -17)
        #expect(integer(doc, "c") == 1_000_000)
        #expect(integer(doc, "d") == 0xDEADBEEF)
        #expect(integer(doc, "e") == 0o755)
        #expect(integer(doc, "f") == 13)
        if case .float(let g)? = value(doc, "g")?.kind { #expect(g == 6.626e-34) } else { Issue.record("g") }
        if case .float(let h)? = value(doc, "h")?.kind { #expect(h == -0.5) } else { Issue.record("h") }
        if case .float(let i)? = value(doc, "i")?.kind { #expect(i == .infinity) } else { Issue.record("i") }
        if case .boolean(let j)? = value(doc, "j")?.kind { #expect(j) } else { Issue.record("j") }
        for key in ["k", "l", "m", "n"] {
            guard case .datetime? = value(doc, key)?.kind else {
                Issue.record("\(key) is not a date-time")
                continue
            }
        }
    }

    @Test func tablesDottedKeysArraysAndArraysOfTables() throws {
        let doc = try parse("""
            # comment
            title = "x"   # trailing comment
            [server]
            host.name = "a"
            host.port = 80
            [server.tls]
            enabled = false
            [[job]]
            name = "one"
            args = { source = "dex", limits = { rpm = 60 } }
            [[job]]
            name = "two"
            tags = [
              "a", # first
              "b",
            ]
            """)
        #expect(string(doc, "server.host.name") == "a")
        #expect(integer(doc, "server.host.port") == 80)
        guard case .array(let jobs)? = value(doc, "job")?.kind, jobs.count == 2,
            case .table(let first) = jobs[0].kind, case .table(let second) = jobs[1].kind
        else {
            Issue.record("job is not an array of two tables")
            return
        }
        #expect(string(first, "args.source") == "dex")
        #expect(integer(first, "args.limits.rpm") == 60)
        guard case .array(let tags)? = value(second, "tags")?.kind else {
            Issue.record("tags")
            return
        }
        #expect(tags.count == 2)
    }

    @Test func valuesRememberTheirPositions() throws {
        let doc = try parse("a = 1\n[log]\n  level = \"info\"\n")
        let level = try #require(value(doc, "log.level"))
        #expect(level.location == SourceLocation(file: "t.toml", line: 3, column: 11))
        guard case .table(let log)? = doc["log"]?.value.kind else {
            Issue.record("log")
            return
        }
        #expect(log["level"]?.keyLocation == SourceLocation(file: "t.toml", line: 3, column: 3))
    }

    @Test(arguments: [
        ("a = 1\na = 2", 2, 1, "defined twice"),
        ("[a]\n[a]", 2, 1, "already defined"),
        ("a = \"open", 1, 10, "not closed"),
        ("a = hello", 1, 5, "strings must be quoted"),
        ("a = 1 b = 2", 1, 7, "end of the line"),
        ("a = 01", 1, 5, "not a valid value"),
        ("a = 1__0", 1, 5, "not a valid value"),
        ("a = 9223372036854775808", 1, 5, "64 bits"),
        ("a = \"\\q\"", 1, 6, "unknown escape"),
        ("a = [1, 2", 1, 5, "not closed"),
        ("a = { b = 1, }", 1, 14, "trailing comma"),
        ("a = { b = 1 }\na.c = 2", 2, 1, "cannot be extended"),
        ("a = [1]\n[[a]]", 2, 1, "cannot extend"),
        ("a.b = 1\n[a]", 2, 1, "already defined"),
        ("= 1", 1, 1, "expected a key"),
        ("a = 2024-02-30", 1, 5, "date-time"),
        ("a = 1\r", 1, 6, "carriage return"),
        ("x = 1\n\n  [t\n", 3, 5, "']'"),
        ("x = 1\n  y = [\n  1,\n  2\n", 2, 7, "array is not closed"),
        // Nesting that would exhaust the stack of a recursive reader (10,000 levels was a SIGSEGV).
        ("y = " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000), 1, 37, "more than 32 levels deep"),
        ("y = " + String(repeating: "{a = ", count: 5_000) + "1" + String(repeating: "}", count: 5_000), 1, 165, "more than 32 levels deep"),
        ("[" + Array(repeating: "a", count: 32_000).joined(separator: ".") + "]", 1, 2, "more than 32 dotted parts"),
        ("k." + Array(repeating: "b", count: 40).joined(separator: ".") + " = 1", 1, 1, "more than 32 dotted parts"),
    ])
    func invalidDocumentsPointAtTheProblem(text: String, line: Int, column: Int, message: String) {
        do throws(ConfigurationProblem) {
            _ = try parse(text)
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.location?.line == line, "\(error)")
            #expect(error.location?.column == column, "\(error)")
            #expect(error.message.contains(message), "\(error)")
        }
    }

    @Test func columnsCountCharactersNotBytes() {
        do throws(ConfigurationProblem) {
            _ = try parse("k = \"é\" x")
            Issue.record("accepted")
        } catch {
            #expect(error.location?.column == 9)
        }
    }
}
