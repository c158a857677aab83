import Dispatch
import Foundation
import Volumes

/// Study → AlignedStudy: everything on the DCE grid, in one frame, with the intensity maps to
/// a common scale (DESIGN.md, "Data flow of one study").
///
/// 1. DCE motion correction: each post-contrast phase registered rigidly to phase 0 (Mattes
///    mutual information, `Volumes.RigidRegistration`) and resampled onto its grid (trilinear);
/// 2. T1 → DCE and T2 → DCE: the same registration against DCE phase 0 (T1 and T2 are other
///    contrasts, which is what mutual information is for), then resampled onto the DCE grid;
///    the part of the DCE grid outside a sequence's field of view reads 0 and is left out of its
///    normalisation;
/// 3. the breast mask on the corrected DCE (`BreastMask`);
/// 4. per sequence the map to a common scale inside the mask (`IntensityNormaliser`; the DCE's
///    from phase 0, so enhancement stays relative to the pre-contrast signal);
/// 5. DCE phase times in minutes (`DCEPhaseTimes`, else an assumed interval, noted).
/// Registration transforms map DCE-frame points to the sequence's points (Volumes' convention),
/// so a transform equals the patient's displacement in that sequence relative to DCE phase 0.
public struct Preprocessor: Sendable {
    public let settings: PreprocessingSettings

    /// Changes whenever the same settings would give other aligned images (a method changed):
    /// recorded in model.json beside the settings and part of the feature-cache key, so a model
    /// or cached features made by another preprocessing are never mixed with this one's.
    /// 2: registration steps grow again after a run without turns (`stepGrowthAfter`); the
    /// breast mask is found on a grid of about 1.5 mm.
    public static let version = "preprocessing-2"

    public init(settings: PreprocessingSettings = PreprocessingSettings()) {
        self.settings = settings
    }

    /// Aligns one study. Throws `HER2ModelError.invalidStudy` naming the study folder and the
    /// images when a registration cannot run (images that do not overlap, a constant image).
    public func align(_ study: Study) throws -> AlignedStudy {
        var seconds: [String: Double] = [:]
        var notes: [String] = []
        var registrations: [PreprocessingProvenance.Registration] = []
        func timed<T>(_ step: String, _ body: () throws -> T) rethrows -> T {
            let start = DispatchTime.now().uptimeNanoseconds
            defer { seconds[step, default: 0] += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
            return try body()
        }
        func failing<T>(_ body: () throws -> T) throws -> T {
            do { return try body() } catch let e as VolumeError {
                throw HER2ModelError.invalidStudy(path: study.folder.path, reason: e.description)
            }
        }
        func record(_ moving: String, _ r: RegistrationResult) {
            registrations.append(.init(moving: moving, fixed: "DCE phase 0", transform: r.transform,
                                       metricBefore: r.metricBefore, metricAfter: r.metricAfter,
                                       iterations: r.iterations.reduce(0, +)))
        }

        let fixed = study.dce.phase(0)
        let body = settings.sampleInsideBody ? timed("bodyMask") { BreastMask.body(fixed, marginMm: settings.bodyMarginMm) } : nil
        let motion = try failing { try timed("registrationSetup") {
            try RigidRegistration(fixed: fixed, name: "DCE phase 0", mask: body, settings: settings.motionCorrection)
        } }
        let crossContrast = settings.registration == settings.motionCorrection ? motion : try failing { try timed("registrationSetup") {
            try RigidRegistration(fixed: fixed, name: "DCE phase 0", mask: body, settings: settings.registration)
        } }

        // 1. DCE motion correction.
        var phases = [fixed]
        for p in 1..<study.dce.phases {
            let moving = study.dce.phase(p)
            guard settings.correctMotion else { phases.append(moving); continue }
            let r = try failing { try timed("motionCorrection") { try motion.register(moving, name: "DCE phase \(p)") } }
            record("DCE phase \(p)", r)
            phases.append(try timed("resampling") { try moving.resampled(onto: fixed, transform: r.transform) })
        }
        if !settings.correctMotion { notes.append("DCE motion correction switched off: phases used as acquired") }
        let dce = try Volume.stacking(phases)

        // 2. T1 and T2 onto the DCE.
        func onto(_ volume: Volume, _ name: String) throws -> (Volume, Volume) {
            let r = try failing { try timed("registration") { try crossContrast.register(volume, name: name) } }
            record(name, r)
            return try timed("resampling") {
                let image = try volume.resampled(onto: fixed, transform: r.transform)
                let ones = try Volume(size: volume.size, geometry: volume.geometry, repeating: 1)
                let coverage = try ones.resampled(onto: fixed, transform: r.transform, interpolation: .nearest)
                return (image, coverage)
            }
        }
        let t1: Volume, t1Coverage: Volume?
        if study.t1.size == fixed.size && study.t1.geometry.isClose(to: fixed.geometry, tolerance: 1e-6)
            && study.t1.samples == fixed.samples {
            (t1, t1Coverage) = (fixed, nil)
            notes.append("T1 is the DCE's pre-contrast phase: not registered")
        } else {
            (t1, t1Coverage) = try onto(study.t1, "T1")
        }
        var t2: Volume?, t2Coverage: Volume?
        if let s = study.t2 { (t2, t2Coverage) = try onto(s, "T2") }

        // 3. Breast mask; 4. normalisation.
        let (mask, maskNotes) = timed("breastMask") { BreastMask.find(dce: dce, settings: settings) }
        notes += maskNotes
        var normalisation: [String: IntensityNormalisation] = [:]
        timed("normalisation") {
            normalisation["DCE"] = IntensityNormaliser.fit(dce, mask: mask, settings: settings)
            normalisation["T1"] = IntensityNormaliser.fit(t1, mask: mask, coverage: t1Coverage, settings: settings)
            if let t2 { normalisation["T2"] = IntensityNormaliser.fit(t2, mask: mask, coverage: t2Coverage, settings: settings) }
        }

        // 5. Phase times.
        let minutes: [Double]
        if let s = study.dcePhaseSeconds, s.count == dce.phases {
            minutes = s.map { $0 / 60 }
            notes.append("DCE phase times from the \(study.source == .nifti ? "NIfTI time step (pixdim[4])" : "DICOM acquisition times")")
        } else {
            minutes = (0..<dce.phases).map { Double($0) * settings.assumedPhaseIntervalSeconds / 60 }
            notes.append("DCE phase times not in the files: \(Int(settings.assumedPhaseIntervalSeconds)) s between phases assumed")
        }

        let provenance = PreprocessingProvenance(registrations: registrations, normalisation: normalisation,
                                                 seconds: seconds, notes: notes)
        return AlignedStudy(study: study, dce: dce, t1: t1, t2: t2, breastMask: mask, phaseMinutes: minutes,
                            normalisation: normalisation, provenance: provenance)
    }
}
