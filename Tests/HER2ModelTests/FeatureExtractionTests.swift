import Foundation
import Support
@testable import SyntheticCohorts
import Testing
import DeepFeatures
import ImageIO
import Volumes
@testable import HER2Model
@testable import SyntheticCohorts
import Support

/// The feature stage on real synthetic studies: names, slice averaging against the backbone
/// called directly, the disk cache (a second run never re-extracts; keys follow weights and
/// inputs), the ICC input, and bad masks refused with the study and file named.
@Suite(.serialized) struct FeatureExtractionTests {
    /// One synthetic cohort shared by the tests of this suite (written once).
    static let cohort: (root: URL, truth: [String: [String: String]]) = {
        let root = temporaryFolder("features-cohort")
        _ = try! SyntheticCohort(patients: 2, seed: 77).write(to: root)
        return (root, try! OracleAlignment.truth(root))
    }()

    static func aligned(_ id: String, folder: URL? = nil) throws -> AlignedStudy {
        let study = try StudyLoader().load(folder ?? cohort.root.appendingPathComponent(id))
        return try OracleAlignment.align(study, truth: cohort.truth[id]!)
    }

    static func settings(_ backbones: [Backbone], cache: URL? = nil) -> FeatureExtraction.Settings {
        var s = FeatureExtraction.Settings()
        s.backbones = backbones
        s.cacheDirectory = cache
        s.threads = 2
        return s
    }

    /// The measures through the real Preprocessor (registration, breast mask, normalisation,
    /// phase times from the files) agree with the generator's truth, as with the known transforms.
    @Test func measuresThroughThePreprocessorMatchTheTruth() throws {
        for id in ["SYN0001", "SYN0002"] {
            let row = Self.cohort.truth[id]!
            let study = try StudyLoader().load(Self.cohort.root.appendingPathComponent(id))
            let aligned = try Preprocessor().align(study)
            let m = try LesionMeasures.measure(try Lesion.of(aligned), in: aligned)
            let trueDiameter = Double(row["maskDiameterMm"]!)!
            #expect(abs(m.diameterMm - trueDiameter) <= 0.1 * trueDiameter, "\(id): \(m.diameterMm) vs \(trueDiameter)")
            #expect(m.summary.kineticType == Int(row["kineticType"]!)!, "\(id): change \(m.curve.delayedChange)")
            #expect(m.summary.peritumoralEdema == (row["peritumoralEdema"] == "true"), "\(id): ratio \(m.edema?.ratio ?? .nan)")
            let automatic = try LesionFinder().find(in: aligned)
            let exact = try NIfTIReader.read(contentsOf: Self.cohort.root.appendingPathComponent("truth/masks/\(id)_tumor_mask.nii.gz")).volume
            #expect(OracleAlignment.dice(automatic.mask, exact) >= 0.8)
            print(String(format: "%@ through the Preprocessor: diameter %.1f (true %.1f), type %d (true %@), oedema ratio %.2f (true %@), automatic Dice %.3f",
                         id, m.diameterMm, trueDiameter, m.summary.kineticType, row["kineticType"]!, m.edema?.ratio ?? .nan,
                         row["peritumoralEdema"]!, OracleAlignment.dice(automatic.mask, exact)))
        }
    }

    @Test func namesAreStableAndOrdered() throws {
        let fx = try FeatureExtraction(settings: Self.settings([.resnet50, .vitSmall]))
        let names = fx.names
        #expect(names.count == 3 * (2048 + 384))
        #expect(names[0] == "resnet50.t1.f0000")
        #expect(names[2048 + 123 + 2048] == "resnet50.dce_sub.f0123")
        #expect(names.last == "vit_small_patch16_224.dce_sub.f0383")
        #expect(Set(names).count == names.count)
    }

