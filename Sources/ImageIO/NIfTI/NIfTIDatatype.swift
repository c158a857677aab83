/// The voxel types this reader and writer handle, with their NIfTI `datatype` codes
/// (nifti1.h: `NIFTI_TYPE_*`). Complex, RGB, 64-bit integer and 128-bit float files are refused
/// with an error naming the code.
public enum NIfTIDatatype: Int, Sendable, CaseIterable, CustomStringConvertible {
    /// NIFTI_TYPE_UINT8.
    case uint8 = 2
    /// NIFTI_TYPE_INT16.
    case int16 = 4
    /// NIFTI_TYPE_INT32.
    case int32 = 8
    /// NIFTI_TYPE_FLOAT32.
    case float32 = 16
    /// NIFTI_TYPE_FLOAT64.
    case float64 = 64
    /// NIFTI_TYPE_INT8.
    case int8 = 256
    /// NIFTI_TYPE_UINT16.
    case uint16 = 512
    /// NIFTI_TYPE_UINT32.
    case uint32 = 768

    /// Bytes per voxel (also `bitpix / 8`).
    public var byteCount: Int {
        switch self {
        case .uint8, .int8: return 1
        case .int16, .uint16: return 2
        case .int32, .uint32, .float32: return 4
        case .float64: return 8
        }
    }

    /// True for the integer types (the writer rounds and clamps into them).
    public var isInteger: Bool { self != .float32 && self != .float64 }

    /// The range an integer type can hold (nil for the float types).
    public var integerRange: ClosedRange<Double>? {
        switch self {
        case .uint8: return 0...255
        case .int8: return -128...127
        case .int16: return -32768...32767
        case .uint16: return 0...65535
        case .int32: return -2_147_483_648...2_147_483_647
        case .uint32: return 0...4_294_967_295
        case .float32, .float64: return nil
        }
    }

    /// The numpy name, as nibabel's `str(header.get_data_dtype())` prints it for a file of
    /// `byteOrder`: `"int16"` for native (little-endian) order, `">i2"` for big endian; the
    /// one-byte types have no byte order (`"uint8"`, `"int8"`).
    public func numpyName(bigEndian: Bool) -> String {
        if !bigEndian || byteCount == 1 { return description }
        switch self {
        case .int16: return ">i2"
        case .uint16: return ">u2"
        case .int32: return ">i4"
        case .uint32: return ">u4"
        case .float32: return ">f4"
        case .float64: return ">f8"
        case .uint8: return "uint8"
        case .int8: return "int8"
        }
    }

    /// The numpy name in native (little-endian) order: `"int16"`, `"float32"`, ...
    public var description: String {
        switch self {
        case .uint8: return "uint8"
        case .int8: return "int8"
        case .int16: return "int16"
        case .uint16: return "uint16"
        case .int32: return "int32"
        case .uint32: return "uint32"
        case .float32: return "float32"
        case .float64: return "float64"
        }
    }

    /// What a code this reader does not handle is, for the error message (nifti1.h names).
    static func nameOfUnsupported(code: Int) -> String {
        switch code {
        case 0: return "DT_UNKNOWN"
        case 1: return "binary (1 bit)"
        case 32: return "complex64"
        case 128: return "RGB24"
        case 1024: return "int64"
        case 1280: return "uint64"
        case 1536: return "float128"
        case 1792: return "complex128"
        case 2048: return "complex256"
        case 2304: return "RGBA32"
        default: return "an unknown code"
        }
    }
}
