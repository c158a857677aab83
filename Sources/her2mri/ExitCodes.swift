import ArgumentParser

/// The one place where outcomes become exit codes.
enum ExitCodes {
    /// An input could not be read or a step failed: the message was printed, exit 1.
    static let failure = ExitCode(1)
    /// The command line itself was wrong (sysexits EX_USAGE).
    static let usage = ExitCode(64)
}
