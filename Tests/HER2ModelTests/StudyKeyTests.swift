import Foundation
import Testing
@testable import HER2Model

@Suite struct StudyKeyTests {
    let manifest = StudyManifest(
        patient: .init(id: "P0042-B", name: "Ødegård^Åsa", birthDate: "19700102", sex: "F"),
        study: .init(accessionNumber: "ACCB0042", date: "20250101", centre: "B"),
        clinical: .init(age: 55), her2: nil, sequences: nil)

    @Test func keyIsStableSaltedAndNotTheIdentifier() {
        let a = StudyKey(patientID: "P0042-B", accessionNumber: "ACCB0042", salt: Array("s1".utf8))
        let b = StudyKey(patientID: "P0042-B", accessionNumber: "ACCB0042", salt: Array("s1".utf8))
        let c = StudyKey(patientID: "P0042-B", accessionNumber: "ACCB0042", salt: Array("s2".utf8))
        let d = StudyKey(patientID: "P0042-B", accessionNumber: "ACCB0043", salt: Array("s1".utf8))
        #expect(a == b && a != c && a != d)
        #expect(a.value.hasPrefix("study-") && a.value.count == 22)
        #expect(!a.value.contains("0042"))
        // SHA-256 of "s1\u{1F}P0042-B\u{1F}ACCB0042", computed with Python's hashlib.
        #expect(a.value == "study-" + "\(Self.pythonDigest.prefix(16))")
    }

    /// `python3 -c 'import hashlib; print(hashlib.sha256(b"s1\x1fP0042-B\x1fACCB0042").hexdigest())'`
    static let pythonDigest = "a08cd43a20bc3e2f127e93ba12a1c8a6743549595e4dae7c24718d803707732d"

    @Test func redactionRemovesEveryIdentifierFromALogLine() {
        let key = StudyKey(patientID: "P0042-B", accessionNumber: "ACCB0042", salt: Array("s".utf8))
        let line = key.redacting("failed: patient P0042-B ØDEGÅRD, Åsa (acc ACCB0042, born 19700102): Ødegård^Åsa", identifiers: manifest)
        for secret in ["P0042-B", "Ødegård", "ØDEGÅRD", "Åsa", "ACCB0042", "19700102"] { #expect(!line.contains(secret), "\(line)") }
        #expect(line.contains(key.value))
    }

    @Test func saltComesFromTheEnvironmentOrAPrivateFile() throws {
        #expect(try StudyKey.installationSalt(environment: ["HER2MRI_STUDY_KEY_SALT": "abc"]) == Array("abc".utf8))
        let file = temporaryFolder("salt").appendingPathComponent("salt")
        defer { try? FileManager.default.removeItem(at: file.deletingLastPathComponent()) }
        let first = try StudyKey.installationSalt(environment: [:], file: file)
        let second = try StudyKey.installationSalt(environment: [:], file: file)
        #expect(first == second && first.count == 32)
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
    }
}
