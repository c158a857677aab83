import Foundation
import Testing
@testable import ImageIO

@Test func gzipRoundTripIsDeterministic() throws {
    let payload = Data((0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 7) })
    let a = try Zlib.deflate(payload, framing: .gzipOrZlib)
    let b = try Zlib.deflate(payload, framing: .gzipOrZlib)
    #expect(a == b)
    #expect(a.prefix(2) == Data([0x1f, 0x8b]))
    #expect(try Zlib.inflate(a, framing: .gzipOrZlib, limit: 1 << 20, file: "t") == payload)
    let raw = try Zlib.deflate(payload, framing: .raw)
    #expect(try Zlib.inflate(raw, framing: .raw, limit: 1 << 20, file: "t") == payload)
}

@Test func corruptTruncatedAndOversizedStreamsAreErrors() throws {
    let payload = Data(repeating: 7, count: 50_000)
    let gz = try Zlib.deflate(payload, framing: .gzipOrZlib)
    #expect(throws: ImageIOError.self) { try Zlib.inflate(gz.prefix(gz.count / 2), framing: .gzipOrZlib, limit: 1 << 20, file: "t") }
    #expect(throws: ImageIOError.self) { try Zlib.inflate(Data([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff]), framing: .gzipOrZlib, limit: 1 << 20, file: "t") }
    #expect(throws: ImageIOError.self) { try Zlib.inflate(gz, framing: .gzipOrZlib, limit: 1000, file: "t") }
}
