import ImageIO

/// When each DCE phase was acquired, in seconds after phase 0, from what the files say.
///
/// - DICOM: the acquisition (or content) time of each phase as the series classifier ordered
///   them (`StudyClassification.Phase.time`, seconds after midnight); a phase without a time,
///   or times that run backwards, give nil. A study crossing midnight is unwrapped.
/// - NIfTI: pixdim[4] × the time unit of `xyzt_units` (s, ms or µs) per phase. Converters
///   often put the repetition time or a placeholder 1 there, so only steps between 10 s and
///   10 min are believed (a DCE phase takes that long); anything else gives nil.
/// When the result is nil the preprocessor falls back to an assumed interval and says so.
public enum DCEPhaseTimes {
    /// Believable seconds between DCE phases.
    public static let plausibleStep: ClosedRange<Double> = 10...600

    /// Seconds after phase 0 from per-phase times of day, or nil.
    public static func seconds(dicomTimes: [Double?]) -> [Double]? {
        guard dicomTimes.count >= 2, let first = dicomTimes[0] else { return nil }
        var out: [Double] = []
        var previous = 0.0
        for t in dicomTimes {
            guard let t else { return nil }
            var s = t - first
            if s < -43_200 { s += 86_400 } // crossed midnight (a jump back of more than 12 h)
            guard s >= previous else { return nil }
            out.append(s)
            previous = s
        }
        // All phases at one time (a single series without per-phase times) says nothing.
        return out.last! > 0 ? out : nil
    }

    /// Seconds after phase 0 from a 4-D NIfTI header's time step, or nil.
    public static func seconds(niftiHeader h: NIfTIHeader, phases: Int) -> [Double]? {
        guard h.dim[0] >= 4, phases >= 2, h.pixdim.count > 4 else { return nil }
        let unit: Double
        switch h.xyztUnits & 0x38 {
        case 8: unit = 1
        case 16: unit = 1e-3
        case 24: unit = 1e-6
        default: return nil
        }
        let step = h.pixdim[4] * unit
        guard step.isFinite, plausibleStep.contains(step) else { return nil }
        return (0..<phases).map { Double($0) * step }
    }
}
