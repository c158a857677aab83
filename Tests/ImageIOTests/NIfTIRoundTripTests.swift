import Foundation
import LinearAlgebra
import Testing
import Volumes
@testable import ImageIO

/// Write, then read: the same samples and the same geometry.
@Suite struct NIfTIRoundTripTests {
    typealias S = NIfTITestSupport

    /// A rotation about an oblique axis (Rodrigues' formula), as direction cosines.
    static func obliqueDirection(flipThird: Bool = false) -> Matrix {
        let axis = SIMD3<Double>(0.3, -0.5, 0.8) / (0.09 + 0.25 + 0.64).squareRoot()
        let angle = 0.7
        let (c, s) = (cos(angle), sin(angle))
        var m = Matrix(rows: 3, columns: 3)
        let k = [[0, -axis.z, axis.y], [axis.z, 0, -axis.x], [-axis.y, axis.x, 0]]
        for r in 0..<3 {
            for col in 0..<3 {
                var kk = 0.0
                for i in 0..<3 { kk += k[r][i] * k[i][col] }
                m[r, col] = (r == col ? 1 : 0) + s * k[r][col] + (1 - c) * kk
            }
        }
        if flipThird { for r in 0..<3 { m[r, 2] = -m[r, 2] } }
        return m
    }

    /// Float32-representable spacing and origin, axis-aligned with flips: stored exactly.
    static let exactGeometry = Geometry(
        spacing: SIMD3(0.75, 1.25, 2.5), origin: SIMD3(-120.5, 88.25, -40),
        direction: Matrix([[0, 1, 0], [-1, 0, 0], [0, 0, 1]]))

    static func volume(phases: Int, geometry: Geometry, values: (Int) -> Float) throws -> Volume {
        let size = SIMD3(7, 5, 4)
        let n = size.x * size.y * size.z * phases
        return try Volume(size: size, phases: phases, geometry: geometry, samples: (0..<n).map(values))
    }

