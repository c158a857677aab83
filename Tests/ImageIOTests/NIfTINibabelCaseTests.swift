import Foundation
import LinearAlgebra
import Testing
@testable import ImageIO

/// Files written by nibabel 5.4.2 (tools/nifti_reference_cases.py): every datatype, nibabel's own
/// scaling, qform-only / pixdim-only geometry, qfac −1, big endian, NIfTI-2, 2-D, a .hdr/.img pair.
@Suite struct NIfTINibabelCaseTests {
    typealias S = NIfTITestSupport

    @Test func casesCoverTheDatatypesAndLayouts() {
        let cases = S.generated.cases
        #expect(S.generated.nibabel == "5.4.2")
        let types = Set(cases.map { $0.expected.datatype.replacingOccurrences(of: ">", with: "") })
        #expect(types.isSuperset(of: ["uint8", "int8", "uint16", "int16", "int32", "uint32", "float32", "f8"]))
        #expect(cases.contains { $0.expected.format == "nifti2" })
        #expect(cases.contains { $0.expected.sformCode == 0 && $0.expected.qformCode > 0 })
        #expect(cases.contains { $0.expected.sformCode == 0 && $0.expected.qformCode == 0 })
    }

    @Test(arguments: NIfTITestSupport.generated.cases)
    func readerAgreesWithNibabel(_ c: NIfTITestSupport.NibabelCase) throws {
        let folder = try S.scratchFolder("nibabel")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = try c.materialise(in: folder)
        let e = c.expected

        let summary = try NIfTISummary(contentsOf: url)
        #expect(summary.format == e.format)
        #expect(summary.shape == e.shape)
        #expect(summary.datatype == e.datatype)
        #expect(summary.zooms == e.zooms)
        #expect(summary.sclSlope == e.sclSlope)
        #expect(summary.sclInter == e.sclInter)
        #expect(summary.qformCode == e.qformCode)
        #expect(summary.sformCode == e.sformCode)
        #expect(S.close(Matrix(summary.affine), e.affine), "\(summary.affine) vs \(e.affine)")
        #expect(S.close(summary.scaledData.sum, e.sum))
        #expect(S.close(summary.scaledData.min, e.min))
        #expect(S.close(summary.scaledData.max, e.max))
        #expect(S.close(summary.scaledData.mean, e.mean))

        let image = try NIfTIReader.read(contentsOf: url)
        #expect(image.volume.samples.count == e.values.count)
        let mismatches = zip(image.volume.samples, e.values).filter { !S.close(Double($0), $1, rel: 1e-6, abs: 1e-6) }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(3))")
        // A 2-D image has no third axis in nibabel's affine column sense; the volume's geometry
        // still reproduces the first two columns and the offset.
        #expect(S.close(image.volume.geometry.rasAffine, e.affine))
    }
}
