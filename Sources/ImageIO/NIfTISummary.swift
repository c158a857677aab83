import Foundation

/// PLACEHOLDER — replaced by the NIfTI reader work.
public struct NIfTISummary: Encodable, Sendable {
    public init(contentsOf url: URL) throws {
        throw ImageIOError.unsupported(file: url.path, reason: "NIfTI reader not yet built")
    }
}
