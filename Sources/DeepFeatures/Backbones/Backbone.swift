/// The four ImageNet backbones, by the names torchvision / timm give them.
public enum Backbone: String, Sendable, CaseIterable {
    /// torchvision `resnet50` → 2048.
    case resnet50
    /// torchvision `vgg16` → 4096 (fc7) or 512 (`gap`).
    case vgg16
    /// torchvision `efficientnet_b0` → 1280.
    case efficientnetB0 = "efficientnet_b0"
    /// timm `vit_small_patch16_224` → 384.
    case vitSmall = "vit_small_patch16_224"

    /// Feature layers offered; the first is the default.
    public var layers: [String] {
        switch self {
        case .resnet50, .efficientnetB0, .vitSmall: return ["gap"]
        case .vgg16: return ["fc7", "gap"]
        }
    }

    /// Builds the network in feature mode from `weights`.
    public func network(weights: WeightSource, layer: String? = nil) throws -> FeatureNetwork {
        let chosen = layer ?? layers[0]
        guard layers.contains(chosen) else { throw DeepFeaturesError.unknownLayer(backbone: rawValue, layer: chosen) }
        switch self {
        case .resnet50: return try ResNet50(weights: weights)
        case .vgg16: return try VGG16(weights: weights, layer: chosen == "gap" ? .gap : .fc7)
        case .efficientnetB0: return try EfficientNetB0(weights: weights)
        case .vitSmall: return try ViTSmall(weights: weights)
        }
    }
}
