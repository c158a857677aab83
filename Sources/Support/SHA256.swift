internal import CCrypto
import Foundation

/// SHA-256 (FIPS 180-4) as lower-case hex: the identity of weights, inputs, cache entries and
/// models.
///
/// The digest comes from OpenSSL's libcrypto (Debian's libssl-dev), which uses the processor's
/// SHA extensions (SHA-NI, on this project's AMD Zen 5 machines and Intel since Ice Lake) or
/// its SIMD code elsewhere: 740 MB/s measured on a loaded 2-core machine instead of ~60 MB/s in
/// plain Swift, which mattered once every input file is hashed (a 20 MB NIfTI took longer to
/// hash than to extract radiomics from). `portableHex` is the plain-Swift twin the tests
/// compare against.
public enum SHA256 {
    /// Lower-case hex digest of `bytes`.
    public static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        digest.withUnsafeMutableBufferPointer { out in
            if let base = bytes.baseAddress {
                her2mri_sha256(base, bytes.count, out.baseAddress!)
            } else {
                var empty: UInt8 = 0
                her2mri_sha256(&empty, 0, out.baseAddress!)
            }
        }
        return hexString(digest)
    }

    /// Lower-case hex digest of a byte array.
    public static func hex(_ data: some Collection<UInt8>) -> String {
        if let digest = data.withContiguousStorageIfAvailable({ hex(UnsafeRawBufferPointer($0)) }) { return digest }
        return Array(data).withUnsafeBytes { hex($0) }
    }

    /// Lower-case hex digest of a byte array, in plain Swift (the slow twin).
    public static func portableHex(_ data: some Collection<UInt8>) -> String {
        Array(data).withUnsafeBytes { portableHex($0) }
    }

    private static let digits = Array("0123456789abcdef".utf8)

    /// Bytes as lower-case hex.
    static func hexString(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity(2 * bytes.count)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Words as big-endian lower-case hex (FIPS 180-4's H₀…H₇ order).
    static func hexString(_ words: [UInt32]) -> String {
        hexString(words.flatMap { w in (0..<4).map { UInt8(truncatingIfNeeded: w >> (24 - 8 * UInt32($0))) } })
    }
}
