import Foundation
import Testing
import ImageIO
import Volumes
import HER2Model
@testable import SyntheticCohorts

func temporaryFolder(_ name: String) -> URL {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("her2mri-tests-\(ProcessInfo.processInfo.processIdentifier)-\(name)")
    try? FileManager.default.removeItem(at: url)
    return url
}

/// Every regular file under `root`, by relative path.
func fileContents(under root: URL) throws -> [String: Data] {
    var out: [String: Data] = [:]
    let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])!
    for case let url as URL in walker where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
        out[String(url.path.dropFirst(root.path.count))] = try Data(contentsOf: url)
    }
    return out
}

@Suite(.serialized) struct SyntheticCohortTests {
    @Test func sameSeedGivesTheSameBytes() throws {
        let a = temporaryFolder("same-a"), b = temporaryFolder("same-b"), c = temporaryFolder("same-c")
        defer { for u in [a, b, c] { try? FileManager.default.removeItem(at: u) } }
        _ = try SyntheticCohort(patients: 2, seed: 5).write(to: a)
        _ = try SyntheticCohort(patients: 2, seed: 5).write(to: b)
        _ = try SyntheticCohort(patients: 2, seed: 6).write(to: c)
        let fa = try fileContents(under: a), fb = try fileContents(under: b), fc = try fileContents(under: c)
        #expect(fa.keys.sorted() == fb.keys.sorted())
        #expect(fa.count >= 14) // labels, truth, 2 × (study.json, 3 images, 2 masks), 2 exact masks
        for (k, v) in fa { #expect(fb[k] == v, "\(k) differs between two runs with one seed") }
        #expect(fa["/SYN0001/dce.nii.gz"] != fc["/SYN0001/dce.nii.gz"])
    }

    @Test func studyFolderFollowsTheContractAndImagesMatchTheTruth() throws {
        let root = temporaryFolder("contract")
        defer { try? FileManager.default.removeItem(at: root) }
        let summary = try SyntheticCohort(patients: 4, seed: 9).write(to: root)
        #expect(summary.studies == ["SYN0001", "SYN0002", "SYN0003", "SYN0004"])
        let labels = try String(contentsOf: root.appendingPathComponent("labels.csv"), encoding: .utf8)
        #expect(labels.hasPrefix("studyId,her2,centre\n"))
        #expect(labels.split(separator: "\n").count == 5)

        for (index, id) in summary.studies.enumerated() {
            let folder = root.appendingPathComponent(id)
            let patient = SyntheticPatient(index: index, cohortSeed: 9)
            let manifest = try JSONDecoder().decode(StudyManifest.self, from: Data(contentsOf: folder.appendingPathComponent("study.json")))
            #expect(manifest.her2 == (patient.her2Positive ? .positive : .negative))
            #expect(manifest.clinical.age == patient.ageYears)
            #expect(manifest.study.centre == patient.centre.name)

            let dce = try NIfTIReader.read(contentsOf: folder.appendingPathComponent("dce.nii.gz")).volume
            let t2 = try NIfTIReader.read(contentsOf: folder.appendingPathComponent("t2.nii.gz")).volume
            let mask = try NIfTIReader.read(contentsOf: folder.appendingPathComponent("tumor_mask.nii.gz")).volume
            let exact = try NIfTIReader.read(contentsOf: root.appendingPathComponent("truth/masks/\(id)_tumor_mask.nii.gz")).volume
            #expect(dce.phases == SyntheticPatient.dcePhases)
            #expect(dce.geometry.spacing.x.isApproximately(patient.centre.dceSpacing.x))
            #expect(t2.geometry.spacing.z.isApproximately(patient.centre.t2Spacing.z))
            #expect(mask.size == dce.size)

            // The readers' masks overlap the exact mask well but not perfectly (Dice 0.8–0.999).
            let dice = Self.dice(mask, exact)
            #expect(dice > 0.8 && dice < 0.999, "Dice \(dice)")

            // The exact mask's longest diameter is near the tumour's nominal one.
            let d = exact.maskLongestDiameter
            #expect(d > 0.8 * patient.diameterMm && d < 1.8 * patient.diameterMm + 3, "diameter \(d) vs \(patient.diameterMm)")

            // Enhancement inside the tumour core follows the drawn kinetic type.
            let core = Self.eroded(exact, by: 3)
            if core.maskVoxelCount > 30 {
                let signals = (0..<dce.phases).map { Self.mean(of: dce.phase($0), in: core) }
                let curve = KineticCurve(signals: signals, minutes: (0..<dce.phases).map { patient.phaseMinutes($0) })
                #expect(curve.initialEnhancement > 0.3)
                #expect(curve.type == patient.kineticType, "\(id): measured type \(curve.type) (change \(curve.delayedChange)), drawn \(patient.kineticType)")
            }
        }
    }

    @Test func centresDifferInIntensityScale() throws {
        // Bright voxels of the pre-contrast DCE (the same fat-suppressed contrast at every
        // centre) follow the centre's intensity scale.
        var fat: [Double] = []
        for index in 0..<4 {
            let r = SyntheticRenderer(patient: SyntheticPatient(index: index, cohortSeed: 3))
            let t1 = r.render(.dce(phase: 0)).samples.sorted()
            fat.append(Double(t1[t1.count * 97 / 100]) / (r.patient.centre.intensityScale * r.patient.intensityFactor))
        }
        // Once divided by the scale, the fat levels agree within bias and noise.
        let lo = fat.min()!, hi = fat.max()!
        #expect(hi / lo < 1.5, "normalised bright-tissue levels \(fat)")
        #expect(CentreProfile.all.map(\.intensityScale).max()! / CentreProfile.all.map(\.intensityScale).min()! > 5)
    }

    @Test func nonEmptyOutputIsRefusedAndLeftAlone() throws {
        let root = temporaryFolder("occupied")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: root.appendingPathComponent("mine.txt"))
        #expect(throws: SyntheticCohortError.self) { try SyntheticCohort(patients: 1, seed: 1).write(to: root) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["mine.txt"])
        let siblings = try FileManager.default.contentsOfDirectory(atPath: root.deletingLastPathComponent().path)
        #expect(!siblings.contains { $0.hasPrefix(".\(root.lastPathComponent).partial") })
    }

