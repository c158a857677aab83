import Foundation
import LinearAlgebra
import Testing
@testable import ImageIO

/// Shared pieces of the NIfTI tests: a scratch folder, tolerances, the nibabel cases decoded.
enum NIfTITestSupport {
    /// A fresh empty folder under the system temporary folder.
    static func scratchFolder(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("her2mri-nifti-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// |a − b| ≤ rel · max(|a|, |b|) + abs.
    static func close(_ a: Double, _ b: Double, rel: Double = 1e-6, abs absolute: Double = 1e-9) -> Bool {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
        return Swift.abs(a - b) <= rel * Swift.max(Swift.abs(a), Swift.abs(b)) + absolute
    }

    /// Every element of two 4 × 4 affines close.
    static func close(_ m: Matrix, _ rows: [[Double]], rel: Double = 1e-6, abs absolute: Double = 1e-9) -> Bool {
        guard rows.count == 4, rows.allSatisfy({ $0.count == 4 }) else { return false }
        return (0..<4).allSatisfy { r in (0..<4).allSatisfy { c in close(m[r, c], rows[r][c], rel: rel, abs: absolute) } }
    }

    /// One file (or pair) written by nibabel and what nibabel read back from it.
    struct NibabelCase: Decodable, CustomStringConvertible {
        let name: String
        let files: [String: String]
        let expected: Expected
        var description: String { name }

        struct Expected: Decodable {
            let format: String
            let shape: [Int]
            let datatype: String
            let zooms: [Double]
            let sclSlope: Double?
            let sclInter: Double?
            let qformCode: Int
            let sformCode: Int
            let affine: [[Double]]
            let values: [Double]
            let sum: Double
            let min: Double
            let max: Double
            let mean: Double
        }

        /// Writes the case's files into `folder`; returns the one to open.
        func materialise(in folder: URL) throws -> URL {
            for (file, base64) in files {
                guard let data = Data(base64Encoded: base64) else { throw CocoaError(.fileReadCorruptFile) }
                try data.write(to: folder.appendingPathComponent(file))
            }
            return folder.appendingPathComponent(name)
        }
    }

    struct Generated: Decodable {
        let nibabel: String
        let cases: [NibabelCase]
        let realdataHeaderScaling: [String: Scaling]

        struct Scaling: Decodable {
            let sclSlope: Double?
            let sclInter: Double?
        }
    }

    /// The decoded content of `NIfTINibabelCases.json`.
    static let generated: Generated = {
        do {
            return try JSONDecoder().decode(Generated.self, from: Data(NIfTINibabelCases.json.utf8))
        } catch {
            fatalError("NIfTINibabelCases.swift does not decode (\(error)); rerun tools/nifti_reference_cases.py")
        }
    }()
}
