import Foundation

/// The name of a study folder in the inbox, checked before anything is done with it: a name
/// that could escape the inbox or the outbox, or confuse a log line, is refused.
public enum StudyName {
    /// Why `raw` (the file name's bytes as the file system gives them) is not a usable study
    /// name, or nil when it is.
    public static func problem(_ raw: [UInt8]) -> String? {
        guard let name = String(validating: raw, as: UTF8.self) else { return "the name is not valid UTF-8" }
        if name.isEmpty || name == "." || name == ".." { return "the name is empty or a path step" }
        if name.contains("/") || name.contains("..") { return "the name contains '/' or '..'" }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" }) {
            return "the name contains a line break or control character"
        }
        if raw.count > 200 { return "the name is longer than 200 bytes" }
        return nil
    }
}
