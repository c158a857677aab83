import Foundation
import Testing
import ImageIO
import Volumes
@testable import HER2Model
@testable import SyntheticCohorts

/// A fresh folder under the temporary directory for one test.
private func scratchFolder(_ name: String) -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("her2mri-prep-\(ProcessInfo.processInfo.processIdentifier)-\(name)")
    try? FileManager.default.removeItem(at: url)
    return url
}

/// The generator's rigid offsets of one study, read from truth/truth.csv (the public contract).
struct TruthOffsets {
    var centre: String
    var t1: RigidTransform
    var t2: RigidTransform
    var dce: [RigidTransform]

    static func read(_ root: URL) throws -> [String: TruthOffsets] {
        let text = try String(contentsOf: root.appendingPathComponent("truth/truth.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",").map(String.init)
        func column(_ name: String) -> Int { header.firstIndex(of: name)! }
        var out: [String: TruthOffsets] = [:]
        for line in lines.dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            func d(_ name: String) -> Double { Double(f[column(name)])! }
            func rigid(_ p: String) -> RigidTransform {
                RigidTransform(rotationDegrees: SIMD3(d("\(p)RotX"), d("\(p)RotY"), d("\(p)RotZ")),
                               translation: SIMD3(d("\(p)TransX"), d("\(p)TransY"), d("\(p)TransZ")))
            }
            let dce = f[column("dceMotion")].split(separator: "|").map { phase -> RigidTransform in
                let v = phase.split(separator: " ").map { Double($0)! }
                return RigidTransform(rotationDegrees: SIMD3(v[0], v[1], v[2]), translation: SIMD3(v[3], v[4], v[5]))
            }
            out[f[column("studyId")]] = TruthOffsets(centre: f[column("centre")], t1: rigid("t1"), t2: rigid("t2"), dce: dce)
        }
        return out
    }
}

/// Rotation error (degrees, the angle of R_a R_bᵀ) and translation error (mm): the two maps'
/// difference at the generator's centre of rotation, the world origin.
func offsetError(_ found: RigidTransform, _ truth: RigidTransform) -> (degrees: Double, mm: Double) {
    let ra = found.rotationRows, rb = truth.rotationRows
    var trace = 0.0
    for r in 0..<3 { trace += (ra[r] * rb[r]).sum() }
    let angle = acos(max(-1, min(1, (trace - 1) / 2))) * 180 / .pi
    let d = found.apply(truth.centre) - truth.apply(truth.centre)
    return (angle, (d * d).sum().squareRoot())
}

/// One study per centre (patients 0–3 are centres A–D), aligned once for the suite.
@Suite(.serialized) struct PreprocessorTests {
    static let cohort: (root: URL, aligned: [String: AlignedStudy], truth: [String: TruthOffsets]) = {
        let root = scratchFolder("cohort")
        _ = try! SyntheticCohort(patients: 4, seed: 2024).write(to: root)
        let truth = try! TruthOffsets.read(root)
        var aligned: [String: AlignedStudy] = [:]
        for id in truth.keys.sorted() {
            let study = try! StudyLoader().load(root.appendingPathComponent(id))
            aligned[id] = try! Preprocessor().align(study)
        }
        return (root, aligned, truth)
    }()

    @Test func registrationRecoversTheGeneratorsOffsetsOnEveryCentre() throws {
        let (_, aligned, truth) = PreprocessorTests.cohort
        #expect(Set(truth.values.map(\.centre)) == ["A", "B", "C", "D"])
        for (id, a) in aligned.sorted(by: { $0.key < $1.key }) {
            let t = truth[id]!
            let regs = Dictionary(uniqueKeysWithValues: a.provenance.registrations.map { ($0.moving, $0) })
            var expected: [(String, RigidTransform)] = [("T1", t.t1), ("T2", t.t2)]
            for p in 1..<t.dce.count { expected.append(("DCE phase \(p)", t.dce[p])) }
            for (name, truthTransform) in expected {
                let r = try #require(regs[name], "\(id): no registration of \(name)")
                let e = offsetError(r.transform, truthTransform)
                print(String(format: "%@ centre %@ %-12@ rotation error %.3f°  translation error %.3f mm  (true shift %.2f mm)",
                             id, t.centre, name, e.degrees, e.mm, (truthTransform.translation * truthTransform.translation).sum().squareRoot()))
                #expect(e.degrees < 1 && e.mm < 1, "\(id) (centre \(t.centre)) \(name): \(e.degrees)°, \(e.mm) mm")
                #expect(r.metricAfter <= r.metricBefore, "\(id) \(name): the metric got worse")
            }
        }
    }

