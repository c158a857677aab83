import Testing
@testable import ImageIO

/// The 8/16-bit little-endian fast path of the native pixel decoder against its slow twin
/// (`storedValue`, word by word) on pseudo-random bytes, for every Bits Stored and both signs.
struct DICOMPixelDecoderFastPathTests {
    @Test func fastPathEqualsTheWordByWordRule() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt8 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 33)
        }
        let count = 4099
        let raw = (0..<(2 * count)).map { _ in next() }
        for width in [1, 2] {
            for bits in 1...(8 * width) {
                for signed in [false, true] {
                    let fast = DICOMPixelDecoder.decodeNarrowLittleEndian(raw, count: count, width: width, bits: bits, signed: signed)
                    let slow = try (0..<count).map { n -> Int32 in
                        let word = width == 1 ? UInt32(raw[n]) : UInt32(raw[2 * n]) | UInt32(raw[2 * n + 1]) << 8
                        return try DICOMPixelDecoder.storedValue(word, bits: bits, signed: signed, file: "test")
                    }
                    #expect(fast == slow, "width \(width) bits \(bits) signed \(signed)")
                }
            }
        }
    }
}
