import Testing
import Support
@testable import Biostatistics

/// The two-pass local fit (`lowestFused`, the fast path the bootstrap of rms::calibrate runs)
/// against R's six-pass `lowest` (its slow twin): the same smooth to rounding, with ties,
/// robustness iterations, several spans and a window of equal x.
@Suite struct LowessFusedTests {
    @Test func fusedEqualsTheReferenceFit() {
        var rng = SplitMix64(seed: 2026)
        for (n, f, steps) in [(40, 2.0 / 3, 0), (500, 2.0 / 3, 0), (500, 0.3, 3), (2400, 2.0 / 3, 0), (300, 0.1, 2)] {
            // Probabilities rounded to 3 decimals (ties) and 0/1 outcomes, as calibration smooths them.
            let x = (0..<n).map { _ in (rng.unit() * 1000).rounded() / 1000 }.sorted()
            let y = x.map { rng.unit() < $0 ? 1.0 : 0.0 }
            let delta = 0.01 * (x[n - 1] - x[0])
            let fast = Lowess.clowess(x, y, f: f, nsteps: steps, delta: delta, fused: true)
            let slow = Lowess.clowess(x, y, f: f, nsteps: steps, delta: delta, fused: false)
            let worst = zip(fast, slow).map { abs($0 - $1) }.max()!
            #expect(worst < 1e-12, "n \(n), f \(f), iterations \(steps): worst \(worst)")
        }
        // Every x equal: h = 0, both give the mean.
        let flat = Lowess.clowess([Double](repeating: 0.5, count: 20), (0..<20).map { Double($0 % 2) }, f: 2.0 / 3, nsteps: 0, delta: 0, fused: true)
        #expect(flat.allSatisfy { abs($0 - 0.5) < 1e-12 })
    }
}