    @Test func featuresAreTheBackbonesAveragedOverSlices() throws {
        let aligned = try Self.aligned("SYN0001")
        let fx = try FeatureExtraction(settings: Self.settings([.resnet50]))
        let features = try fx.extract(aligned: aligned)
        #expect(features.names.count == 3 * 2048 && features.reader1.count == 3 * 2048)
        #expect(features.studyId == "SYN0001" && !features.automaticMask && features.seededWeights)
        #expect(features.weightsHashes == ["resnet50": "seeded:\(FeatureExtractor.defaultSeed)"])
        #expect(features.notes.contains { $0.contains("no tumor_mask_reader2") } == false) // synthetic studies have reader 2

        // The reference: the backbone run by hand on the reader-1 patches, mean over slices.
        let lesion = try Lesion.of(aligned)
        let patches = try Patches.make(aligned, mask: lesion.mask)
        let extractor = try FeatureExtractor(backbone: .resnet50, weightsFile: nil)
        for (c, channel) in Patches.Channel.allCases.enumerated() {
            var mean = [Double](repeating: 0, count: 2048)
            let planes = patches.planes[channel]!
            for plane in planes {
                let x = try ImagePreprocessing.imageNetInput(patch: plane.values, height: plane.height, width: plane.width)
                let f = try extractor.embed(nchw: x, options: InferenceOptions(threads: 2))
                for i in 0..<2048 { mean[i] += Double(f.storage[i]) / Double(planes.count) }
            }
            let got = Array(features.reader1[(c * 2048)..<((c + 1) * 2048)])
            let scale = mean.map(abs).max()!
            let err = zip(got, mean).map { abs($0 - $1) }.max()!
            #expect(err <= 1e-4 * scale, "\(channel): max |Δ| \(err) of \(scale)")
        }
        // The second reader's outline moves the crop, and so the features.
        let second = try Patches.make(aligned, mask: try #require(try Lesion.secondReader(aligned)).mask)
        #expect(second.planes[.t1] != patches.planes[.t1])
        #expect(features.reader1 != features.reader2)
    }

    @Test func secondRunReadsTheCache() throws {
        let cache = temporaryFolder("feature-cache")
        defer { try? FileManager.default.removeItem(at: cache) }
        let aligned = try Self.aligned("SYN0002")
        let first = try FeatureExtraction(settings: Self.settings([.efficientnetB0], cache: cache))
        let a = try first.extract(aligned: aligned)
        #expect(first.networkRuns == 1)

        // A new process (a new extraction object) finds everything on disk.
        let second = try FeatureExtraction(settings: Self.settings([.efficientnetB0], cache: cache))
        let whole = try second.cachedFeatures(studyFolder: aligned.study.folder)
        #expect(whole == a)
        let b = try second.extract(aligned: aligned)
        #expect(b == a)
        #expect(second.networkRuns == 0)

        // Other weights are another key: extracted again.
        var other = Self.settings([.efficientnetB0], cache: cache)
        other.weightsSeed = 7
        let third = try FeatureExtraction(settings: other)
        #expect(try third.cachedFeatures(studyFolder: aligned.study.folder) == nil)
        _ = try third.extract(aligned: aligned)
        #expect(third.networkRuns == 1)

        // A damaged entry is a miss, never an error or a wrong answer.
        let key = try second.studyKey(studyFolder: aligned.study.folder)
        try Data("H2MF1\ngarbage".utf8).write(to: FeatureCache(directory: cache).url(key: key))
        #expect(try second.cachedFeatures(studyFolder: aligned.study.folder) == nil)
    }

    @Test func inputHashFollowsTheFiles() throws {
        let root = temporaryFolder("input-hash")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.copyItem(at: Self.cohort.root.appendingPathComponent("SYN0001"), to: root)
        let h0 = try FeatureCache.inputHash(studyFolder: root)
        try Data().write(to: root.appendingPathComponent("READY"))
        #expect(try FeatureCache.inputHash(studyFolder: root) == h0)
        let json = try String(contentsOf: root.appendingPathComponent("study.json"), encoding: .utf8)
        try (json + " ").write(to: root.appendingPathComponent("study.json"), atomically: true, encoding: .utf8)
        #expect(try FeatureCache.inputHash(studyFolder: root) != h0)
    }

    @Test func perturbedMaskIsSeededAndClose() throws {
        let aligned = try Self.aligned("SYN0001")
        let mask = try Lesion.of(aligned).mask
        let a = PerturbedMask(seed: 1).apply(mask, studyId: "SYN0001")
        let b = PerturbedMask(seed: 1).apply(mask, studyId: "SYN0001")
        let c = PerturbedMask(seed: 2).apply(mask, studyId: "SYN0001")
        #expect(a.mask == b.mask)
        #expect(a.mask != c.mask)
        for p in [a, c] {
            let dice = OracleAlignment.dice(p.mask, mask)
            #expect(dice > 0.6 && dice < 0.99, "\(p.change): Dice \(dice)")
        }
    }

    @Test func automaticMaskIsSaidEverywhere() throws {
        let root = temporaryFolder("automatic")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.copyItem(at: Self.cohort.root.appendingPathComponent("SYN0001"), to: root)
        try FileManager.default.removeItem(at: root.appendingPathComponent("tumor_mask.nii.gz"))
        try FileManager.default.removeItem(at: root.appendingPathComponent("tumor_mask_reader2.nii.gz"))
        let aligned = try Self.aligned("SYN0001", folder: root)
        let f = try FeatureExtraction(settings: Self.settings([.efficientnetB0])).extract(aligned: aligned)
        #expect(f.automaticMask)
        #expect(f.notes.contains { $0.hasPrefix("tumour mask found automatically") })
        #expect(f.notes.contains { $0.hasPrefix("no tumor_mask_reader2") })
    }

    @Test func overridesWinAndAreListed() throws {
        let root = temporaryFolder("overrides")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.copyItem(at: Self.cohort.root.appendingPathComponent("SYN0002"), to: root)
        let url = root.appendingPathComponent("study.json")
        var m = try JSONDecoder().decode(StudyManifest.self, from: Data(contentsOf: url))
        m.clinical.tumourSizeMm = 99
        m.clinical.kineticType = 2
        try m.encoded().write(to: url)
        let aligned = try Self.aligned("SYN0002", folder: root)
        let measured = try LesionMeasures.measure(try Lesion.of(aligned), in: aligned)
        #expect(measured.summary.diameterMm == 99 && measured.diameterMm != 99)
        #expect(measured.summary.kineticType == 2)
        #expect(measured.summary.overridden == ["tumourSizeMm", "kineticType"])
    }

    @Test func emptyMaskIsRefusedNamingStudyAndFile() throws {
        let root = temporaryFolder("empty-mask")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.copyItem(at: Self.cohort.root.appendingPathComponent("SYN0001"), to: root)
        let maskURL = root.appendingPathComponent("tumor_mask.nii.gz")
        var mask = try NIfTIReader.read(contentsOf: maskURL).volume
        mask.samples = [Float](repeating: 0, count: mask.samples.count)
        try NIfTIWriter.write(mask, to: maskURL, datatype: .uint8)
        let before = try Data(contentsOf: maskURL)
        let aligned = try Self.aligned("SYN0001", folder: root)
        do {
            _ = try FeatureExtraction(settings: Self.settings([.efficientnetB0])).extract(aligned: aligned)
            Issue.record("an empty mask was accepted")
        } catch let e as HER2ModelError {
            let text = e.description
            #expect(text.contains(root.lastPathComponent) && text.contains("tumor_mask.nii.gz") && text.contains("empty"), "\(text)")
        }
        #expect(try Data(contentsOf: maskURL) == before)
    }

    @Test func maskOnAnotherGridIsRefused() throws {
        let aligned = try Self.aligned("SYN0001")
        var geometry = aligned.dce.geometry
        geometry.origin.x += 5
        let shifted = try Volume(size: aligned.dce.size, geometry: geometry, repeating: 1)
        let study = aligned.study
        let moved = Study(folder: study.folder, manifest: study.manifest, source: study.source, t1: study.t1, t2: study.t2,
                          dce: study.dce, tumourMask: shifted, secondReaderMask: nil, classification: nil, notes: [])
        let bad = AlignedStudy(study: moved, dce: aligned.dce, t1: aligned.t1, t2: aligned.t2, breastMask: aligned.breastMask,
                               phaseMinutes: aligned.phaseMinutes, normalisation: aligned.normalisation, provenance: aligned.provenance)
        #expect { try Lesion.of(bad) } throws: { e in
            "\(e)".contains("SYN0001") && "\(e)".contains("tumor_mask.nii.gz") && "\(e)".contains("grid")
        }
    }

    @Test func timingPerBackboneWhenAsked() throws {
        guard ProcessInfo.processInfo.environment["HER2MRI_FEATURE_TIMING"] != nil else {
            print("skip timingPerBackboneWhenAsked: set HER2MRI_FEATURE_TIMING=1 (tools/feature_timing.sh) to print stage times")
            return
        }
        let aligned = try Self.aligned("SYN0001")
        let fx = try FeatureExtraction(settings: Self.settings(Backbone.allCases))
        _ = try fx.extractTimed(aligned: aligned) // builds the networks and their primitives
        for run in 1...3 {
            let (_, seconds) = try fx.extractTimed(aligned: aligned)
            print("FEATURE TIMING run \(run): " + seconds.sorted { $0.key < $1.key }.map { String(format: "%@ %.3f s", $0.key, $0.value) }.joined(separator: ", "))
        }
    }
}
