import Foundation

/// The synthetic breast of one patient as soft tissue memberships at any world point (LPS mm,
/// the frame of DCE phase 0): air, skin, fat, fibroglandular tissue, pectoral muscle, chest,
/// tumour (with necrotic core) and peritumoral oedema. Memberships are smooth across boundaries
/// (a logistic of the signed distance), so sampling at any voxel size gives partial volumes rather
/// than aliasing.
///
/// The breast is a half-ellipsoid in front of the chest wall (anterior is −y); the tumour is a
/// sphere whose radius is perturbed by smooth lobulation and, for irregular tumours, spicules.
struct BreastAnatomy: Sendable {
    /// World y (mm) of the chest wall; the breast lies at smaller y (anterior).
    static let chestWallY = 30.0
    /// Thickness of the pectoral muscle layer (mm).
    static let muscleThickness = 12.0
    /// Skin thickness (mm).
    static let skinThickness = 1.8

    let patient: SyntheticPatient
    private let fgtNoise: ValueNoise
    private let shapeNoise: ValueNoise
    private let textureNoise: ValueNoise
    private let edemaNoise: ValueNoise
    private let necrosisRadius: Double

    init(patient: SyntheticPatient) {
        self.patient = patient
        fgtNoise = ValueNoise(seed: patient.seed ^ 0xF61)
        shapeNoise = ValueNoise(seed: patient.seed ^ 0x5EA)
        textureNoise = ValueNoise(seed: patient.seed ^ 0x7E7)
        edemaNoise = ValueNoise(seed: patient.seed ^ 0xED3)
        let r = patient.diameterMm / 2
        necrosisRadius = patient.heterogeneity > 0.55 && r > 7 ? r * 0.5 * (patient.heterogeneity - 0.55) / 0.45 + r * 0.12 : 0
    }

    /// Soft memberships at one point; they sum to 1.
    struct Mix {
        var air = 0.0, skin = 0.0, fat = 0.0, fgt = 0.0, muscle = 0.0, chest = 0.0
        var tumour = 0.0, necrosis = 0.0, edema = 0.0
        /// Tumour texture in [−1, 1] (modulates enhancement, scaled by heterogeneity).
        var texture = 0.0
    }

    @inline(__always)
    static func logistic(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

    /// Signed distance (mm, negative inside) to the tumour surface, from a noise-perturbed radius.
    /// `jitter` perturbs the boundary as a second reader's outline would.
    func tumourSignedDistance(_ p: SIMD3<Double>, jitter: Double = 0, jitterSeed: UInt64 = 0) -> Double {
        let d = p - patient.tumourCentre
        let dist = (d * d).sum().squareRoot()
        let u = dist > 1e-9 ? d / dist : SIMD3(1, 0, 0)
        let r = patient.diameterMm / 2
        let irr = patient.irregularity
        let lobes = shapeNoise.value(u * 2.4 + 10, scale: 1)
        let spikes = max(0, shapeNoise.value(u * 7 - 20, scale: 1) - 0.45) * 3.5
        var radius = r * (1 + 0.30 * irr * lobes + 0.40 * max(0, irr - 0.45) * spikes)
        if jitter > 0 {
            radius += jitter * ValueNoise(seed: jitterSeed).value(p, scale: 3)
        }
        return dist - radius
    }

    /// Tissue memberships at world point `p` (frame of DCE phase 0).
    func mix(at p: SIMD3<Double>) -> Mix {
        var m = Mix()
        let a = patient.breastSemiAxes
        let cw = BreastAnatomy.chestWallY
        // Body behind the chest wall: muscle then chest.
        let behind = BreastAnatomy.logistic((p.y - cw) / 0.6)
        let intoChest = BreastAnatomy.logistic((p.y - cw - BreastAnatomy.muscleThickness) / 0.8)
        // Breast half-ellipsoid (centre on the chest wall), approximate signed distance.
        let q = SIMD3(p.x, p.y - cw, p.z)
        let qn = (q * q).sum().squareRoot()
        let u = qn > 1e-9 ? q / qn : SIMD3(0, -1, 0)
        let rDir = 1 / ((u.x / a.x) * (u.x / a.x) + (u.y / a.y) * (u.y / a.y) + (u.z / a.z) * (u.z / a.z)).squareRoot()
        let sdBreast = qn - rDir
        let inBreast = BreastAnatomy.logistic(-sdBreast / 0.5) * (1 - behind)
        let interior = BreastAnatomy.logistic(-(sdBreast + BreastAnatomy.skinThickness) / 0.5) * (1 - behind)
        m.skin = max(0, inBreast - interior)
        m.muscle = behind * (1 - intoChest)
        m.chest = behind * intoChest
        m.air = max(0, 1 - inBreast - behind)

        // Fibroglandular tissue: smooth noise, denser centrally and posteriorly.
        let e = qn / rDir
        let f = fgtNoise.fractal(p, scale: 11, octaves: 4) + 0.55 * (1 - e) - (0.55 - patient.fibroglandularDensity)
        let fgtFraction = BreastAnatomy.logistic(f / 0.06)

        // Tumour, necrotic core and oedema inside the breast interior.
        let sdT = tumourSignedDistance(p)
        let tumour = BreastAnatomy.logistic(-sdT / 0.5) * interior
        var necrosis = 0.0
        if necrosisRadius > 0 {
            let d = p - patient.tumourCentre
            let dist = (d * d).sum().squareRoot() + 1.5 * textureNoise.value(p, scale: 4)
            necrosis = tumour * BreastAnatomy.logistic(-(dist - necrosisRadius) / 0.7)
        }
        var edema = 0.0
        if patient.peritumoralEdema, sdT > -1, sdT < 16 {
            let reach = 6 + 3 * edemaNoise.value(p, scale: 6)
            edema = (interior - tumour) * exp(-max(sdT, 0) / reach) * (0.75 + 0.25 * edemaNoise.value(p, scale: 2.5))
            edema = max(0, edema)
        }
        let rest = max(0, interior - tumour - edema)
        m.tumour = tumour - necrosis
        m.necrosis = necrosis
        m.edema = edema
        m.fgt = rest * fgtFraction
        m.fat = rest * (1 - fgtFraction)
        m.texture = textureNoise.fractal(p, scale: 2.6, octaves: 2)
        return m
    }
}
