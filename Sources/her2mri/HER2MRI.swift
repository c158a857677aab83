import ArgumentParser

/// The command line. Each subcommand parses, calls one library function, prints, and maps the
/// outcome to an exit code (0 success, 1 a failed input, 64 usage — see `ExitCodes`).
@main
struct HER2MRI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "her2mri",
        abstract: "Predict HER2 status from multi-sequence breast MRI plus clinical data, and explain it with a nomogram.",
        discussion: """
        Research software. Models trained on synthetic studies are demonstration models, \
        not for clinical use.
        """,
        subcommands: [InspectCommand.self, SynthCommand.self, EmbedCommand.self, StatsCommand.self,
                      BenchCommand.self, DemoCommand.self, WatchCommand.self, StatusCommand.self,
                      RegisterCommand.self]
    )
}
