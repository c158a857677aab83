import Foundation
import Testing

/// Same seed, same bytes, across processes: two separate runs of the built `her2mri synth`
/// write a DICOM cohort with one patient per centre (four vendor styles), and every file —
/// DICOM slices, study.json, masks, labels and truth — is byte-identical. Per-process state
/// (Swift's randomly seeded hashing, dictionary order, the clock, process ids, UUIDs) would
/// change bytes between the two runs; a single-process comparison cannot see it.
@Suite struct SynthReproducibilityTests {
    /// Every regular file under `root`, by relative path.
    static func files(under root: URL) throws -> [String: Data] {
        var out: [String: Data] = [:]
        let walker = try #require(FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]))
        for case let url as URL in walker where try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true {
            out[String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count))] = try Data(contentsOf: url)
        }
        return out
    }

    @Test(.timeLimit(.minutes(5)))
    func twoProcessesWriteTheSameDICOMCohort() throws {
        let a = Binary.temporaryFolder("repro-a"), b = Binary.temporaryFolder("repro-b")
        defer { for u in [a, b] { try? FileManager.default.removeItem(at: u) } }
        // The two processes run at the same time (they must not share anything either).
        let runs = Locked<[Int: Binary.Run]>([:])
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            let out = k == 0 ? a : b
            if let run = try? Binary.run(["synth", "--out", out.path, "--patients", "4", "--seed", "31", "--format", "dicom"]) {
                runs.update { $0[k] = run }
            }
        }
        for k in 0..<2 {
            let run = try #require(runs.get()[k], "synth run \(k) did not start")
            try #require(run.status == 0, "synth run \(k): \(run.stderr)")
        }
        let fa = try Self.files(under: a), fb = try Self.files(under: b)
        // One patient per centre, in DICOM.
        let labels = String(decoding: try #require(fa["/labels.csv"]), as: UTF8.self)
        let centres = Set(labels.split(separator: "\n").dropFirst().compactMap { $0.split(separator: ",").last.map(String.init) })
        #expect(centres.count == 4, "centres \(centres)")
        let dicomFiles = fa.keys.filter { $0.hasPrefix("/SYN") && ($0.contains("/T1/") || $0.contains("/T2/") || $0.contains("/DCE/")) }
        #expect(dicomFiles.count >= 4 * 3, "\(dicomFiles.count) DICOM files")
        #expect(dicomFiles.allSatisfy { fa[$0]?.count ?? 0 > 132 && fa[$0]![128..<132] == Data("DICM".utf8) })

        #expect(fa.keys.sorted() == fb.keys.sorted(), "the two runs wrote different file sets")
        let differing = fa.keys.sorted().filter { fa[$0] != fb[$0] }
        #expect(differing.isEmpty, "\(differing.count) files differ between two processes with one seed: \(differing.prefix(5))")
    }
}
