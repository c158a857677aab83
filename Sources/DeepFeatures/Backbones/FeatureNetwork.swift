/// A backbone in feature mode: a batch of normalised NHWC images in, one feature vector per
/// image out.
public protocol FeatureNetwork: AnyObject {
    /// Length of a feature vector.
    var featureDimension: Int { get }
    /// Features of an NHWC batch (N, H, W, 3), as (N, featureDimension).
    func features(_ images: Tensor, options: InferenceOptions) throws -> Tensor
    /// Multiply-adds per image at the given input size (FLOPs = 2 × this).
    func multiplyAdds(height: Int, width: Int) -> Int
}
