import Foundation
import Testing

@Suite struct CommandLineTests {
    @Test(arguments: [[], ["inspect"], ["convert"], ["synth"], ["demo"]])
    func everyCommandExplainsItself(_ command: [String]) throws {
        let run = try Binary.run(command + ["--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("USAGE"))
        #expect(run.stdout.count > 200)
    }

    @Test func usageErrorsExitWith64() throws {
        let run = try Binary.run(["synth", "--patients", "0", "--out", "/nonexistent"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("--patients"))
        #expect(try Binary.run(["no-such-command"]).status == 64)
    }

    @Test func inspectOfMissingOrUnreadableFileFailsClearly() throws {
        let missing = try Binary.run(["inspect", "--json", "/nonexistent/file.dcm"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("/nonexistent/file.dcm"))

        let folder = Binary.temporaryFolder("garbage")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let garbage = folder.appendingPathComponent("garbage.dcm")
        try Data(repeating: 0x41, count: 300).write(to: garbage)
        let run = try Binary.run(["inspect", "--json", garbage.path])
        #expect(run.status == 1)
        let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        #expect((object?["error"] as? String)?.contains("garbage.dcm") == true)
        #expect(try Data(contentsOf: garbage) == Data(repeating: 0x41, count: 300)) // input untouched
    }
}
