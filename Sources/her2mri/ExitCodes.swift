import ArgumentParser
import Foundation

/// The one place where outcomes become exit codes.
enum ExitCodes {
    /// An input could not be read or a step failed: the message was printed, exit 1.
    static let failure = ExitCode(1)
    /// The command line itself was wrong (sysexits EX_USAGE).
    static let usage = ExitCode(64)
}

/// Runs a library call; a thrown error is printed as `her2mri: error: <message>` on standard
/// error and becomes exit code 1 (argument-parser's own errors keep their usage code 64).
func runReportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch {
        printError("her2mri: error: \(error)")
        throw ExitCodes.failure
    }
}

/// The same for an async library call.
func runReportingErrorsAsync<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        printError("her2mri: error: \(error)")
        throw ExitCodes.failure
    }
}

/// Failures the command line itself detects before calling a library.
enum CommandLineError: Error, CustomStringConvertible {
    case missingInput(String)

    var description: String {
        switch self {
        case .missingInput(let path): return "\(path): no such file or folder"
        }
    }
}

/// Writes a line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
