import Foundation
import Support
import LinearAlgebra

/// An empirical ROC analysis of one score against 0/1 labels: the curve, the AUC with DeLong's
/// variance and confidence interval, and the Youden-optimal threshold.
///
/// Conventions (pROC's, stated once): label 1 is the positive class; a higher score means
/// "more likely positive" (`direction = "<"`); a subject is called positive when its score is
/// above the threshold; thresholds are midpoints between adjacent distinct scores plus ±∞.
public struct ROCAnalysis: Sendable {
    /// One point of the empirical curve.
    public struct Point: Sendable, Equatable {
        /// Called positive when score > threshold.
        public let threshold: Double
        /// True-positive fraction.
        public let sensitivity: Double
        /// True-negative fraction.
        public let specificity: Double
    }

    /// The Youden-optimal operating point (maximum sensitivity + specificity − 1).
    public struct Youden: Sendable, Equatable {
        public let threshold: Double
        public let sensitivity: Double
        public let specificity: Double
        /// Positive predictive value at this threshold (NaN when nobody is called positive).
        public let ppv: Double
        /// Negative predictive value at this threshold (NaN when nobody is called negative).
        public let npv: Double
    }

    /// Number of positives (label 1).
    public let positives: Int
    /// Number of negatives (label 0).
    public let negatives: Int
    /// Area under the empirical curve (the Mann–Whitney probability, ties ½).
    public let auc: Double
    /// DeLong's variance of the AUC.
    public let variance: Double
    /// Confidence level of `ci`.
    public let level: Double
    /// AUC ± z·√variance clipped to [0, 1] (pROC's `ci.auc(method = "delong")`).
    public let ci: (lower: Double, upper: Double)
    /// The curve from threshold −∞ (sensitivity 1) to +∞ (specificity 1).
    public let curve: [Point]
    /// The Youden-optimal point; among ties, the lowest threshold.
    public let youden: Youden
    /// DeLong components, kept for paired tests.
    public let components: DeLong.Components
    let scores: [Double]
    let labels: [Bool]

    /// Analyse `scores` against `labels` (0/1). Throws on empty, non-finite, mismatched input or
    /// a single class.
    public init(scores: [Double], labels: [Double], level: Double = 0.95) throws {
        try Validate.finite(scores, "scores")
        try Validate.length(labels.count, scores.count, "labels (one per score)")
        let y = try Validate.binary(labels, "labels")
        try Validate.bothClasses(y, "ROC analysis")
        guard level > 0 && level < 1 else { throw BiostatisticsError.invalidArgument("confidence level must be in (0, 1)") }
        self.scores = scores
        self.labels = y
        self.level = level
        var pos = [Double](), neg = [Double]()
        for (s, l) in zip(scores, y) { if l { pos.append(s) } else { neg.append(s) } }
        positives = pos.count
        negatives = neg.count
        components = DeLong.components(positives: pos, negatives: neg)
        auc = components.auc
        variance = DeLong.variance(components)
        let z = Distributions.normalQuantile(1 - (1 - level) / 2)
        let sd = variance.squareRoot()
        ci = (max(0, auc - z * sd), min(1, auc + z * sd))
        curve = ROCAnalysis.empiricalCurve(positives: pos, negatives: neg)
        youden = ROCAnalysis.youdenPoint(curve, positives: pos.count, negatives: neg.count)
    }

    /// The curve at every midpoint threshold, in O(n log n).
    static func empiricalCurve(positives: [Double], negatives: [Double]) -> [Point] {
        let all = (positives.map { ($0, true) } + negatives.map { ($0, false) }).sorted { $0.0 < $1.0 }
        let m = Double(positives.count), n = Double(negatives.count)
        var points = [Point(threshold: -.infinity, sensitivity: 1, specificity: 0)]
        var tn = 0.0, fn = 0.0
        var i = 0
        while i < all.count {
            let v = all[i].0
            while i < all.count && all[i].0 == v {
                if all[i].1 { fn += 1 } else { tn += 1 }
                i += 1
            }
            let t = i < all.count ? (v + all[i].0) / 2 : .infinity
            points.append(Point(threshold: t, sensitivity: (m - fn) / m, specificity: tn / n))
        }
        return points
    }

    static func youdenPoint(_ curve: [Point], positives: Int, negatives: Int) -> Youden {
        var best = curve[0]
        for p in curve where p.sensitivity + p.specificity > best.sensitivity + best.specificity { best = p }
        let tp = best.sensitivity * Double(positives), tn = best.specificity * Double(negatives)
        let fp = Double(negatives) - tn, fn = Double(positives) - tp
        return Youden(threshold: best.threshold, sensitivity: best.sensitivity, specificity: best.specificity,
                      ppv: tp + fp > 0 ? tp / (tp + fp) : .nan, npv: tn + fn > 0 ? tn / (tn + fn) : .nan)
    }

    /// DeLong's paired test of this AUC against another score's on the same subjects.
    public func compare(with other: ROCAnalysis) throws -> DeLong.PairedTest {
        guard other.labels == labels else {
            throw BiostatisticsError.invalidArgument("paired DeLong test needs the same subjects and labels for both scores")
        }
        return DeLong.pairedTest(components, other.components)
    }

    /// A percentile confidence interval for the AUC from a stratified bootstrap (cases and
    /// controls resampled separately, as pROC's `ci.auc(method = "bootstrap")`), with a seeded
    /// generator so the interval is reproducible.
    public func bootstrapCI(replicates: Int = 2000, seed: UInt64 = 1) throws -> (lower: Double, upper: Double) {
        guard replicates >= 10 else { throw BiostatisticsError.invalidArgument("bootstrap needs at least 10 replicates") }
        var pos = [Double](), neg = [Double]()
        for (s, l) in zip(scores, labels) { if l { pos.append(s) } else { neg.append(s) } }
        var rng = SplitMix64(seed: seed)
        var aucs = [Double]()
        aucs.reserveCapacity(replicates)
        var bp = pos, bn = neg
        for _ in 0..<replicates {
            for i in 0..<bp.count { bp[i] = pos[rng.nextIndex(pos.count)] }
            for i in 0..<bn.count { bn[i] = neg[rng.nextIndex(neg.count)] }
            aucs.append(DeLong.components(positives: bp, negatives: bn).auc)
        }
        aucs.sort()
        let a = (1 - level) / 2
        return (Quantile.type7(aucs, a, sorted: true), Quantile.type7(aucs, 1 - a, sorted: true))
    }
}
