@testable import DeepFeatures
import Foundation
import Testing

/// The `.npy` reader against files NumPy wrote, and its errors.
@Suite("NPY")
struct NPYTests {
    @Test("reads NumPy's files and round-trips")
    func roundTrip() throws {
        let x = try Fixtures.npy("resnet50.npy")
        #expect(x.shape == [3, 2048])
        let again = try NPY.decode(NPY.encode(x), path: "memory")
        #expect(again == x)
        let encoded = NPY.encode(x)
        #expect((encoded.count - 3 * 2048 * 4) % 64 == 0)
    }

    @Test("bad files give clear errors")
    func bad() throws {
        let good = NPY.encode(Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6]))
        var f64 = good
        let headerRange = f64.range(of: Data("<f4".utf8))!
        f64.replaceSubrange(headerRange, with: Data("<i8".utf8))
        var fortran = good
        fortran.replaceSubrange(fortran.range(of: Data("False".utf8))!, with: Data("True ".utf8))
        for (name, data) in [("magic", Data("hello".utf8)), ("truncated", good.prefix(good.count - 4)), ("dtype", f64),
                             ("fortran", fortran), ("header", good.prefix(20))] {
            #expect(throws: DeepFeaturesError.self, "\(name)") { try NPY.decode(data, path: name) }
        }
    }

    @Test("embedFile: .npy in, features .npy out, equal to PyTorch's")
    func embedFileParity() throws {
        let extractor = try FeatureExtractor(backbone: .efficientnetB0, weights: Fixtures.weights("efficientnet_b0"))
        let dir = FileManager.default.temporaryDirectory
        let input = dir.appendingPathComponent("deep-\(getpid())-in.npy").path
        let output = dir.appendingPathComponent("deep-\(getpid())-out.npy").path
        defer { for p in [input, output] { try? FileManager.default.removeItem(atPath: p) } }
        try NPY.write(FormulaWeights.images("input", count: 3), path: input)
        _ = try extractor.embedFile(input: input, output: output, options: InferenceOptions(threads: 2), batchSize: 2)
        let agreement = Agreement(try NPY.read(path: output), try Fixtures.npy("efficientnet_b0.npy"))
        #expect(agreement.passes(ParityTests.bar("efficientnet_b0")), "\(agreement)")
    }

    @Test("embed refuses inputs of the wrong shape or with NaN, naming the file")
    func embedInput() throws {
        let extractor = try FeatureExtractor(backbone: .efficientnetB0, weightsFile: nil)
        let dir = FileManager.default.temporaryDirectory
        let wrong = dir.appendingPathComponent("deep-\(getpid())-wrong.npy").path
        try NPY.write(Tensor(zeros: [1, 3, 32, 32]), path: wrong)
        defer { try? FileManager.default.removeItem(atPath: wrong) }
        #expect { try extractor.embedFile(input: wrong, output: wrong + ".out") } throws: { error in
            guard case .badInput(let file, _)? = error as? DeepFeaturesError else { return false }
            return file == wrong
        }
        var nan = Tensor(zeros: [1, 3, 224, 224])
        nan.storage[5] = .nan
        let nanPath = dir.appendingPathComponent("deep-\(getpid())-nan.npy").path
        try NPY.write(nan, path: nanPath)
        defer { try? FileManager.default.removeItem(atPath: nanPath) }
        #expect(throws: DeepFeaturesError.self) { try extractor.embedFile(input: nanPath, output: nanPath + ".out") }
    }
}