    static func roundTrip(_ v: Volume, name: String, datatype: NIfTIDatatype = .float32,
                          slope: Float = 1, inter: Float = 0) throws -> (NIfTIImage, Data) {
        let folder = try S.scratchFolder("roundtrip")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent(name)
        try NIfTIWriter.write(v, to: url, datatype: datatype, sclSlope: slope, sclInter: inter, description: "round trip")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == [name], "no temporary file left")
        return (try NIfTIReader.read(contentsOf: url), try Data(contentsOf: url))
    }

    @Test(arguments: [("3d.nii", 1), ("3d.nii.gz", 1), ("4d.nii", 5), ("4d.nii.gz", 5)])
    func float32IsExact(name: String, phases: Int) throws {
        let v = try Self.volume(phases: phases, geometry: Self.exactGeometry) { Float($0) * 0.37 - 11.5 }
        let (image, bytes) = try Self.roundTrip(v, name: name)
        #expect(image.volume == v)
        #expect(image.header.format == .nifti1 && !image.header.bigEndian)
        #expect(image.header.descriptionText == "round trip")
        #expect(image.header.qformCode == 1 && image.header.sformCode == 1)
        #expect(image.header.xyztUnits == 10)
        #expect(image.header.zooms.prefix(3) == [0.75, 1.25, 2.5])
        #expect((bytes.prefix(2) == Data([0x1f, 0x8b])) == name.hasSuffix(".gz"))
    }

    @Test(arguments: NIfTIDatatype.allCases.filter(\.isInteger))
    func integerTypesWithScalingAreExact(datatype: NIfTIDatatype) throws {
        // Stored integers across the type's range, mapped through a float32-exact slope / inter.
        let range = try #require(datatype.integerRange)
        let slope: Float = 0.5, inter: Float = -3
        let lo = Swift.max(range.lowerBound, -30000), hi = Swift.min(range.upperBound, 30000)
        let v = try Self.volume(phases: 3, geometry: Self.exactGeometry) { i in
            let stored = lo + Double(i % 97) / 96 * (hi - lo)
            return Float(stored.rounded()) * slope + inter
        }
        for name in ["int.nii", "int.nii.gz"] {
            let (image, _) = try Self.roundTrip(v, name: name, datatype: datatype, slope: slope, inter: inter)
            #expect(image.volume == v, "\(datatype) \(name)")
            #expect(image.header.datatype == datatype)
            #expect(image.header.slopeInter?.slope == 0.5 && image.header.slopeInter?.inter == -3)
        }
    }

    @Test func integerTypesRoundAndClamp() throws {
        let values: [Float] = [-1000, -128.6, -0.5, 0.4, 0.5, 1.5, 254.5, 255.4, 70000]
        let v = try Volume(size: SIMD3(values.count, 1, 1), samples: values)
        let (u8, _) = try Self.roundTrip(v, name: "u8.nii", datatype: .uint8)
        #expect(u8.volume.samples == [0, 0, 0, 0, 1, 2, 255, 255, 255])
        let (i8, _) = try Self.roundTrip(v, name: "i8.nii", datatype: .int8)
        #expect(i8.volume.samples == [-128, -128, -1, 0, 1, 2, 127, 127, 127])
    }

    @Test func float64IsExact() throws {
        let v = try Self.volume(phases: 2, geometry: Self.exactGeometry) { Float.pi * Float($0) }
        let (image, _) = try Self.roundTrip(v, name: "f8.nii", datatype: .float64)
        #expect(image.volume == v)
    }

    /// An oblique direction (either handedness) survives through float32 storage to 1e-6 mm,
    /// and the qform the writer derives describes the same grid as the sform.
    @Test(arguments: [false, true])
    func obliqueGeometry(leftHanded: Bool) throws {
        let geometry = Geometry(spacing: SIMD3(0.7, 0.9, 3.3), origin: SIMD3(12.3, -45.6, 78.9),
                                direction: Self.obliqueDirection(flipThird: leftHanded))
        let v = try Self.volume(phases: 2, geometry: geometry) { Float($0 % 13) }
        let (image, _) = try Self.roundTrip(v, name: "oblique.nii.gz")
        #expect(image.volume.samples == v.samples)
        let read = image.volume.geometry
        for c in 0..<3 {
            #expect(S.close(read.spacing[c], geometry.spacing[c], rel: 1e-6))
            #expect(S.close(read.origin[c], geometry.origin[c], rel: 1e-6))
            for r in 0..<3 { #expect(Swift.abs(read.direction[r, c] - geometry.direction[r, c]) < 1e-6) }
        }
        let q = try image.header.qformAffine()
        let s = image.header.sformAffine
        #expect((image.header.pixdim[0] < 0) == leftHanded)
        #expect((geometry.rasAffineDeterminant < 0) == leftHanded)
        for r in 0..<3 { for c in 0..<4 { #expect(Swift.abs(q[r, c] - s[r, c]) < 1e-5, "qform \(q) vs sform \(s)") } }
    }

    @Test func sameVolumeGivesSameBytes() throws {
        let v = try Self.volume(phases: 3, geometry: Self.exactGeometry) { Float(($0 * 7919) % 1000) }
        let (_, a) = try Self.roundTrip(v, name: "a.nii.gz", datatype: .int16)
        let (_, b) = try Self.roundTrip(v, name: "a.nii.gz", datatype: .int16)
        #expect(a == b)
    }

    @Test func failedWriteLeavesNothing() throws {
        let folder = try S.scratchFolder("failed")
        defer { try? FileManager.default.removeItem(at: folder) }
        let v = try Volume(size: SIMD3(2, 2, 1), samples: [1, .nan, 3, 4])
        let url = folder.appendingPathComponent("x.nii")
        #expect(throws: ImageIOError.self) { try NIfTIWriter.write(v, to: url, datatype: .int16) }
        #expect(throws: ImageIOError.self) { try NIfTIWriter.write(v, to: url, sclSlope: 0) }
        #expect(throws: ImageIOError.self) {
            try NIfTIWriter.write(v, to: folder.appendingPathComponent("missing/x.nii"))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
        // A float file holds the NaN.
        try NIfTIWriter.write(v, to: url)
        #expect(try NIfTIReader.read(contentsOf: url).volume.samples[1].isNaN)
    }

    @Test func overwritingReplacesTheFile() throws {
        let folder = try S.scratchFolder("overwrite")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("x.nii")
        try NIfTIWriter.write(try Volume(size: SIMD3(2, 1, 1), samples: [1, 2]), to: url)
        try NIfTIWriter.write(try Volume(size: SIMD3(3, 1, 1), samples: [5, 6, 7]), to: url)
        #expect(try NIfTIReader.read(contentsOf: url).volume.samples == [5, 6, 7])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["x.nii"])
    }
}

extension Geometry {
    /// Sign of the voxel → RAS affine's 3 × 3 part (negative: a left-handed grid, qfac −1).
    var rasAffineDeterminant: Double {
        let d = rasAffine
        return d[0, 0] * (d[1, 1] * d[2, 2] - d[1, 2] * d[2, 1])
            - d[0, 1] * (d[1, 0] * d[2, 2] - d[1, 2] * d[2, 0])
            + d[0, 2] * (d[1, 0] * d[2, 1] - d[1, 1] * d[2, 0])
    }
}
