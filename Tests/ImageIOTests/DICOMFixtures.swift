import Foundation

/// The committed DICOM fixtures (`fixtures/dicom/`), made by pydicom with the scripts named in
/// each reference JSON's `provenance` (tools/dicom_*.py, which say how to rerun them).
enum DICOMFixtures {
    static let root: URL = {
        // This file is <repo>/Tests/ImageIOTests/DICOMFixtures.swift.
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("fixtures/dicom")
    }()

    static func url(_ name: String) -> URL { root.appendingPathComponent(name) }

    /// The `files` array of a reference JSON, with its provenance line.
    static func reference(_ name: String) throws -> (provenance: String, files: [[String: Any]]) {
        let data = try Data(contentsOf: url(name))
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        return (object["provenance"] as? String ?? "", object["files"] as? [[String: Any]] ?? [])
    }
}
