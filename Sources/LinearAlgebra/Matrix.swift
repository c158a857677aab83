/// A dense matrix of `Double`, stored row-major.
///
/// Convention (stated once): element (r, c) lives at `elements[r * columns + c]`.
/// BLAS and LAPACK are called with `CblasRowMajor` / `LAPACK_ROW_MAJOR`, never transposed behind
/// the caller's back.
public struct Matrix: Equatable, Sendable {
    public let rows: Int
    public let columns: Int
    public var elements: [Double]

    /// A `rows × columns` matrix filled with `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.elements = Array(repeating: value, count: rows * columns)
    }

    /// A matrix over existing row-major storage.
    public init(rows: Int, columns: Int, elements: [Double]) {
        precondition(elements.count == rows * columns, "Matrix storage does not match its shape")
        self.rows = rows
        self.columns = columns
        self.elements = elements
    }

    /// A matrix from nested rows, all of the same length.
    public init(_ rowArrays: [[Double]]) {
        let columns = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == columns }, "Rows differ in length")
        self.init(rows: rowArrays.count, columns: columns, elements: rowArrays.flatMap { $0 })
    }

    /// The `n × n` identity.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m[i, i] = 1 }
        return m
    }

    public subscript(row: Int, column: Int) -> Double {
        get { elements[row * columns + column] }
        set { elements[row * columns + column] = newValue }
    }

    /// Row `r` as an array.
    public func row(_ r: Int) -> [Double] {
        Array(elements[(r * columns)..<((r + 1) * columns)])
    }

    /// Column `c` as an array.
    public func column(_ c: Int) -> [Double] {
        (0..<rows).map { self[$0, c] }
    }

    /// The transpose.
    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for r in 0..<rows {
            for c in 0..<columns { t[c, r] = self[r, c] }
        }
        return t
    }
}