    @Test func everythingLandsOnTheDCEGrid() throws {
        for (_, a) in PreprocessorTests.cohort.aligned {
            let g = a.study.dce.geometry, size = a.study.dce.size
            for v in [a.dce, a.t1, a.t2!, a.breastMask] {
                #expect(v.size == size && v.geometry.isClose(to: g, tolerance: 1e-9))
            }
            #expect(a.dce.phases == a.study.dce.phases)
            #expect(a.breastMask.maskVoxelCount > a.breastMask.voxelsPerPhase / 20)
            #expect(Set(a.normalisation.keys) == ["DCE", "T1", "T2"])
        }
    }

    @Test func phaseTimesComeFromTheNIfTITimeStep() throws {
        for (_, a) in PreprocessorTests.cohort.aligned {
            let p = SyntheticPatient(index: Int(a.study.folder.lastPathComponent.dropFirst(3))! - 1, cohortSeed: 2024)
            let expected = (0..<a.dce.phases).map { p.phaseMinutes($0) }
            #expect(zip(a.phaseMinutes, expected).allSatisfy { abs($0 - $1) < 1e-4 }, "\(a.phaseMinutes) vs \(expected)")
            #expect(a.provenance.notes.contains { $0.contains("pixdim[4]") })
        }
    }

    @Test func phaseTimesComeFromDICOMAcquisitionTimes() throws {
        let root = scratchFolder("dicom")
        defer { try? FileManager.default.removeItem(at: root) }
        _ = try SyntheticCohort(patients: 2, seed: 7, format: .dicom).write(to: root)
        for index in 0..<2 {
            let study = try StudyLoader().load(root.appendingPathComponent(String(format: "SYN%04d", index + 1)))
            let p = SyntheticPatient(index: index, cohortSeed: 7)
            let seconds = try #require(study.dcePhaseSeconds)
            #expect(zip(seconds, (0..<seconds.count).map { p.phaseMinutes($0) * 60 }).allSatisfy { abs($0 - $1) <= 1 }, "\(seconds)")
        }
    }

    @Test func phaseTimeFallbackIsNoted() {
        #expect(DCEPhaseTimes.seconds(dicomTimes: [36000, nil, 36120]) == nil)
        #expect(DCEPhaseTimes.seconds(dicomTimes: [86_380, 86_390 + 50]) == [0, 60])
        #expect(DCEPhaseTimes.seconds(dicomTimes: [100, 100, 100]) == nil)
        #expect(DCEPhaseTimes.seconds(dicomTimes: [100, 90]) == nil)
    }

    @Test func normalisationRemovesTheCentresIntensityScale() throws {
        // z-scores inside the mask do not change when a scanner scales and offsets intensities.
        let a = try #require(PreprocessorTests.cohort.aligned["SYN0001"])
        let n1 = IntensityNormaliser.fit(a.t1, mask: a.breastMask, settings: PreprocessingSettings())
        let n2 = IntensityNormaliser.fit(a.t1.mappingSamples { 3.7 * $0 + 250 }, mask: a.breastMask, settings: PreprocessingSettings())
        for v in [Float(100), 900, 2500] {
            #expect(abs(n1.apply(v) - n2.apply(3.7 * v + 250)) < 1e-3)
        }
        // Across the four centres (intensity scales 420–2600): raw fat on the pre-contrast DCE
        // (fat-suppressed at every centre) differs several-fold, normalised fat lies in a narrow
        // band (what remains is each breast's own fat/gland mix: z = −√(f/(1−f)) for gland
        // fraction f, −0.4 to −1.2 over the generator's densities).
        var raw: [String: Double] = [:], normalised: [String: Double] = [:]
        for (id, a) in PreprocessorTests.cohort.aligned {
            let fat = trueFat(a, cohortSeed: 2024)
            let n = a.normalisation["DCE"]!
            let values = fat.map { Double(a.dce.samples[$0]) }
            let mean = values.reduce(0, +) / Double(values.count)
            raw[id] = mean
            normalised[id] = (mean - n.offset) / n.scale
            print(String(format: "%@ centre %@: DCE phase 0 fat raw %.0f, normalised %.2f", id, PreprocessorTests.cohort.truth[id]!.centre, mean, normalised[id]!))
        }
        #expect(raw.values.max()! / raw.values.min()! > 3)
        #expect(normalised.values.max()! - normalised.values.min()! < 1.2)
        #expect(normalised.values.allSatisfy { $0 > -2.5 && $0 < 0 })
    }

