import Foundation
import Volumes
@testable import HER2Model
import SyntheticCohorts
import Support

/// A stand-in for the Preprocessor in the lesion and feature tests: it aligns a synthetic study
/// with the generator's *known* transforms from truth/truth.csv (T1 and T2 offsets, DCE motion
/// per phase), so the measures are tested apart from the registration. Trilinear resampling,
/// a simple breast mask (tissue in front of the chest wall), z-score normalisation in it.
enum OracleAlignment {
    /// One row of truth/truth.csv as a dictionary.
    static func truth(_ root: URL) throws -> [String: [String: String]] {
        let text = try String(contentsOf: root.appendingPathComponent("truth/truth.csv"), encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        var out: [String: [String: String]] = [:]
        for line in lines.dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            var row: [String: String] = [:]
            for (k, v) in zip(header, fields) { row[k] = v }
            out[row["studyId"]!] = row
        }
        return out
    }

    static func transform(_ row: [String: String], _ prefix: String) -> RigidTransform {
        func d(_ k: String) -> Double { Double(row[prefix + k]!)! }
        return RigidTransform(rotationDegrees: SIMD3(d("RotX"), d("RotY"), d("RotZ")),
                              translation: SIMD3(d("TransX"), d("TransY"), d("TransZ")))
    }

    static func motion(_ row: [String: String]) -> [RigidTransform] {
        row["dceMotion"]!.split(separator: "|").map { phase in
            let v = phase.split(separator: " ").map { Double($0)! }
            return RigidTransform(rotationDegrees: SIMD3(v[0], v[1], v[2]), translation: SIMD3(v[3], v[4], v[5]))
        }
    }

    /// The aligned study, with the generator's transforms.
    static func align(_ study: Study, truth row: [String: String], correctMotion: Bool = true) throws -> AlignedStudy {
        let dce = study.dce
        let grid = dce.phase(0)
        let motion = motion(row)
        let phases = (0..<dce.phases).map { p in
            correctMotion ? resample(dce.phase(p), onto: grid, moving: motion[p]) : dce.phase(p)
        }
        let alignedDCE = try Volume.stacking(phases)
        let t1 = resample(study.t1, onto: grid, moving: transform(row, "t1"))
        let t2 = study.t2.map { resample($0, onto: grid, moving: transform(row, "t2")) }
        let breast = breastMask(t1: t1)
        var norm: [String: IntensityNormalisation] = [:]
        for (key, v) in [("T1", t1), ("DCE", phases[0])] + (t2.map { [("T2", $0)] } ?? []) {
            norm[key] = zscore(v, in: breast)
        }
        let interval = CentreProfile.all.first { $0.name == row["centre"] }!.phaseInterval
        return AlignedStudy(study: study, dce: alignedDCE, t1: t1, t2: t2, breastMask: breast,
                            phaseMinutes: (0..<dce.phases).map { Double($0) * interval / 60 },
                            normalisation: norm,
                            provenance: PreprocessingProvenance(registrations: [], normalisation: norm, seconds: [:]))
    }

    /// `moving` sampled on `grid`: aligned(q) = moving(motion.apply(q)), trilinear, 0 outside.
    static func resample(_ moving: Volume, onto grid: Volume, moving motion: RigidTransform) -> Volume {
        var out = [Float](repeating: 0, count: grid.voxelsPerPhase)
        let s = moving.size
        // Affine pieces computed once: world of a grid index, then the moving grid's index.
        let m = moving.geometry.worldToIndex
        let rows = (0..<3).map { r in SIMD4(m[r, 0], m[r, 1], m[r, 2], m[r, 3]) }
        let o = grid.geometry.world(ofIndex: .zero)
        let ax = grid.geometry.world(ofIndex: SIMD3(1, 0, 0)) - o
        let ay = grid.geometry.world(ofIndex: SIMD3(0, 1, 0)) - o
        let az = grid.geometry.world(ofIndex: SIMD3(0, 0, 1)) - o
        let r = motion.rotationRows
        func apply(_ p: SIMD3<Double>) -> SIMD3<Double> {
            let q = p - motion.centre
            return SIMD3((r[0] * q).sum(), (r[1] * q).sum(), (r[2] * q).sum()) + motion.centre + motion.translation
        }
        var n = 0
        for k in 0..<grid.size.z {
            for j in 0..<grid.size.y {
                for i in 0..<grid.size.x {
                    let w = apply(o + ax * Double(i) + ay * Double(j) + az * Double(k))
                    let w4 = SIMD4(w.x, w.y, w.z, 1)
                    let c = SIMD3((rows[0] * w4).sum(), (rows[1] * w4).sum(), (rows[2] * w4).sum())
                    let f = SIMD3(c.x.rounded(.down), c.y.rounded(.down), c.z.rounded(.down))
                    let (i0, j0, k0) = (Int(f.x), Int(f.y), Int(f.z))
                    let t = c - f
                    var v = 0.0
                    for dz in 0...1 {
                        for dy in 0...1 {
                            for dx in 0...1 {
                                let (a, b, cc) = (min(max(i0 + dx, 0), s.x - 1), min(max(j0 + dy, 0), s.y - 1), min(max(k0 + dz, 0), s.z - 1))
                                let wgt = (dx == 0 ? 1 - t.x : t.x) * (dy == 0 ? 1 - t.y : t.y) * (dz == 0 ? 1 - t.z : t.z)
                                v += wgt * Double(moving.samples[a + s.x * (b + s.y * cc)])
                            }
                        }
                    }
                    let inside = c.x >= -0.5 && c.y >= -0.5 && c.z >= -0.5
                        && c.x <= Double(s.x) - 0.5 && c.y <= Double(s.y) - 0.5 && c.z <= Double(s.z) - 0.5
                    out[n] = inside ? Float(v) : 0
                    n += 1
                }
            }
        }
        return try! Volume(size: grid.size, geometry: grid.geometry, samples: out)
    }

    /// Tissue (smoothed T1 above a quarter of its 99th percentile) in front of the chest wall
    /// (world y < 30 mm, `BreastAnatomy.chestWallY`).
    static func breastMask(t1: Volume) -> Volume {
        let smooth = LesionMorphology.gaussian(t1.samples, size: t1.size, spacing: t1.geometry.spacing, sigma: 1.5)
        let sorted = smooth.sorted()
        let cut = 0.25 * sorted[sorted.count * 99 / 100]
        var mask = [Float](repeating: 0, count: t1.voxelsPerPhase)
        var n = 0
        for k in 0..<t1.size.z {
            for j in 0..<t1.size.y {
                for i in 0..<t1.size.x {
                    let y = t1.geometry.world(ofIndex: SIMD3(Double(i), Double(j), Double(k))).y
                    mask[n] = smooth[n] > cut && y < 30 ? 1 : 0
                    n += 1
                }
            }
        }
        return try! Volume(size: t1.size, geometry: t1.geometry, samples: mask)
    }

    static func zscore(_ v: Volume, in mask: Volume) -> IntensityNormalisation {
        var s = 0.0, s2 = 0.0, n = 0.0
        for (x, m) in zip(v.samples, mask.samples) where m > 0.5 {
            s += Double(x); s2 += Double(x) * Double(x); n += 1
        }
        let mean = s / n
        return IntensityNormalisation(method: "zscore", offset: mean, scale: max(1e-6, (s2 / n - mean * mean).squareRoot()))
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
}
