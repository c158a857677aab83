import Foundation

/// JPEG lossless, process 14 (DICOM 1.2.840.10008.1.2.4.57 and .70), written here from
/// ITU T.81 Annex H: SOF3 frame, Huffman-coded differences (Annex F.2.2 procedures DECODE and
/// EXTEND, tables from DHT as in Annex C), the seven predictors of Table H.1, restart intervals
/// (DRI / RSTm) and the point transform Pt.
///
/// Single-component frames only (greyscale DICOM). Debian's libjpeg-turbo 2.1 has no lossless
/// decoder (it came in 3.0), hence this one.
enum JPEGLosslessDecoder {
    /// A Huffman table (T.81 Annex C) with a 9-bit lookahead for the common short codes and the
    /// MAXCODE / VALPTR / MINCODE arrays of Figure F.16 for the rest.
    struct HuffmanTable {
        static let lookaheadBits = 9
        /// Indexed by the next 9 bits: code length << 8 | value, or 0 when the code is longer.
        var lookahead = [UInt16](repeating: 0, count: 1 << lookaheadBits)
        var maxCode = [Int32](repeating: -1, count: 18)
        var valuePointer = [Int](repeating: 0, count: 17)
        var minCode = [Int32](repeating: 0, count: 17)
        var values: [UInt8] = []

        /// Builds the table from BITS (counts of codes of each length 1…16) and HUFFVAL (C.2, F.15).
        init(counts: [Int], values: [UInt8]) throws {
            self.values = values
            var code: Int32 = 0
            var k = 0
            for length in 1...16 {
                let n = counts[length - 1]
                if n > 0 {
                    valuePointer[length] = k
                    minCode[length] = code
                    for _ in 0..<n {
                        if length <= Self.lookaheadBits {
                            let shift = Self.lookaheadBits - length
                            let first = Int(code) << shift
                            let entry = UInt16(length) << 8 | UInt16(values[k])
                            for j in 0..<(1 << shift) { lookahead[first + j] = entry }
                        }
                        code += 1
                        k += 1
                    }
                    maxCode[length] = code - 1
                    guard code <= (1 << length) else { throw Fault.badTable }
                }
                code <<= 1
            }
            maxCode[17] = Int32.max // sentinel: ends the search
        }
    }

    /// Internal failures, turned into `ImageIOError` with the file and syntax at the boundary.
    enum Fault: Error {
        case badTable
        case badCode
        case overrun
        case missingRestart
    }

    /// An MSB-first bit reader over entropy-coded data (T.81 F.2.2.5): FF 00 is a stuffed FF; any
    /// other marker ends the data. Past the end it feeds zero bits and records the overrun, so a
    /// truncated stream is detected when the interval ends instead of reading out of bounds.
    struct BitReader {
        let bytes: UnsafeBufferPointer<UInt8>
        var position: Int
        var buffer: UInt64 = 0
        var count = 0
        var padding = 0
        var overrun = false

        init(_ bytes: UnsafeBufferPointer<UInt8>, at position: Int) {
            self.bytes = bytes
            self.position = position
        }

        @inline(__always) mutating func fill() {
            while count <= 56 {
                var byte: UInt8 = 0
                if padding == 0, position < bytes.count {
                    byte = bytes[position]
                    if byte == 0xFF {
                        if position + 1 < bytes.count, bytes[position + 1] == 0x00 {
                            position += 2
                        } else {
                            byte = 0 // a marker: the data ends here
                            padding += 8
                        }
                    } else {
                        position += 1
                    }
                } else {
                    padding += 8
                }
                buffer |= UInt64(byte) << UInt64(56 - count)
                count += 8
            }
        }

        @inline(__always) func peek(_ n: Int) -> Int { Int(truncatingIfNeeded: buffer >> UInt64(64 - n)) }

        @inline(__always) mutating func skip(_ n: Int) {
            if n > count - padding { overrun = true }
            buffer <<= UInt64(n)
            count -= n
            padding = min(padding, count)
        }

        @inline(__always) mutating func bits(_ n: Int) -> Int {
            if n == 0 { return 0 }
            if count < n { fill() }
            let v = peek(n)
            skip(n)
            return v
        }

        /// Decodes one Huffman-coded value (T.81 F.2.2.3 DECODE).
        @inline(__always) mutating func decode(_ table: HuffmanTable) throws -> Int {
            if count < 32 { fill() }
            let entry = table.lookahead[peek(HuffmanTable.lookaheadBits)]
            if entry != 0 {
                skip(Int(entry >> 8))
                return Int(entry & 0xFF)
            }
            var length = HuffmanTable.lookaheadBits + 1
            var code = Int32(peek(length))
            while code > table.maxCode[length] {
                length += 1
                if length > 16 { throw Fault.badCode }
                code = Int32(peek(length))
            }
            skip(length)
            let index = table.valuePointer[length] + Int(code - table.minCode[length])
            guard index < table.values.count else { throw Fault.badCode }
            return Int(table.values[index])
        }