    @Test func theBreastMaskCoversTheBreastAndNotTheChest() throws {
        for (id, a) in PreprocessorTests.cohort.aligned.sorted(by: { $0.key < $1.key }) {
            let patient = SyntheticPatient(index: Int(id.dropFirst(3))! - 1, cohortSeed: 2024)
            let anatomy = BreastAnatomy(patient: patient)
            var both = 0, inTruth = 0, inMask = 0, inChest = 0
            let g = a.dce.geometry
            for k in 0..<a.dce.size.z { for j in 0..<a.dce.size.y { for i in 0..<a.dce.size.x {
                let m = anatomy.mix(at: g.world(ofIndex: SIMD3(Double(i), Double(j), Double(k))))
                let breast = m.fat + m.fgt + m.tumour + m.necrosis + m.edema > 0.5
                let mask = a.breastMask[i, j, k] > 0.5
                if breast { inTruth += 1 }
                if mask { inMask += 1 }
                if breast && mask { both += 1 }
                if mask && m.muscle + m.chest > 0.5 { inChest += 1 }
            } } }
            let dice = 2 * Double(both) / Double(inTruth + inMask)
            print(String(format: "%@ breast mask Dice %.3f, %.1f %% of the mask in muscle or chest", id, dice, 100 * Double(inChest) / Double(inMask)))
            #expect(dice > 0.85, "\(id): Dice \(dice)")
            #expect(Double(inChest) < 0.03 * Double(inMask), "\(id): \(inChest) mask voxels in muscle or chest")
        }
    }

    @Test func aT2ThatDoesNotOverlapTheDCEIsRefusedNamingBoth() throws {
        let study = PreprocessorTests.cohort.aligned["SYN0002"]!.study
        var t2 = study.t2!
        t2.geometry.origin += SIMD3(0, 0, 900)
        let moved = Study(folder: study.folder, manifest: study.manifest, source: study.source, t1: study.t1, t2: t2,
                          dce: study.dce, tumourMask: nil, secondReaderMask: nil, classification: nil, notes: [])
        #expect {
            _ = try Preprocessor().align(moved)
        } throws: { error in
            let text = "\(error)"
            return text.contains("'T2'") && text.contains("'DCE phase 0'") && text.contains(study.folder.path)
        }
    }
}

/// Voxel indices of nearly pure fat (membership > 0.95) on the DCE grid, from the generator's anatomy.
func trueFat(_ a: AlignedStudy, cohortSeed: UInt64) -> [Int] {
    let patient = SyntheticPatient(index: Int(a.study.folder.lastPathComponent.dropFirst(3))! - 1, cohortSeed: cohortSeed)
    let anatomy = BreastAnatomy(patient: patient)
    var out: [Int] = []
    let g = a.dce.geometry
    for k in 0..<a.dce.size.z { for j in 0..<a.dce.size.y { for i in 0..<a.dce.size.x {
        if anatomy.mix(at: g.world(ofIndex: SIMD3(Double(i), Double(j), Double(k)))).fat > 0.95 { out.append(a.dce.index(i, j, k)) }
    } } }
    return out
}

extension Volume {
    /// A copy with every sample mapped.
    func mappingSamples(_ f: (Float) -> Float) -> Volume {
        var v = self
        v.samples = v.samples.map(f)
        return v
    }
}