    static func dice(_ a: Volume, _ b: Volume) -> Double {
        var both = 0, sa = 0, sb = 0
        for (x, y) in zip(a.samples, b.samples) {
            if x > 0.5 { sa += 1 }
            if y > 0.5 { sb += 1 }
            if x > 0.5 && y > 0.5 { both += 1 }
        }
        return 2 * Double(both) / Double(sa + sb)
    }

    /// Erosion by a ball of `mm` millimetres (brute force; test-sized masks only).
    static func eroded(_ m: Volume, by mm: Double) -> Volume {
        var out = m
        let s = m.geometry.spacing
        let r = SIMD3(Int(mm / s.x), Int(mm / s.y), Int(mm / s.z))
        for k in 0..<m.size.z { for j in 0..<m.size.y { for i in 0..<m.size.x where m[i, j, k] > 0.5 {
            var keep = true
            outer: for dk in -r.z...r.z { for dj in -r.y...r.y { for di in -r.x...r.x {
                let (a, b, c) = (i + di, j + dj, k + dk)
                let dist = (Double(di) * s.x) * (Double(di) * s.x) + (Double(dj) * s.y) * (Double(dj) * s.y) + (Double(dk) * s.z) * (Double(dk) * s.z)
                if dist > mm * mm { continue }
                if a < 0 || b < 0 || c < 0 || a >= m.size.x || b >= m.size.y || c >= m.size.z || m[a, b, c] < 0.5 { keep = false; break outer }
            } } }
            out[i, j, k] = keep ? 1 : 0
        } } }
        return out
    }

    static func mean(of v: Volume, in mask: Volume) -> Double {
        var s = 0.0, n = 0.0
        for (x, m) in zip(v.samples, mask.samples) where m > 0.5 { s += Double(x); n += 1 }
        return s / n
    }
}

extension Double {
    func isApproximately(_ other: Double, tolerance: Double = 1e-5) -> Bool { abs(self - other) <= tolerance * max(1, abs(other)) }
}
