import DeepFeatures
import Foundation

/// The formula weights of `tools/deep_fixtures.py`, rebuilt bit for bit: an integer hash of
/// (element index, FNV-1a(name)) gives v ∈ [−1, 1) exactly in float32, then
/// cls_token / pos_embed: 0.5·v; weights of rank ≥ 2: √(6/fan_in)·v; 1-D weights: 1 + 0.25·v;
/// biases: 0.2·v. Running statistics are not formula values (they come from the fixture files).
final class FormulaWeights: WeightSource {
    var identity: String { "formula" }

    func contains(_ name: String) -> Bool {
        !(name.hasSuffix("running_mean") || name.hasSuffix("running_var") || name.hasSuffix("num_batches_tracked"))
    }

    func tensor(_ name: String, shape: [Int]) throws -> [Float] {
        let count = shape.reduce(1, *)
        let v = FormulaWeights.unit(name, count: count)
        let leaf = name.split(separator: ".").last.map(String.init) ?? name
        if name == "cls_token" || name == "pos_embed" { return v.map { 0.5 * $0 } }
        if shape.count >= 2 {
            let bound = Float((6.0 / Double(shape.dropFirst().reduce(1, *))).squareRoot())
            return v.map { bound * $0 }
        }
        if leaf == "weight" { return v.map { 1 + 0.25 * $0 } }
        return v.map { Float(0.2) * $0 }
    }

    /// The hash values in [−1, 1).
    static func unit(_ name: String, count: Int) -> [Float] {
        let seed = UInt64(SeededWeights.fnv1a(name))
        return (0..<count).map { i in
            var x = (UInt64(i) &* 0x9E37_79B1 &+ seed) & 0xFFFF_FFFF
            x ^= x >> 16
            x = (x &* 0x85EB_CA6B) & 0xFFFF_FFFF
            x ^= x >> 13
            x = (x &* 0xC2B2_AE35) & 0xFFFF_FFFF
            x ^= x >> 16
            let u = Float(x >> 8) * 0x1.0p-24
            return u * 2 - 1
        }
    }

    /// Image k of a formula batch, NCHW: (1 + 0.5k)·unit('<prefix>.<k>') + 0.25(k − 1).
    static func images(_ prefix: String, count n: Int) -> Tensor {
        var storage: [Float] = []
        for k in 0..<n {
            let a = Float(1 + 0.5 * Double(k)), b = Float(0.25 * Double(k - 1))
            storage += unit("\(prefix).\(k)", count: 3 * 224 * 224).map { a * $0 + b }
        }
        return Tensor(shape: [n, 3, 224, 224], storage: storage)
    }
}
