import DeepFeatures
import Foundation
import Support

/// The name a study goes by in logs: a salted hash of its patient ID and accession number, so
/// logs never carry names or identifiers in clear while one study's lines still group together.
///
/// `key = "study-" + first 16 hex digits of SHA-256(salt ‖ 0x1F ‖ patientID ‖ 0x1F ‖ accession)`.
/// The salt is a secret of the installation (`HER2MRI_STUDY_KEY_SALT`, or a random one kept in
/// `~/.config/her2mri/study-key-salt`, readable by its owner only): without it a key cannot be
/// recomputed from a guessed patient ID.
public struct StudyKey: Hashable, Sendable, CustomStringConvertible {
    public let value: String

    public init(patientID: String, accessionNumber: String?, salt: [UInt8]) {
        var bytes = salt
        bytes.append(0x1F)
        bytes += Array(patientID.utf8)
        bytes.append(0x1F)
        bytes += Array((accessionNumber ?? "").utf8)
        value = "study-" + SHA256.hex(bytes).prefix(16)
    }

    public var description: String { value }

    /// Replaces every identifier of `manifest` (patient ID, name and its parts, birth date,
    /// accession number) found in `message` with this key: the last guard before a log line.
    public func redacting(_ message: String, identifiers manifest: StudyManifest) -> String {
        var secrets = [manifest.patient.id, manifest.study.accessionNumber, manifest.patient.birthDate].compactMap { $0 }
        if let name = manifest.patient.name {
            secrets.append(name)
            secrets += name.split(whereSeparator: { "^= ".contains($0) }).map(String.init).filter { $0.count >= 3 }
        }
        var out = message
        for s in secrets.filter({ !$0.isEmpty }).sorted(by: { $0.count > $1.count }) {
            out = out.replacingOccurrences(of: s, with: value, options: [.caseInsensitive])
        }
        return out
    }

    /// The installation's salt: `HER2MRI_STUDY_KEY_SALT` when set, else the salt file, made with
    /// 32 random bytes (mode 0600) the first time.
    public static func installationSalt(environment: [String: String] = ProcessInfo.processInfo.environment,
                                        file: URL? = nil) throws -> [UInt8] {
        if let s = environment["HER2MRI_STUDY_KEY_SALT"], !s.isEmpty { return Array(s.utf8) }
        let url = file ?? FileManager.default.homeDirectoryForCurrentUser
            .appendingPathComponent(".config/her2mri/study-key-salt")
        if let existing = FileManager.default.contents(atPath: url.path), existing.count >= 16 { return Array(existing) }
        var g = SystemRandomNumberGenerator()
        let salt = (0..<32).map { _ in UInt8.random(in: 0...255, using: &g) }
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let temporary = url.appendingPathExtension("tmp-\(ProcessInfo.processInfo.processIdentifier)")
        try Data(salt).write(to: temporary)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: temporary.path)
        if (try? FileManager.default.moveItem(at: temporary, to: url)) == nil {
            // Another process made it first: use theirs.
            try? FileManager.default.removeItem(at: temporary)
            if let theirs = FileManager.default.contents(atPath: url.path), theirs.count >= 16 { return Array(theirs) }
        }
        return salt
    }
}
