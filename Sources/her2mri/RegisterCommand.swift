import ArgumentParser
import Foundation
import HER2Model
import Volumes

/// Hidden: one rigid registration of two NIfTI files, printed as JSON (for benchmarks).
struct RegisterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "register",
        abstract: "Register MOVING to FIXED rigidly by Mattes mutual information; print the transform as JSON.",
        discussion: """
        The transform maps fixed-image world points (LPS mm) to moving-image points. Seconds \
        count the fixed image's preparation and the registration, not file reading.
        """,
        shouldDisplay: false
    )

    @Argument(help: "Fixed image (.nii / .nii.gz).")
    var fixed: String
    @Argument(help: "Moving image (.nii / .nii.gz).")
    var moving: String
    @Option(help: "Phase of a 4-D fixed image.")
    var fixedPhase = 0
    @Option(help: "Phase of a 4-D moving image.")
    var movingPhase = 0
    @Option(help: "Fraction of the fixed voxels sampled per level (1 = all).")
    var sampling = 0.1
    @Option(help: "Iterations per level, at most.")
    var iterations = 100
    @Option(help: "Minimum step length (mm).")
    var minStep = 1e-4
    @Option(help: "The descent of a level stops when the scaled gradient is smaller than this.")
    var gradientTolerance = 1e-4
    @Option(help: "Stop a level when the metric improved by less than --convergence-tolerance (relative) over this many iterations (0: never).")
    var convergenceWindow = 10
    @Option(help: "Relative improvement below which the convergence window stops a level.")
    var convergenceTolerance = 1e-4
    @Option(help: "Double the step after this many successive iterations without a turn back (0: never, ITK's rule).")
    var stepGrowthAfter = 2
    @Option(help: "Worker threads (0 = one per core).")
    var threads = 0
    @Flag(help: "Sample only inside the fixed image's body (air left out).")
    var insideBody = false
    @Option(help: "With --inside-body: write the body mask used (NIfTI, on the fixed grid) here.")
    var writeMask: String?

    func run() throws {
        var settings = RigidRegistrationSettings()
        settings.samplingFraction = sampling
        settings.maximumIterations = iterations
        settings.minimumStepLength = minStep
        settings.gradientMagnitudeTolerance = gradientTolerance
        settings.convergenceWindow = convergenceWindow
        settings.convergenceTolerance = convergenceTolerance
        settings.stepGrowthAfter = stepGrowthAfter
        settings.threads = threads
        let report = try runReportingErrors {
            try FileRegistration.register(fixed: URL(fileURLWithPath: fixed), moving: URL(fileURLWithPath: moving),
                                          fixedPhase: fixedPhase, movingPhase: movingPhase,
                                          settings: settings, insideBody: insideBody,
                                          writeMask: writeMask.map { URL(fileURLWithPath: $0) })
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
    }
}
