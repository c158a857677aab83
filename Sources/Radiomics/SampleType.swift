/// How the image's samples were stored in the file. pyradiomics keeps the file's pixel type
/// through SimpleITK, and two of its steps depend on it, so the extractor must know it too:
/// - resampling casts interpolated values back to the stored type (integers: clamped to the
///   type's range and truncated toward zero, as ITK's `ResampleImageFilter` does);
/// - fixed-bin-width discretisation computes the lower and upper bounds in the type's
///   arithmetic (float32 images: in float32, as NumPy does for `float32 % binWidth`).
public enum SampleType: Equatable, Sendable {
    /// Integers within `range` (uint8 … int32).
    case integer(ClosedRange<Double>)
    /// IEEE single precision.
    case float32
    /// IEEE double precision (our volumes hold float32 samples; see the README).
    case float64

    /// Casts an interpolated value to the stored type, as ITK's resampler does.
    func cast(_ value: Double) -> Double {
        switch self {
        case let .integer(range):
            let clamped = min(max(value, range.lowerBound), range.upperBound)
            return clamped.rounded(.towardZero)
        case .float32:
            return Double(Float(value))
        case .float64:
            return value
        }
    }
}

extension SampleType {
    /// The type SimpleITK reads from a file: integer types keep their range unless the file
    /// scales them (then float32); 8-byte floats are float64, other floats float32.
    public static func stored(integerRange: ClosedRange<Double>?, isFloat64: Bool, scaled: Bool) -> SampleType {
        if let range = integerRange, !scaled { return .integer(range) }
        return isFloat64 ? .float64 : .float32
    }
}
