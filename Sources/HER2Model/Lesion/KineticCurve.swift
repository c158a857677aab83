/// The radiologist's reading of a DCE time–signal curve (Kuhl et al., Radiology 1999; ACR BI-RADS
/// MRI lexicon): initial enhancement in the first minutes, then the delayed phase classified as
/// persistent (type I), plateau (type II) or washout (type III).
///
/// Convention (stated once): the *initial* signal is the highest post-contrast signal acquired
/// within `initialWindowMinutes` (at least the first post-contrast phase); the *delayed* signal is
/// the last phase. The delayed change is (delayed − initial) / initial; beyond ±`plateauBand` it is
/// persistent (> +10 %) or washout (< −10 %).
public struct KineticCurve: Sendable, Equatable {
    /// Mean signal of each phase, phase 0 pre-contrast.
    public let signals: [Double]
    /// Minutes after contrast of each phase (phase 0 at 0).
    public let minutes: [Double]

    public static let initialWindowMinutes = 2.5
    public static let plateauBand = 0.10

    public init(signals: [Double], minutes: [Double]) {
        precondition(signals.count == minutes.count && signals.count >= 3, "a curve needs ≥ 3 phases")
        self.signals = signals
        self.minutes = minutes
    }

    /// Index of the phase whose signal is the initial one.
    public var initialPhase: Int {
        var best = 1
        for p in 1..<signals.count where minutes[p] <= KineticCurve.initialWindowMinutes && signals[p] > signals[best] {
            best = p
        }
        return best
    }

    /// Initial enhancement relative to the pre-contrast signal ((S_initial − S_0) / S_0).
    public var initialEnhancement: Double { (signals[initialPhase] - signals[0]) / signals[0] }

    /// Delayed change relative to the initial signal ((S_last − S_initial) / S_initial).
    public var delayedChange: Double {
        let s = signals[initialPhase]
        return (signals[signals.count - 1] - s) / s
    }

    /// 1 persistent, 2 plateau, 3 washout.
    public var type: Int {
        let c = delayedChange
        if c > KineticCurve.plateauBand { return 1 }
        if c < -KineticCurve.plateauBand { return 3 }
        return 2
    }
}
