import Foundation

/// The fast way to a stack's voxels for what nearly every MR export is: native (uncompressed)
/// little-endian 8- or 16-bit pixels. The pixel data is read straight from the file at the
/// offset its header gave (`DICOMFile.pixelDataOffset`), masked to Bits Stored and sign-extended
/// exactly as `DICOMPixelDecoder` does (PS3.5 §8.1.1), into the NIfTI buffer — one read and one
/// pass instead of parsing every element again and widening to 32 bits. Anything else (big
/// endian, deflated, gzip-compressed, encapsulated, 32-bit, a file that changed since its header
/// was read) returns false and takes the slow twin, `DICOMReader.readFile`; the tests require
/// the two to give the same bytes.
enum NativePixelCopy {
    /// What the copy needs to know of a file, from its header.
    struct Layout {
        let offset: Int
        let bytesPerValue: Int
        let bitsStored: Int
        let signed: Bool
        let frames: Int
        let perFrame: Int
    }

    /// The layout of `file` when the fast path applies to it, else nil.
    static func layout(of file: DICOMFile, rows: Int, columns: Int) -> Layout? {
        let ds = file.dataSet
        guard let offset = file.pixelDataOffset, !file.transferSyntax.isEncapsulated,
              file.transferSyntax.encoding == .explicitLittle || file.transferSyntax.encoding == .implicitLittle,
              let bits = try? ds.integer(.bitsAllocated), bits == 8 || bits == 16,
              (try? ds.integer(.rows)) == rows, (try? ds.integer(.columns)) == columns,
              ((try? ds.integer(.samplesPerPixel)) ?? 1) == 1 else { return nil }
        let stored = (try? ds.integer(.bitsStored)) ?? bits
        let representation = (try? ds.integer(.pixelRepresentation)) ?? 0
        let frames = (try? ds.integer(.numberOfFrames)) ?? 1
        guard (1...bits).contains(stored), representation == 0 || representation == 1, frames >= 1 else { return nil }
        return Layout(offset: offset, bytesPerValue: bits / 8, bitsStored: stored, signed: representation == 1,
                      frames: frames, perFrame: rows * columns)
    }

    /// Copies the frames `slices` ask for from the file at `path` into `out` (each slice at its
    /// byte offset `base(slice)`, `outWidth` bytes per voxel: 1 or 2). Returns the largest stored
    /// value, or nil when the file is not as its header said (then nothing was trusted).
    static func copy(path: String, layout: Layout, frames wanted: [(frame: Int, base: Int)], outWidth: Int,
                     into out: UnsafeMutableRawBufferPointer) -> Int32? {
        let needed = layout.frames * layout.perFrame * layout.bytesPerValue
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, Int(info.st_size) >= layout.offset + needed else { return nil }
        var magic: (UInt8, UInt8) = (0, 0)
        guard pread(fd, &magic, 2, 0) == 2, !(magic.0 == 0x1F && magic.1 == 0x8B) else { return nil }
        let raw = [UInt8](unsafeUninitializedCapacity: needed) { buffer, count in
            var done = 0
            while done < needed {
                let n = pread(fd, buffer.baseAddress! + done, needed - done, off_t(layout.offset + done))
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                done += n
            }
            count = done
        }
        guard raw.count == needed else { return nil }
        let perFrame = layout.perFrame, bits = layout.bitsStored, signed = layout.signed
        var highest = Int32.min
        raw.withUnsafeBytes { src in
            for (frame, base) in wanted {
                let from = frame * perFrame * layout.bytesPerValue
                let hi: Int32
                switch (layout.bytesPerValue, outWidth) {
                case (2, 2):
                    hi = copy16(from: src.baseAddress! + from, to: out.baseAddress! + base, count: perFrame, bits: bits, signed: signed)
                default:
                    hi = copySlow(from: src, at: from, width: layout.bytesPerValue, to: out, base: base, outWidth: outWidth,
                                  count: perFrame, bits: bits, signed: signed)
                }
                highest = max(highest, hi)
            }
        }
        return highest
    }

    /// 16-bit words → 16-bit stored values: masked to `bits`, sign-extended by a shift pair when
    /// signed (the same values as `DICOMPixelDecoder.storedValue`), in a loop that vectorises.
    /// Both pointers are 2-byte aligned (even offsets in buffers from the allocator).
    static func copy16(from src: UnsafeRawPointer, to dst: UnsafeMutableRawPointer, count: Int, bits: Int, signed: Bool) -> Int32 {
        let input = src.assumingMemoryBound(to: UInt16.self)
        let output = dst.assumingMemoryBound(to: UInt16.self)
        let mask = UInt16(truncatingIfNeeded: (1 << bits) - 1)
        if signed {
            let shift = UInt16(16 - bits)
            var hi = Int16.min
            for n in 0..<count {
                let v = Int16(bitPattern: (UInt16(littleEndian: input[n]) & mask) << shift) >> shift
                hi = max(hi, v)
                output[n] = UInt16(bitPattern: v).littleEndian
            }
            return Int32(hi)
        }
        var hi: UInt16 = 0
        for n in 0..<count {
            let v = UInt16(littleEndian: input[n]) & mask
            hi = max(hi, v)
            output[n] = v.littleEndian
        }
        return Int32(hi)
    }

    /// The general loop (8-bit data), value by value.
    static func copySlow(from src: UnsafeRawBufferPointer, at from: Int, width: Int, to out: UnsafeMutableRawBufferPointer, base: Int,
                         outWidth: Int, count: Int, bits: Int, signed: Bool) -> Int32 {
        let mask: UInt32 = (1 << UInt32(bits)) - 1
        let sign: UInt32 = 1 << UInt32(bits - 1)
        var highest = Int32.min
        for n in 0..<count {
            let word = width == 1 ? UInt32(src[from + n]) : UInt32(src[from + 2 * n]) | UInt32(src[from + 2 * n + 1]) << 8
            let masked = word & mask
            let v = signed && masked & sign != 0 ? Int32(masked) - Int32(1 << bits) : Int32(masked)
            highest = max(highest, v)
            if outWidth == 1 {
                out[base + n] = UInt8(truncatingIfNeeded: v)
            } else {
                out.storeBytes(of: UInt16(truncatingIfNeeded: v).littleEndian, toByteOffset: base + 2 * n, as: UInt16.self)
            }
        }
        return highest
    }
}
