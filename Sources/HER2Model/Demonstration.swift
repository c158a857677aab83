import Foundation

/// `her2mri demo`: what a newcomer runs first. (Grows as the chain is built.)
public struct Demonstration: Sendable {
    public let output: URL
    public let patients: Int

    public init(output: URL, patients: Int) {
        self.output = output
        self.patients = patients
    }

    public func run() throws -> String {
        let cohort = output.appendingPathComponent("cohort")
        let summary = try SyntheticCohort(patients: patients, seed: 2026, format: .nifti).write(to: cohort)
        return "\(summary.studies)"
    }
}
