/// A transfer syntax: how a data set's bytes are laid out (PS3.5 §10, Annex A) and whether its
/// pixel data is encapsulated (compressed fragments) or native.
public struct DICOMTransferSyntax: Equatable, Sendable {
    /// How elements are encoded.
    public enum Encoding: Equatable, Sendable {
        case implicitLittle
        case explicitLittle
        case explicitBig
        /// Explicit VR little endian after raw deflate (PS3.5 §A.5).
        case deflatedExplicitLittle
    }

    /// The UID as written in (0002,0010).
    public let uid: String
    /// The standard's name (or "unknown transfer syntax").
    public let name: String
    public let encoding: Encoding
    /// True when the pixel data is a sequence of compressed fragments (PS3.5 §A.4).
    public let isEncapsulated: Bool

    public static let implicitVRLittleEndian = "1.2.840.10008.1.2"
    public static let explicitVRLittleEndian = "1.2.840.10008.1.2.1"
    public static let deflatedExplicitVRLittleEndian = "1.2.840.10008.1.2.1.99"
    public static let explicitVRBigEndian = "1.2.840.10008.1.2.2"

    /// Names of the transfer syntaxes of PS3.6 Annex A that carry images.
    static let names: [String: String] = [
        "1.2.840.10008.1.2": "Implicit VR Little Endian",
        "1.2.840.10008.1.2.1": "Explicit VR Little Endian",
        "1.2.840.10008.1.2.1.98": "Encapsulated Uncompressed Explicit VR Little Endian",
        "1.2.840.10008.1.2.1.99": "Deflated Explicit VR Little Endian",
        "1.2.840.10008.1.2.2": "Explicit VR Big Endian",
        "1.2.840.10008.1.2.4.50": "JPEG Baseline (Process 1)",
        "1.2.840.10008.1.2.4.51": "JPEG Extended (Process 2 & 4)",
        "1.2.840.10008.1.2.4.57": "JPEG Lossless, Non-Hierarchical (Process 14)",
        "1.2.840.10008.1.2.4.70": "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])",
        "1.2.840.10008.1.2.4.80": "JPEG-LS Lossless Image Compression",
        "1.2.840.10008.1.2.4.81": "JPEG-LS Lossy (Near-Lossless) Image Compression",
        "1.2.840.10008.1.2.4.90": "JPEG 2000 Image Compression (Lossless Only)",
        "1.2.840.10008.1.2.4.91": "JPEG 2000 Image Compression",
        "1.2.840.10008.1.2.4.92": "JPEG 2000 Part 2 Multi-component Image Compression (Lossless Only)",
        "1.2.840.10008.1.2.4.93": "JPEG 2000 Part 2 Multi-component Image Compression",
        "1.2.840.10008.1.2.4.100": "MPEG2 Main Profile / Main Level",
        "1.2.840.10008.1.2.4.102": "MPEG-4 AVC/H.264 High Profile / Level 4.1",
        "1.2.840.10008.1.2.4.201": "High-Throughput JPEG 2000 Image Compression (Lossless Only)",
        "1.2.840.10008.1.2.4.202": "High-Throughput JPEG 2000 with RPCL Options Image Compression (Lossless Only)",
        "1.2.840.10008.1.2.4.203": "High-Throughput JPEG 2000 Image Compression",
        "1.2.840.10008.1.2.5": "RLE Lossless",
    ]

    /// The name of a transfer syntax UID, for messages.
    public static func name(of uid: String) -> String { names[uid] ?? "unknown transfer syntax" }

    /// "JPEG 2000 Image Compression (Lossless Only) 1.2.840.10008.1.2.4.90": how errors name it.
    public var label: String { "\(name) \(uid)" }

    /// The transfer syntax of `uid`. Unknown UIDs are treated as encapsulated explicit VR little
    /// endian (PS3.5 §10: every transfer syntax added since 1999 is), so their headers still
    /// read and their pixel data is refused by name.
    public init(uid: String) {
        self.uid = uid
        self.name = DICOMTransferSyntax.name(of: uid)
        switch uid {
        case Self.implicitVRLittleEndian: encoding = .implicitLittle; isEncapsulated = false
        case Self.explicitVRLittleEndian: encoding = .explicitLittle; isEncapsulated = false
        case Self.deflatedExplicitVRLittleEndian: encoding = .deflatedExplicitLittle; isEncapsulated = false
        case Self.explicitVRBigEndian: encoding = .explicitBig; isEncapsulated = false
        default: encoding = .explicitLittle; isEncapsulated = true
        }
    }
}
