import Testing
@testable import LinearAlgebra

private func spd(_ n: Int, seed: UInt64) throws -> Matrix {
    let a = randomMatrix(n + 3, n, seed: seed)
    var g = try a.transposed.multiplied(by: a)
    for i in 0..<n { g[i, i] += 0.1 }
    return g
}

@Test func lapackCholeskyEqualsReferenceAndReconstructs() throws {
    for n in [1, 2, 5, 13] {
        let a = try spd(n, seed: UInt64(n))
        let l = try a.cholesky(), r = try a.choleskyReference()
        for (x, y) in zip(l.elements, r.elements) { #expect(abs(x - y) <= 1e-12 * max(1, abs(y))) }
        let back = try l.multiplied(by: l.transposed)
        for (x, y) in zip(back.elements, a.elements) { #expect(abs(x - y) <= 1e-12 * max(1, abs(y))) }
    }
}

@Test func choleskySolveAndInverseEqualReferences() throws {
    let a = try spd(7, seed: 11)
    let b = (0..<7).map { Double($0) - 2.5 }
    let x = try a.choleskySolve(b), xr = try a.choleskySolveReference(b)
    for (u, v) in zip(x, xr) { #expect(abs(u - v) <= 1e-10 * max(1, abs(v))) }
    let inv = try a.symmetricPositiveDefiniteInverse(), lu = try a.invertedReference()
    for (u, v) in zip(inv.elements, lu.elements) { #expect(abs(u - v) <= 1e-9 * max(1, abs(v))) }
}

@Test func weightedGramEqualsTripleLoop() throws {
    let a = randomMatrix(20, 4, seed: 5)
    let w = (0..<20).map { 0.05 * Double($0 % 7) }
    let f = try a.weightedGram(w), r = try a.weightedGramReference(w)
    for (u, v) in zip(f.elements, r.elements) { #expect(abs(u - v) <= 1e-12 * max(1, abs(v))) }
}

@Test func notPositiveDefiniteIsRefused() {
    let a = Matrix([[1, 2], [2, 4]])
    #expect(throws: LinearAlgebraError.self) { try a.cholesky() }
    #expect(throws: LinearAlgebraError.self) { try a.choleskyReference() }
    #expect(throws: LinearAlgebraError.self) { try a.choleskySolve([1, 1]) }
}
