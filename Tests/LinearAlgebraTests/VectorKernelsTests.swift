import Testing
@testable import LinearAlgebra

@Test func blasDotAndAxpyEqualPlainLoops() {
    for n in [0, 1, 7, 1000, 4099] {
        let x = randomMatrix(1, max(n, 1), seed: UInt64(n + 1)).elements, y0 = randomMatrix(1, max(n, 1), seed: UInt64(n + 2)).elements
        let d = x.withUnsafeBufferPointer { xp in y0.withUnsafeBufferPointer { VectorKernels.dot(n, xp.baseAddress!, $0.baseAddress!) } }
        let r = x.withUnsafeBufferPointer { xp in y0.withUnsafeBufferPointer { VectorKernels.dotReference(n, xp.baseAddress!, $0.baseAddress!) } }
        #expect(abs(d - r) <= 1e-12 * max(1, abs(r)))
        var a = y0, b = y0
        x.withUnsafeBufferPointer { xp in
            a.withUnsafeMutableBufferPointer { VectorKernels.axpy(n, -0.75, xp.baseAddress!, $0.baseAddress!) }
            b.withUnsafeMutableBufferPointer { VectorKernels.axpyReference(n, -0.75, xp.baseAddress!, $0.baseAddress!) }
        }
        for (u, v) in zip(a, b) { #expect(abs(u - v) <= 1e-15 * max(1, abs(v))) }
    }
}
