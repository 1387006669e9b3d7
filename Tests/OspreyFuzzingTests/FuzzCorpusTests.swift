import Foundation
import OspreyCore
import OspreyFuzzing
import Testing

/// The fuzz targets in every test run: each seed of Tests/FuzzCorpus/<target>/ (the files libFuzzer starts
/// from, and any crash it found, kept as a regression), then deterministic mutations of them (bit flips,
/// cuts, splices, repeated runs, digits made huge, nesting made deep). A crash here is a crash of the test
/// process, so passing means none of them crashed; `.ci/fuzz` runs libFuzzer for a million inputs each.
@Suite struct FuzzCorpusTests {
    static let corpus = String(#filePath.dropLast("OspreyFuzzingTests/FuzzCorpusTests.swift".count)) + "FuzzCorpus/"

    static func seeds(_ target: FuzzTarget) throws -> [[UInt8]] {
        let directory = corpus + target.rawValue
        return try FileManager.default.contentsOfDirectory(atPath: directory).sorted().map { Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + $0))) }
    }

    /// One mutation of `seed`, as a fuzzer's simplest strategies make them.
    static func mutate(_ seed: [UInt8], _ other: [UInt8], _ generator: inout SplitMix64) -> [UInt8] {
        var bytes = seed
        let position = bytes.isEmpty ? 0 : Int(generator.next() % UInt64(bytes.count))
        switch generator.next() % 7 {
        case 0 where !bytes.isEmpty: bytes[position] ^= UInt8(1 << (generator.next() % 8))
        case 1: bytes = Array(bytes.prefix(position))
        case 2: bytes.insert(contentsOf: other.prefix(Int(generator.next() % 64)), at: position)
        case 3 where !bytes.isEmpty: bytes.insert(contentsOf: repeatElement(bytes[position], count: Int(generator.next() % 300)), at: position)
        case 4: bytes.insert(contentsOf: Array(String(repeating: "9", count: Int(generator.next() % 60) + 20).utf8), at: position)
        case 5:
            let opener = [UInt8("[".utf8.first!), UInt8("{".utf8.first!)][Int(generator.next() % 2)]
            bytes.insert(contentsOf: repeatElement(opener, count: Int(generator.next() % 200)), at: position)
        default: bytes.removeSubrange(position..<min(bytes.count, position + Int(generator.next() % 16)))
        }
        return bytes
    }

    @Test(arguments: FuzzTarget.allCases)
    func seedsAndTheirMutationsNeverCrash(_ target: FuzzTarget) throws {
        let seeds = try Self.seeds(target)
        #expect(!seeds.isEmpty, "Tests/FuzzCorpus/\(target.rawValue) has seeds")
        var generator = SplitMix64(seed: 0x05B2E7)
        for seed in seeds {
            seed.withUnsafeBytes { target.run($0) }
            for _ in 0..<300 {
                let mutated = Self.mutate(seed, seeds[Int(generator.next() % UInt64(seeds.count))], &generator)
                mutated.withUnsafeBytes { target.run($0) }
            }
        }
    }
}
