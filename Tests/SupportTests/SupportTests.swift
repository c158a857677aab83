import Foundation
import Support
import Testing

/// The plumbing against independent references: FIPS 180-2 test vectors and Python's hashlib
/// for SHA-256, Vigna's reference SplitMix64 (first outputs from state 0), Foundation's JSON
/// parser for the JSON writer, and the file system itself for atomic writes.
@Suite struct SupportTests {
    /// FIPS 180-2 appendix B (one block, two blocks, one million "a"), the empty message and
    /// 1,000 bytes (hashlib.sha256(b"a" * 1000)), through libcrypto and through the Swift twin.
    @Test(arguments: [false, true]) func sha256MatchesTheFIPSVectors(portable: Bool) {
        let digest: ([UInt8]) -> String = { portable ? SHA256.portableHex($0) : SHA256.hex($0) }
        #expect(digest(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(digest(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(digest([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(digest([UInt8](repeating: 0x61, count: 1000)) == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
        #expect(digest([UInt8](repeating: 0x61, count: 1_000_000)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// The fast path and the slow twin agree on every length around the block and padding
    /// boundaries, on seeded bytes, and on Data / slices / raw buffers alike.
    @Test func sha256FastPathEqualsThePortableTwin() {
        var g = SplitMix64(seed: 256)
        let bytes = (0..<5000).map { _ in UInt8(truncatingIfNeeded: g.next()) }
        for n in Array(0...130) + [447, 448, 511, 512, 513, 1023, 4095, 4999] {
            let slice = bytes[0..<n]
            #expect(SHA256.hex(slice) == SHA256.portableHex(slice), "length \(n)")
        }
        let data = Data(bytes)
        #expect(SHA256.hex(data) == SHA256.portableHex(bytes))
        #expect(data.withUnsafeBytes { SHA256.hex($0) } == SHA256.portableHex(bytes))
    }

    @Test func splitMix64GivesTheReferenceSequence() {
        var g = SplitMix64(seed: 0)
        #expect([g.next(), g.next(), g.next()] == [0xE220_A839_7B1D_CDAF, 0x6E78_9E6A_A1B9_65F4, 0x06C4_5D18_8009_454F])
        var a = SplitMix64(seed: 7, stream: 1), b = SplitMix64(seed: 7, stream: 2)
        #expect(a.next() != b.next())
        // Advancing by k draws lands where k calls of next() land (the reference sequence above).
        var jumped = SplitMix64(seed: 0).advanced(by: 2)
        #expect(jumped.next() == 0x06C4_5D18_8009_454F)
        var walked = SplitMix64(seed: 99)
        for _ in 0..<12_345 { _ = walked.next() }
        var leapt = SplitMix64(seed: 99).advanced(by: 12_345)
        #expect(leapt.next() == walked.next())
        var u = SplitMix64(seed: 3)
        for _ in 0..<1000 {
            let x = u.unit()
            #expect(x >= 0 && x < 1)
            #expect((2...5).contains(u.int(in: 2...5)))
        }
    }

    @Test func jsonKeepsKeyOrderAndParsesBack() throws {
        let value = JSONValue.object([("z", .number(1.5)), ("a", .array([.integer(2), .string("x\"\n\u{1}é")])),
                                      ("n", .number(.nan)), ("o", .object([("k", .bool(true))])), ("e", .array([]))])
        for text in [value.serialized(), value.prettyPrinted()] {
            #expect(text.firstIndex(of: "z")! < text.firstIndex(of: "a")!)
            let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            #expect(parsed["z"] as? Double == 1.5)
            #expect((parsed["a"] as? [Any])?.last as? String == "x\"\n\u{1}é")
            #expect(parsed["n"] is NSNull)
            #expect((parsed["o"] as? [String: Any])?["k"] as? Bool == true)
        }
        #expect(value.prettyPrinted().hasSuffix("}\n"))
    }

    @Test func parallelMapKeepsOrderAndReportsTheFirstFailure() throws {
        let squares = try ParallelMap.map(Array(0..<100), width: 2) { $0 * $0 }
        #expect(squares == (0..<100).map { $0 * $0 })
        struct Failure: Error, Equatable { let index: Int }
        #expect(throws: Failure(index: 10)) {
            _ = try ParallelMap.map(Array(0..<50)) { i in
                if i % 10 == 0 && i > 0 { throw Failure(index: i) }
                return i
            }
        }
    }

    @Test func atomicWritesReplaceWholeFilesAndLeaveNothingOnFailure() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("support-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("report.json")
        try AtomicFile.write("first", to: file)
        try AtomicFile.write("second", to: file, permissions: 0o640)
        #expect(try String(contentsOf: file, encoding: .utf8) == "second")
        let mode = try FileManager.default.attributesOfItem(atPath: file.path)[.posixPermissions] as? Int
        #expect(mode == 0o640)
        // A folder in the way of the target: the rename fails, the old content stays, no temp file.
        let blocked = folder.appendingPathComponent("blocked")
        try FileManager.default.createDirectory(at: blocked.appendingPathComponent("inner"), withIntermediateDirectories: true)
        #expect(throws: SupportError.self) { try AtomicFile.write("x", to: blocked) }
        let missing = folder.appendingPathComponent("no/such/folder/file")
        do {
            try AtomicFile.write("x", to: missing)
            Issue.record("writing into a missing folder succeeded")
        } catch let error as SupportError {
            #expect(error.description.contains(missing.path))
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["blocked", "report.json"])
    }
}