        /// Drops the bits left in the buffer and moves past the marker the data stopped at.
        mutating func restart(expected: Int) -> Bool {
            buffer = 0
            count = 0
            padding = 0
            while position < bytes.count, bytes[position] == 0xFF, position + 1 < bytes.count, bytes[position + 1] == 0xFF {
                position += 1
            }
            guard position + 1 < bytes.count, bytes[position] == 0xFF, bytes[position + 1] == UInt8(0xD0 + expected) else {
                return false
            }
            position += 2
            return true
        }
    }

    /// Decodes one frame; values are the reconstructed samples shifted left by Pt (H.1.2.1).
    static func decode(_ data: Data, frame: DICOMFrameInfo, file: String, label: String) throws -> [Int32] {
        func corrupt(_ why: String) -> ImageIOError {
            .compression(file: file, reason: "\(label): corrupt JPEG lossless stream: \(why)")
        }
        return try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> [Int32] in
            let b = raw.bindMemory(to: UInt8.self)
            var tables = [HuffmanTable?](repeating: nil, count: 4)
            var restartInterval = 0
            var precision = 0
            var width = 0
            var height = 0
            var componentID = -1
            var i = 2 // after SOI, checked by JPEGFamily
            while true {
                while i < b.count, b[i] == 0xFF, i + 1 < b.count, b[i + 1] == 0xFF { i += 1 }
                guard i + 1 < b.count, b[i] == 0xFF else {
                    throw corrupt("expected a marker at byte \(i) before the scan")
                }
                let marker = b[i + 1]
                i += 2
                if marker == 0xD8 || (0xD0...0xD7).contains(marker) || marker == 0x01 { continue }
                if marker == 0xD9 { throw corrupt("end of image before any scan") }
                guard i + 1 < b.count else { throw corrupt("marker FF\(String(format: "%02X", marker)) at the end of the data") }
                let length = Int(b[i]) << 8 | Int(b[i + 1])
                guard length >= 2, i + length <= b.count else {
                    throw corrupt("segment FF\(String(format: "%02X", marker)) of length \(length) runs past the end")
                }
                let body = i + 2
                let end = i + length
                i = end
                switch marker {
                case 0xC3: // SOF3 (B.2.2)
                    guard length >= 8 else { throw corrupt("SOF3 segment too short") }
                    precision = Int(b[body])
                    height = Int(b[body + 1]) << 8 | Int(b[body + 2])
                    width = Int(b[body + 3]) << 8 | Int(b[body + 4])
                    let components = Int(b[body + 5])
                    guard (2...16).contains(precision) else { throw corrupt("sample precision \(precision) (T.81 allows 2–16)") }
                    guard components == 1 else {
                        throw ImageIOError.unsupported(file: file, reason: "\(label): JPEG lossless frame with \(components) components; only single-component (greyscale) frames are decoded")
                    }
                    guard length >= 8 + 3 * components - 3 else { throw corrupt("SOF3 segment too short") }
                    componentID = Int(b[body + 6])
                    guard height > 0 else {
                        throw ImageIOError.unsupported(file: file, reason: "\(label): JPEG frame height 0 (defined by a DNL marker) is not supported")
                    }
                    guard width == frame.columns, height == frame.rows else {
                        throw ImageIOError.compression(file: file, reason: "\(label): JPEG frame is \(width) × \(height), the DICOM header says \(frame.columns) × \(frame.rows)")
                    }
                case 0xC4: // DHT (B.2.4.2), possibly several tables
                    var p = body
                    while p < end {
                        guard p + 17 <= end else { throw corrupt("DHT segment too short") }
                        let tc = Int(b[p] >> 4)
                        let th = Int(b[p] & 0x0F)
                        guard tc == 0, th < 4 else { throw corrupt("Huffman table class \(tc) / slot \(th) in a lossless stream") }
                        let counts = (0..<16).map { Int(b[p + 1 + $0]) }
                        let total = counts.reduce(0, +)
                        guard total <= 256, p + 17 + total <= end else { throw corrupt("DHT table of \(total) codes runs past its segment") }
                        let values = (0..<total).map { b[p + 17 + $0] }
                        do { tables[th] = try HuffmanTable(counts: counts, values: values) } catch {
                            throw corrupt("Huffman table \(th) has more codes than its lengths allow")
                        }
                        p += 17 + total
                    }
                case 0xDD: // DRI (B.2.4.4)
                    guard length >= 4 else { throw corrupt("DRI segment too short") }
                    restartInterval = Int(b[body]) << 8 | Int(b[body + 1])
                case 0xDA: // SOS (B.2.3)
                    guard precision > 0 else { throw corrupt("scan before the SOF3 frame header") }
                    guard length >= 6 else { throw corrupt("SOS segment too short") }
                    let ns = Int(b[body])
                    guard ns == 1, length == 6 + 2 * ns else { throw corrupt("scan with \(ns) components in a single-component frame") }
                    let cs = Int(b[body + 1])
                    let td = Int(b[body + 2] >> 4)
                    let predictor = Int(b[body + 3])
                    let pt = Int(b[body + 5] & 0x0F)
                    guard cs == componentID else { throw corrupt("scan component \(cs) is not the frame's component \(componentID)") }
                    guard td < 4, let table = tables[td] else { throw corrupt("scan uses Huffman table \(td), which no DHT defined") }
                    guard (1...7).contains(predictor) else { throw corrupt("predictor (selection value) \(predictor); T.81 Table H.1 defines 1–7") }
                    guard pt < precision else { throw corrupt("point transform \(pt) with precision \(precision)") }
                    var reader = BitReader(b, at: end)
                    do {
                        return try decodeScan(&reader, table: table, width: width, height: height, precision: precision,
                                              predictor: predictor, pointTransform: pt, restartInterval: restartInterval)
                    } catch Fault.overrun {
                        throw ImageIOError.compression(file: file, reason: "\(label): JPEG lossless entropy-coded data ends early (truncated or corrupt stream)")
                    } catch Fault.badCode {
                        throw corrupt("a Huffman code not in the table")
                    } catch Fault.missingRestart {
                        throw corrupt("a restart marker (RSTm) is missing where the restart interval puts one")
                    }
                case 0xC0...0xCF where marker != 0xC8 && marker != 0xCC:
                    throw ImageIOError.unsupported(file: file, reason: "\(label): JPEG start-of-frame FF\(String(format: "%02X", marker)) in a lossless stream")
                default:
                    continue // APPn, COM, DQT, DAC... carry nothing a lossless decoder needs
                }
            }
        }
    }

    /// Decodes the scan: prediction per T.81 H.1.2.1 and Table H.1, differences per F.2.2.1
    /// (SSSS 16 means 32768 with no extra bits), reconstruction modulo 2^16 (H.1.2.1).
    static func decodeScan(_ reader: inout BitReader, table: HuffmanTable, width: Int, height: Int, precision: Int,
                           predictor: Int, pointTransform pt: Int, restartInterval: Int) throws -> [Int32] {
        var out = [Int32](repeating: 0, count: width * height)
        let initial = 1 << (precision - pt - 1)
        var restartRow = 0
        var resetPending = true
        var sinceRestart = 0
        var nextMarker = 0
        try out.withUnsafeMutableBufferPointer { v in
            for y in 0..<height {
                let row = y * width
                for x in 0..<width {
                    if restartInterval > 0, sinceRestart == restartInterval {
                        if reader.overrun { throw Fault.overrun }
                        guard reader.restart(expected: nextMarker) else { throw Fault.missingRestart }
                        nextMarker = (nextMarker + 1) & 7
                        sinceRestart = 0
                        resetPending = true
                    }
                    let ssss = try reader.decode(table)
                    var diff: Int
                    switch ssss {
                    case 0: diff = 0
                    case 16: diff = 32768
                    case 1...15:
                        diff = reader.bits(ssss)
                        if diff < 1 << (ssss - 1) { diff += 1 - (1 << ssss) } // EXTEND (F.12)
                    default: throw Fault.badCode
                    }
                    let prediction: Int
                    if resetPending {
                        prediction = initial
                        resetPending = false
                        restartRow = y
                    } else if y == restartRow {
                        prediction = Int(v[row + x - 1])
                    } else if x == 0 {
                        prediction = Int(v[row - width])
                    } else {
                        let ra = Int(v[row + x - 1])
                        let rb = Int(v[row - width + x])
                        let rc = Int(v[row - width + x - 1])
                        switch predictor {
                        case 1: prediction = ra
                        case 2: prediction = rb
                        case 3: prediction = rc
                        case 4: prediction = ra + rb - rc
                        case 5: prediction = ra + ((rb - rc) >> 1)
                        case 6: prediction = rb + ((ra - rc) >> 1)
                        default: prediction = (ra + rb) >> 1
                        }
                    }
                    v[row + x] = Int32((prediction + diff) & 0xFFFF)
                    sinceRestart += 1
                }
            }
            if reader.overrun { throw Fault.overrun }
            if pt > 0 {
                for i in v.indices { v[i] <<= Int32(pt) }
            }
        }
        return out
    }
}
