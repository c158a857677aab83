import DeepFeatures
import Foundation
import Radiomics
import SyntheticCohorts
import Testing
import Volumes
@testable import HER2Model

/// The radiomics family on a synthetic study: its names, its values against the Radiomics room
/// run directly on the whole (uncropped) normalised volumes, and the feature cache — a cache
/// filled by a deep-only run answers the deep part of a deep,radiomics run (no backbone runs
/// again), and a second deep,radiomics run answers everything without loading the study.
@Suite(.serialized) struct RadiomicsFamilyTests {
    static let cohort: (root: URL, truth: [String: [String: String]]) = {
        let root = temporaryFolder("radiomics-family-cohort")
        _ = try! SyntheticCohort(patients: 1, seed: 91).write(to: root)
        return (root, try! OracleAlignment.truth(root))
    }()

    static func aligned() throws -> AlignedStudy {
        let study = try StudyLoader().load(cohort.root.appendingPathComponent("SYN0001"))
        return try OracleAlignment.align(study, truth: cohort.truth["SYN0001"]!)
    }

    static func settings(_ families: [FeatureFamily], cache: URL? = nil) -> FeatureExtraction.Settings {
        var s = FeatureExtraction.Settings()
        s.backbones = [.efficientnetB0]
        s.families = families
        s.cacheDirectory = cache
        s.threads = 2
        return s
    }

    @Test func namesFollowTheDeepOnesInAFixedOrder() throws {
        let deep = try FeatureExtraction(settings: Self.settings([.deep]))
        let both = try FeatureExtraction(settings: Self.settings([.deep, .radiomics]))
        let extra = Array(both.names.dropFirst(deep.names.count))
        #expect(Array(both.names.prefix(deep.names.count)) == deep.names)
        // 14 shape features once, then 93 intensity features (18 + 24 + 16 + 16 + 14 + 5) per channel.
        #expect(extra.count == 14 + 3 * 93)
        #expect(extra.prefix(14).allSatisfy { $0.hasPrefix("radiomics.mask.original_shape_") })
        #expect(extra.contains("radiomics.t2.original_glcm_Contrast"))
        #expect(extra.contains("radiomics.dce_sub.original_firstorder_Mean"))
        #expect(Set(extra).count == extra.count)
        #expect(extra.allSatisfy { FeatureFamily.of(featureName: $0) == .radiomics })
        #expect(deep.names.allSatisfy { FeatureFamily.of(featureName: $0) == .deep })
        #expect(throws: HER2ModelError.self) { try FeatureExtraction(settings: Self.settings([.radiomics])) }
    }

    /// Reader 1's radiomics equal the extractor run on the whole grid (no crop) of the images
    /// made independently here: z-score map × 100, and (phase 1 − phase 0) / DCE scale × 100.
    @Test func valuesAreTheExtractorsOnTheWholeNormalisedVolumes() throws {
        let aligned = try Self.aligned()
        let fx = try FeatureExtraction(settings: Self.settings([.deep, .radiomics]))
        let f = try fx.extract(aligned: aligned)
        let value = Dictionary(uniqueKeysWithValues: zip(f.names, f.reader1))
        let mask = try Lesion.of(aligned).mask
        func z(_ key: String, _ v: Volume) -> IntensityNormalisation {
            aligned.normalisation[key] ?? Patches.zscore(v, in: aligned.breastMask)
        }
        let n1 = z("T1", aligned.t1), scale = z("DCE", aligned.dce.phase(0)).scale
        let t1 = try Volume(size: aligned.t1.size, geometry: aligned.t1.geometry,
                            samples: aligned.t1.samples.map { Float(Double(n1.apply($0)) * 100) })
        let p0 = aligned.dce.phase(0), p1 = aligned.dce.phase(1)
        let sub = try Volume(size: p0.size, geometry: p0.geometry,
                             samples: zip(p1.samples, p0.samples).map { Float(Double($0 - $1) / scale * 100) })
        var checked = 0
        for (prefix, image) in [("t1", t1), ("dce_sub", sub)] {
            for (name, v) in try RadiomicsExtractor.extract(image: image, mask: mask).features {
                let ours = try #require(value[name.hasPrefix("original_shape_") ? "radiomics.mask.\(name)" : "radiomics.\(prefix).\(name)"])
                let reference = Double(Float(v))
                #expect(abs(ours - reference) <= 1e-6 * max(1, abs(reference)), "\(prefix) \(name): \(ours) vs \(reference)")
                checked += 1
            }
        }
        #expect(checked == 2 * 107)
        // The second reader's mask differs, and so do its features.
        #expect(f.reader2 != f.reader1)
    }

    @Test func aDeepOnlyCacheServesTheDeepPart() throws {
        let cache = temporaryFolder("radiomics-family-cache")
        defer { try? FileManager.default.removeItem(at: cache) }
        let aligned = try Self.aligned()
        let folder = aligned.study.folder
        let deepOnly = try FeatureExtraction(settings: Self.settings([.deep], cache: cache))
        let deep = try deepOnly.extract(aligned: aligned)
        #expect(deepOnly.networkRuns == 1)

        let both = try FeatureExtraction(settings: Self.settings([.deep, .radiomics], cache: cache))
        #expect(try both.cachedFeatures(studyFolder: folder) == nil)   // radiomics not there yet
        let (full, seconds) = try both.extractTimed(aligned: aligned)
        #expect(both.networkRuns == 0)                                  // the deep part came from the cache
        #expect(seconds["radiomics"] != nil && seconds["patches"] == nil)
        #expect(Array(full.reader1.prefix(deep.names.count)) == deep.reader1)
        #expect(full.names == both.names && full.notes == deep.notes)

        // A new process finds both families without loading the study; the deep-only run still
        // reads its own entry.
        let again = try FeatureExtraction(settings: Self.settings([.deep, .radiomics], cache: cache))
        #expect(try again.cachedFeatures(studyFolder: folder) == full)
        #expect(try FeatureExtraction(settings: Self.settings([.deep], cache: cache)).cachedFeatures(studyFolder: folder) == deep)
    }
}
