import Dispatch
import Foundation
import ImageIO
import Volumes

/// Two NIfTI files in, one rigid registration out: what `her2mri register` (a hidden command
/// for benchmarks such as tools/bench_registration.py) runs.
public enum FileRegistration {
    /// The outcome with the time of the registration including the fixed image's preparation
    /// (pyramid, samples, bins) and excluding file reading.
    public struct Report: Codable, Sendable {
        public var fixed: String
        public var moving: String
        public var result: RegistrationResult
        /// The 3 × 3 rotation (rows) of `result.transform`, for readers without our Euler convention.
        public var matrix: [[Double]]
        public var seconds: Double
    }

    /// Registers phase `movingPhase` of `moving` to phase `fixedPhase` of `fixed`; with
    /// `insideBody` the metric samples only the fixed image's body (as the preprocessor does),
    /// and `writeMask` (after the timed part) saves that body mask, so a peer can sample the same.
    public static func register(fixed: URL, moving: URL, fixedPhase: Int = 0, movingPhase: Int = 0,
                                settings: RigidRegistrationSettings, insideBody: Bool = false,
                                writeMask: URL? = nil) throws -> Report {
        func phase(_ url: URL, _ p: Int) throws -> Volume {
            let v = try NIfTIReader.read(contentsOf: url).volume
            guard p >= 0 && p < v.phases else {
                throw HER2ModelError.invalidArgument("\(url.path): phase \(p) asked, the file has \(v.phases)")
            }
            return v.phase(p)
        }
        let f = try phase(fixed, fixedPhase), m = try phase(moving, movingPhase)
        let start = DispatchTime.now().uptimeNanoseconds
        let mask = insideBody ? BreastMask.body(f, marginMm: PreprocessingSettings().bodyMarginMm) : nil
        let registration = try RigidRegistration(fixed: f, name: fixed.lastPathComponent, mask: mask, settings: settings)
        let result = try registration.register(m, name: moving.lastPathComponent)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if let writeMask, let mask {
            // On the fixed grid (nearest voxel), as a peer's fixed-image mask.
            try NIfTIWriter.write(try mask.resampled(onto: f, interpolation: .nearest), to: writeMask, datatype: .uint8)
        }
        return Report(fixed: fixed.path, moving: moving.path, result: result,
                      matrix: result.transform.rotationRows.map { [$0.x, $0.y, $0.z] }, seconds: seconds)
    }
}
