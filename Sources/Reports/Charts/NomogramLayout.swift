import Foundation
import Biostatistics

/// The scales a nomogram chart draws, as plain values: from Biostatistics' `Nomogram` (rms's
/// construction) or from the scales a model artifact stores, so reports draw exactly what the
/// model computed.
public struct NomogramLayout: Sendable, Equatable {
    public struct Axis: Sendable, Equatable {
        public var name: String
        /// Tick values of the predictor and the points at each.
        public var values: [Double]
        public var points: [Double]
        /// Points per unit of the predictor, and min over the axis of β·x.
        public var pointsPerUnit: Double
        public var minimumEffect: Double
        public init(name: String, values: [Double], points: [Double], pointsPerUnit: Double, minimumEffect: Double) {
            self.name = name; self.values = values; self.points = points
            self.pointsPerUnit = pointsPerUnit; self.minimumEffect = minimumEffect
        }
    }
    public var axes: [Axis]
    /// Points per unit of linear predictor.
    public var scale: Double
    /// Linear predictor at 0 total points.
    public var linearPredictorAtZero: Double
    public var totalPointsTicks: [Double]
    public var probabilityTicks: [(probability: Double, points: Double)]

    public init(axes: [Axis], scale: Double, linearPredictorAtZero: Double, totalPointsTicks: [Double],
                probabilityTicks: [(probability: Double, points: Double)]) {
        self.axes = axes; self.scale = scale; self.linearPredictorAtZero = linearPredictorAtZero
        self.totalPointsTicks = totalPointsTicks; self.probabilityTicks = probabilityTicks
    }

    public init(_ n: Nomogram) {
        self.init(axes: n.axes.map { Axis(name: $0.name, values: $0.values, points: $0.points, pointsPerUnit: $0.pointsPerUnit,
                                          minimumEffect: $0.minimumEffect) },
                  scale: n.scale, linearPredictorAtZero: n.linearPredictorAtZero, totalPointsTicks: n.totalPointsTicks,
                  probabilityTicks: n.probabilityTicks)
    }

    public static func == (a: NomogramLayout, b: NomogramLayout) -> Bool {
        a.axes == b.axes && a.scale == b.scale && a.linearPredictorAtZero == b.linearPredictorAtZero
            && a.totalPointsTicks == b.totalPointsTicks && a.probabilityTicks.map(\.probability) == b.probabilityTicks.map(\.probability)
            && a.probabilityTicks.map(\.points) == b.probabilityTicks.map(\.points)
    }

    /// Points a value scores on axis `j` (rms: sc·(β·x − min)).
    public func points(axis j: Int, value: Double) -> Double { axes[j].pointsPerUnit * value - scale * axes[j].minimumEffect }

    /// The probability for a total of points: expit(lp0 + total/sc).
    public func probability(totalPoints: Double) -> Double { 1 / (1 + exp(-(linearPredictorAtZero + totalPoints / scale))) }
}
