import Foundation
import Support
import Testing
import Volumes
@testable import ImageIO

/// The unscaled float32 / uint8 / int16 / uint16 fast paths of the NIfTI reader against the
/// general scaling loop (its slow twin, here in double precision rounded to float), on seeded
/// values over each type's range, whole and in sub-ranges.
@Suite struct NIfTIFastPathTests {
    @Test(arguments: [NIfTIDatatype.float32, .uint8, .int16, .uint16])
    func fastPathEqualsTheGeneralLoop(datatype: NIfTIDatatype) throws {
        var g = SplitMix64(seed: 17)
        let size = SIMD3(13, 7, 5)
        let samples: [Float] = (0..<(size.x * size.y * size.z)).map { _ in
            switch datatype {
            case .uint8: return Float(g.int(in: 0...255))
            case .int16: return Float(g.int(in: -32768...32767))
            case .uint16: return Float(g.int(in: 0...65535))
            default: return Float(g.normal() * 1000)
            }
        }
        let volume = try Volume(size: size, samples: samples)
        let url = URL(fileURLWithPath: "/nonexistent/fast-path.nii")
        let bytes = try NIfTIWriter.encode(volume, datatype: datatype, sclSlope: 1, sclInter: 0, description: "", file: url.path)
        let image = try NIfTIReader.read(fileBytes: bytes, url: url)
        #expect(image.volume.samples == samples)
        let (header, payload) = try NIfTIReader.load(bytes, url: url)
        try payload.withUnsafeBytes { p in
            let general = NIfTIReader.scaledSamples(header, p, as: Double.self).map(Float.init)
            #expect(NIfTIReader.scaledSamples(header, p, as: Float.self) == general)
            let part = 40..<300
            #expect(NIfTIReader.scaledSamples(header, p, as: Float.self, range: part) == Array(general[part]))
            _ = try #require(header.slopeInter)
        }
    }
}
