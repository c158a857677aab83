import Foundation

/// A progress bar on standard error, drawn only when standard error is a terminal.
enum ProgressBar {
    /// A callback drawing "studies  [#####.....]  12/40", or nil when stderr is not a terminal.
    static func studies() -> (@Sendable (Int, Int) -> Void)? {
        guard isatty(2) != 0 else { return nil }
        return { done, total in
            let width = 30
            let filled = total > 0 ? width * done / total : width
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandle.standardError.write(Data("\rstudies  [\(bar)]  \(done)/\(total)".utf8))
        }
    }

    /// Ends the bar's line.
    static func finish() {
        if isatty(2) != 0 { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
