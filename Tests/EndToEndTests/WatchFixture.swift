import Foundation
import Testing

/// What the drop-folder tests run `her2mri watch` with, made once per test process through the
/// binary: a small synthetic cohort (NIfTI, plus one study as DICOM folders) and a
/// demonstration model trained on it with the cheapest backbone (EfficientNet-B0, seeded
/// weights; labels alternate so the classes are balanced whatever the seed draws).
enum WatchFixture {
    struct Made: Sendable {
        let root: URL
        /// NIfTI studies `SYN0001`… (the training cohort, and the images the soak's studies reuse).
        let cohort: URL
        let studies: [String]
        /// Each study's centre (studies of different centres have different voxel grids).
        let centres: [String: String]
        /// One study as T1/, T2/, DCE/ folders of DICOM files.
        let dicomStudy: URL
        let model: URL
        /// Seconds `her2mri predict` took for one study (for the test's printed figures).
        let predictSeconds: Double
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }

    static let patients = 16
    static let rootPath = FileManager.default.temporaryDirectory
        .appendingPathComponent("her2mri-watch-fixture-\(ProcessInfo.processInfo.processIdentifier)").path

    /// Made on first use (a static let: concurrent suites wait for the one making it).
    static let made: Result<Made, Failure> = {
        do { return .success(try make()) } catch let f as Failure { return .failure(f) } catch {
            return .failure(Failure("\(error)"))
        }
    }()

    private static func make() throws -> Made {
        let root = URL(fileURLWithPath: rootPath)
        try? FileManager.default.removeItem(at: root)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: WatchFixture.rootPath) }
        let cohort = root.appendingPathComponent("cohort")
        let synth = try Binary.run(["synth", "--out", cohort.path, "--patients", "\(patients)", "--seed", "12"])
        guard synth.status == 0 else { throw Failure("synth failed: \(synth.stderr)") }
        let dicom = root.appendingPathComponent("dicom")
        let synthDICOM = try Binary.run(["synth", "--out", dicom.path, "--patients", "1", "--seed", "77", "--format", "dicom"])
        guard synthDICOM.status == 0 else { throw Failure("synth --format dicom failed: \(synthDICOM.stderr)") }

        // Balanced labels over the studies' own centres.
        let rows = try String(contentsOf: cohort.appendingPathComponent("labels.csv"), encoding: .utf8)
            .split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
        var labels = "studyId,her2,centre\n"
        var centres: [String: String] = [:]
        for (i, r) in rows.enumerated() {
            labels += "\(r[0]),\(i % 2 == 0 ? "positive" : "negative"),\(r[2])\n"
            centres[r[0]] = r[2]
        }
        let labelsFile = root.appendingPathComponent("labels.csv")
        try labels.write(to: labelsFile, atomically: true, encoding: .utf8)
        let modelFolder = root.appendingPathComponent("model")
        try FileManager.default.createDirectory(at: modelFolder, withIntermediateDirectories: true)
        let model = modelFolder.appendingPathComponent("model.json")
        let train = try Binary.run(["train", "--cohort", cohort.path, "--labels", labelsFile.path, "--out", model.path,
                                    "--backbones", "efficientnet_b0", "--folds", "3"])
        guard train.status == 0 else { throw Failure("train failed: \(train.stderr)") }

        let studies = rows.map { $0[0] }
        let started = Date()
        let predict = try Binary.run(["predict", cohort.appendingPathComponent(studies[0]).path, "--model", model.path,
                                      "--out", root.appendingPathComponent("predict-check").path])
        guard predict.status == 0 else { throw Failure("predict failed: \(predict.stderr)") }
        let seconds = Date().timeIntervalSince(started)
        let dicomStudy = try FileManager.default.contentsOfDirectory(atPath: dicom.path).filter { $0.hasPrefix("SYN") }.first
            .map { dicom.appendingPathComponent($0) }
        guard let dicomStudy else { throw Failure("synth --format dicom wrote no study folder") }
        return Made(root: root, cohort: cohort, studies: studies, centres: centres, dicomStudy: dicomStudy,
                    model: model, predictSeconds: seconds)
    }
}
