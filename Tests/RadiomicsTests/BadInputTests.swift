import Foundation
import Radiomics
import Testing
import Volumes

/// Bad input gives a clear error (or a documented NaN with a warning), never a crash.
@Suite("Radiomics — bad input")
struct BadInputTests {
    static func volume(_ size: SIMD3<Int>, spacing: SIMD3<Double> = .one, _ value: (Int, Int, Int) -> Float) -> Volume {
        var samples: [Float] = []
        for k in 0..<size.z { for j in 0..<size.y { for i in 0..<size.x { samples.append(value(i, j, k)) } } }
        return try! Volume(size: size, geometry: Geometry(spacing: spacing), samples: samples)
    }

    static let size = SIMD3(12, 10, 8)
    static let image = volume(size) { i, j, k in Float((i * 7 + j * 13 + k * 29) % 50) + 100 }
    static let ball = volume(size) { i, j, k in
        let d = SIMD3(Double(i) - 6, Double(j) - 5, Double(k) - 4)
        return (d * d).sum() <= 9 ? 1 : 0
    }

    @Test func emptyMask() {
        let mask = Self.volume(Self.size) { _, _, _ in 0 }
        #expect(throws: RadiomicsError.emptyMask) { try RadiomicsExtractor.extract(image: Self.image, mask: mask) }
        #expect(RadiomicsError.emptyMask.description.contains("empty"))
    }

    @Test func labelNotInMask() {
        var settings = RadiomicsSettings()
        settings.label = 2
        #expect(throws: RadiomicsError.labelNotInMask(label: 2, present: [1])) {
            try RadiomicsExtractor.extract(image: Self.image, mask: Self.ball, settings: settings)
        }
    }

    @Test func maskOnAnotherGrid() {
        let otherSize = Self.volume(SIMD3(12, 10, 9)) { _, _, _ in 1 }
        #expect { try RadiomicsExtractor.extract(image: Self.image, mask: otherSize) } throws: { e in
            guard case let .gridMismatch(detail) = e as? RadiomicsError else { return false }
            return detail.contains("12×10×8") && detail.contains("12×10×9")
        }
        let otherSpacing = Self.volume(Self.size, spacing: SIMD3(1, 1, 2)) { i, j, k in Self.ball.samples[i + 12 * (j + 10 * k)] }
        #expect { try RadiomicsExtractor.extract(image: Self.image, mask: otherSpacing) } throws: { e in
            if case .gridMismatch = e as? RadiomicsError { return true } else { return false }
        }
    }

    @Test func oneVoxelMask() {
        let mask = Self.volume(Self.size) { i, j, k in i == 3 && j == 4 && k == 5 ? 1 : 0 }
        #expect { try RadiomicsExtractor.extract(image: Self.image, mask: mask) } throws: { e in
            guard case let .regionTooSmall(detail) = e as? RadiomicsError else { return false }
            return detail.contains("one voxel")
        }
    }

    @Test func flatRegionNeedsTwoDimensions() {
        let line = Self.volume(Self.size) { i, j, k in j == 4 && k == 5 && i > 2 && i < 8 ? 1 : 0 }
        #expect { try RadiomicsExtractor.extract(image: Self.image, mask: line) } throws: { e in
            guard case let .regionTooSmall(detail) = e as? RadiomicsError else { return false }
            return detail.contains("minimumROIDimensions")
        }
    }

    /// A constant image is not an error: pyradiomics' conventions give defined values
    /// (checked against pyradiomics in the parity fixture `constant_image`); none is NaN here.
    @Test func constantImage() throws {
        let flat = Self.volume(Self.size) { _, _, _ in 300 }
        let result = try RadiomicsExtractor.extract(image: flat, mask: Self.ball)
        #expect(result.features.count == 107)
        #expect(result["original_firstorder_Variance"] == 0)
        #expect(result["original_glcm_MCC"] == 1)
        #expect(result["original_ngtdm_Coarseness"] == 1e6)
        let nan = result.features.filter { $0.value.isNaN }.map(\.name)
        #expect(nan.count == result.warnings.filter { $0.contains("NaN") }.count)
    }

    @Test func nonFiniteIntensity() {
        let bad = Self.volume(Self.size) { i, j, k in i == 6 && j == 5 && k == 4 ? .nan : 1 }
        #expect(throws: RadiomicsError.nonFiniteIntensity(count: 1)) { try RadiomicsExtractor.extract(image: bad, mask: Self.ball) }
    }

    @Test func parameterFileWrongType() {
        #expect { try ParameterFile.parse("setting:\n  binWidth: wide\n", path: "p.yaml") } throws: { e in
            "\(e)".contains("p.yaml") && "\(e)".contains("setting.binWidth must be a number")
        }
        #expect { try ParameterFile.parse("setting:\n  normalize: 3\n", path: "p.yaml") } throws: { e in
            "\(e)".contains("setting.normalize must be true or false")
        }
        #expect { try ParameterFile.parse("setting:\n  resampledPixelSpacing: 2\n", path: "p.yaml") } throws: { e in
            "\(e)".contains("resampledPixelSpacing")
        }
        #expect { try ParameterFile.parse("setting:\n  binWidth: -3\n", path: "p.yaml") } throws: { e in
            "\(e)".contains("must be > 0")
        }
        #expect { try ParameterFile.parse("featureClass:\n  glcm:\n    - Contras\n", path: "p.yaml") } throws: { e in
            "\(e)".contains("Contras")
        }
        #expect { try ParameterFile.parse("setting:\n  binWidth: [1\n", path: "p.yaml") } throws: { e in
            "\(e)".contains("line 2")
        }
    }

    @Test func parameterFileUnknownKeysAreReported() throws {
        let p = try ParameterFile.parse("""
            # a user's file
            imageType:
              Original: {}
            featureClass:
              shape:
              glcm: [Contrast, Idmn]
            setting:
              binWidth: 10
              resampledPixelSpacing: [1, 1, 2.5]
              interpolator: 'sitkLinear'
              label: 2
              binWdth: 5
              additionalInfo: true
            """, path: "user.yaml")
        #expect(p.settings.binWidth == 10)
        #expect(p.settings.resampledPixelSpacing == [1, 1, 2.5])
        #expect(p.settings.interpolator == .linear)
        #expect(p.settings.label == 2)
        #expect(p.settings.featureClasses == [FeatureClassSelection(featureClass: .shape),
                                              FeatureClassSelection(featureClass: .glcm, features: ["Contrast", "Idmn"])])
        #expect(p.warnings == ["user.yaml: unknown setting `binWdth` ignored"])
    }

    @Test func unimplementedPyradiomicsSettingsAreRefused() {
        #expect { try ParameterFile.parse("setting:\n  force2D: true\n") } throws: { "\($0)".contains("force2D") }
        #expect { try ParameterFile.parse("imageType:\n  Wavelet: {}\n") } throws: { "\($0)".contains("Wavelet") }
        #expect { try ParameterFile.parse("featureClass:\n  shape2D:\n") } throws: { "\($0)".contains("shape2D") }
    }
}
