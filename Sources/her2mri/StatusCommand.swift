import ArgumentParser
import DropFolder
import Foundation

struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "What the drop-folder ledger says: counts by state, recent failures, throughput.")

    @Option(help: "The watcher's work folder (where ledger.sqlite is).") var work: String
    @Flag(help: "Machine-readable output.") var json = false

    func run() throws {
        let report = try runReportingErrors { try StatusReport(work: URL(fileURLWithPath: work)) }
        print(json ? report.json.serialized() : report.text)
    }
}
