/// Everything in the Reports room that a user or a file can cause. Each case names what was
/// wrong and where, and the likely fix when there is one.
public enum ReportsError: Error, Equatable, CustomStringConvertible {
    /// Cairo failed while drawing or writing a PDF.
    case drawing(String)
    /// A predictions CSV cell or column was wrong (line 1 is the header; column by name and number).
    case predictions(path: String, line: Int, column: String?, reason: String)
    /// A template or site configuration file could not be read.
    case template(path: String, reason: String)
    /// An HL7 message could not be built, encoded or validated.
    case hl7(String)
    /// An output could not be written.
    case output(path: String, reason: String)
    /// An input to a report was inconsistent (lengths, ranges).
    case invalidInput(String)
    /// Studies of a cohort folder failed in the prediction chain (each "study: fault").
    case cohort(path: String, failures: [String])

    public var description: String {
        switch self {
        case let .drawing(m): return "drawing the PDF failed: \(m)"
        case let .predictions(path, line, column, reason):
            let col = column.map { ", column \($0)" } ?? ""
            return "\(path): line \(line)\(col): \(reason)"
        case let .template(path, reason): return "\(path): \(reason); potential fix: compare with the file shipped in templates/reports/"
        case let .hl7(m): return "HL7 message: \(m)"
        case let .output(path, reason): return "cannot write \(path): \(reason)"
        case let .invalidInput(m): return m
        case let .cohort(path, failures):
            return "\(path): \(failures.count) stud\(failures.count == 1 ? "y" : "ies") failed, nothing was written; fix or move them out of the cohort folder and rerun:\n"
                + failures.map { "  " + $0 }.joined(separator: "\n")
        }
    }
}
