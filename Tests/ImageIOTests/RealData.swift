import Foundation
import Testing

/// Where the real scanner / toolkit files live: `../shared/realdata` beside the repository
/// (CI has it there too), or `HER2MRI_REALDATA` when set. Tests that need them use
/// `.enabled(if: RealData.available, RealData.skipReason)` so a missing folder is a printed skip.
enum RealData {
    static let root: URL = {
        if let env = ProcessInfo.processInfo.environment["HER2MRI_REALDATA"] {
            return URL(fileURLWithPath: env)
        }
        // This file is <repo>/Tests/ImageIOTests/RealData.swift.
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return repo.deletingLastPathComponent().appendingPathComponent("shared/realdata")
    }()

    static var available: Bool {
        FileManager.default.fileExists(atPath: root.appendingPathComponent("reference").path)
    }

    static let skipReason: Comment = "skipped: ../shared/realdata is absent (set HER2MRI_REALDATA to its path)"

    static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    /// The pydicom / nibabel reference objects of `reference/<name>.json`.
    static func reference(_ name: String) throws -> [[String: Any]] {
        let data = try Data(contentsOf: url("reference/\(name).json"))
        return (try JSONSerialization.jsonObject(with: data) as? [[String: Any]]) ?? []
    }
}
