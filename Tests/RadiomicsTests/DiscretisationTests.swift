@testable import Radiomics
import Testing

/// The bin formulas worked by hand from their definitions (IBSI 1 section 2.7; pyradiomics'
/// `getBinEdges`), on values [1, 2.5, 4, 10].
@Suite("Radiomics — discretisation")
struct DiscretisationTests {
    static func region(_ values: [Double]) -> Region {
        Region(size: SIMD3(values.count, 1, 1), spacing: .one, intensities: values,
               inside: values.map { _ in true }, voxelCount: values.count)
    }

    static func levels(_ values: [Double], _ configure: (inout RadiomicsSettings) -> Void) throws -> [Int32] {
        var s = RadiomicsSettings()
        configure(&s)
        return try Discretisation.discretise(region(values), settings: s, sampleType: .float64).levels
    }

    @Test func ibsiFixedBinNumber() throws {
        // ⌊3 (x − 1) / 9⌋ + 1, the maximum in the top bin: 1, 1, 2, 3.
        #expect(try Self.levels([1, 2.5, 4, 10]) { $0.discretisation = .ibsi; $0.binCount = 3 } == [1, 1, 2, 3])
    }

    @Test func ibsiFixedBinSize() throws {
        // ⌊(x − 1) / 2⌋ + 1: 1, 1, 2, 5.
        #expect(try Self.levels([1, 2.5, 4, 10]) { $0.discretisation = .ibsi; $0.binWidth = 2 } == [1, 1, 2, 5])
    }

    @Test func pyradiomicsFixedBinWidthAlignsToMultiples() throws {
        // Edges 0, 2, 4, …, 12 (1 − 1 mod 2 = 0): 1 → 1, 2.5 → 2, 4 → 3, 10 → 6.
        #expect(try Self.levels([1, 2.5, 4, 10]) { $0.binWidth = 2 } == [1, 2, 3, 6])
    }

    @Test func pyradiomicsFixedBinCount() throws {
        // Edges 1, 4, 7, 10 (+1 on the last): 1 → 1, 2.5 → 1, 4 → 2, 10 → 3.
        #expect(try Self.levels([1, 2.5, 4, 10]) { $0.binCount = 3 } == [1, 1, 2, 3])
    }

    @Test func numpyArange() {
        #expect(Discretisation.numpyArange(start: 0, stop: 1, step: 0.25) == [0, 0.25, 0.5, 0.75])
        #expect(Discretisation.numpyArange(start: 5, stop: 5, step: 1).isEmpty)
    }

    @Test func eigenvaluesOfKnownMatrices() {
        // diag(3, 1, 2) and [[2, 1], [1, 2]] (eigenvalues 1 and 3).
        #expect(SymmetricEigenvalues.of([3, 0, 0, 0, 1, 0, 0, 0, 2], n: 3) == [1, 2, 3])
        let e = SymmetricEigenvalues.of([2, 1, 1, 2], n: 2)
        #expect(abs(e[0] - 1) < 1e-12 && abs(e[1] - 3) < 1e-12)
        // A 4 × 4 with eigenvalues 1, 2, 3, 4 rotated by a Householder reflection H = I − 2vvᵀ.
        let v = [0.5, 0.5, 0.5, 0.5]
        var m = [Double](repeating: 0, count: 16)
        for r in 0..<4 { for c in 0..<4 {
            var s = 0.0
            for k in 0..<4 {
                let h1 = (r == k ? 1 : 0) - 2 * v[r] * v[k], h2 = (k == c ? 1 : 0) - 2 * v[k] * v[c]
                s += h1 * Double(k + 1) * h2
            }
            m[r * 4 + c] = s
        } }
        let f = SymmetricEigenvalues.of(m, n: 4)
        #expect(zip(f, [1.0, 2, 3, 4]).allSatisfy { abs($0 - $1) < 1e-12 })
    }
}
