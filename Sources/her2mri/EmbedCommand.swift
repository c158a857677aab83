import ArgumentParser
import DeepFeatures
import Foundation
import Support

struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Deep features of a batch of images with one ImageNet backbone (.npy in, .npy out).",
        discussion: """
        Input: float32 .npy of shape (N, 3, 224, 224), already normalised with the ImageNet mean \
        and std. Output: float32 .npy of shape (N, D): resnet50 2048, vgg16 4096 (fc7; --layer gap \
        512), efficientnet_b0 1280, vit_small_patch16_224 384. Weights: a safetensors file of the \
        torchvision / timm model.state_dict(); without --weights the network has seeded random \
        weights and its features carry no learned meaning (said on standard error).
        """
    )

    @Option(help: "The backbone.")
    var backbone: Backbone

    @Option(help: "safetensors file of the model's state_dict() (default: seeded weights).")
    var weights: String?

    @Option(help: "Feature layer (vgg16: fc7 or gap).")
    var layer: String?

    @Option(help: "Input .npy, float32 (N, 3, 224, 224).")
    var input: String

    @Option(help: "Output .npy, float32 (N, D).")
    var output: String

    @Option(help: "Threads (default: all cores).")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Images per batch.")
    var batchSize: Int = 8

    func validate() throws {
        if let layer, !backbone.layers.contains(layer) {
            throw ValidationError("backbone '\(backbone.rawValue)' has no layer '\(layer)' (it has \(backbone.layers.joined(separator: ", ")))")
        }
        guard threads >= 1, batchSize >= 1 else { throw ValidationError("--threads and --batch-size must be at least 1") }
    }

    func run() throws {
        AllocatorPolicy.keepFreedBuffers()
        let (extractor, features) = try runReportingErrors {
            let extractor = try FeatureExtractor(backbone: backbone, layer: layer, weightsFile: weights)
            let features = try extractor.embedFile(input: input, output: output,
                                                   options: InferenceOptions(threads: threads), batchSize: batchSize)
            return (extractor, features)
        }
        print("\(output): \(features.shape[0]) × \(features.shape[1]) features, \(backbone.rawValue) \(extractor.layer), weights \(extractor.weightsIdentity)")
        if extractor.isSeeded {
            printError("her2mri: warning: no --weights given: seeded random weights, not an ImageNet model; the features carry no learned meaning")
        }
    }
}
