import Testing
import Support
@testable import LinearAlgebra

func randomMatrix(_ r: Int, _ c: Int, seed: UInt64) -> Matrix {
    var g = SplitMix64(seed: seed)
    return Matrix(rows: r, columns: c, elements: (0..<(r * c)).map { _ in g.uniform(-1, 1) })
}

@Test func blasProductEqualsTripleLoop() throws {
    for (m, k, n) in [(1, 1, 1), (3, 5, 2), (17, 33, 9), (64, 1, 64)] {
        let a = randomMatrix(m, k, seed: UInt64(m * 100 + k))
        let b = randomMatrix(k, n, seed: UInt64(n * 7 + 3))
        let fast = try a.multiplied(by: b)
        let slow = try a.multipliedReference(by: b)
        for (x, y) in zip(fast.elements, slow.elements) { #expect(abs(x - y) <= 1e-12 * max(1, abs(y))) }
    }
}

@Test func productShapeMismatchIsAnError() {
    #expect(throws: LinearAlgebraError.self) { try Matrix(rows: 2, columns: 3).multiplied(by: Matrix(rows: 2, columns: 3)) }
}

@Test func lapackInverseEqualsGaussJordanAndGivesIdentity() throws {
    let a = randomMatrix(6, 6, seed: 42)
    let inv = try a.inverted()
    let ref = try a.invertedReference()
    for (x, y) in zip(inv.elements, ref.elements) { #expect(abs(x - y) <= 1e-9 * max(1, abs(y))) }
    let id = try a.multiplied(by: inv)
    for i in 0..<6 { for j in 0..<6 { #expect(abs(id[i, j] - (i == j ? 1 : 0)) < 1e-10) } }
}

@Test func singularMatrixIsRefused() {
    let a = Matrix([[1, 2], [2, 4]])
    #expect(throws: LinearAlgebraError.self) { try a.inverted() }
    #expect(throws: LinearAlgebraError.self) { try a.invertedReference() }
}
