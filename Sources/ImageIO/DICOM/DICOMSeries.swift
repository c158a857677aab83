import Foundation
import LinearAlgebra
import Volumes

/// The slices of one series, checked to form one grid and sorted along the slice normal.
///
/// Checks (each failure says why): one Series Instance UID; single-frame images of one size and
/// pixel spacing; one orientation (Image Orientation (Patient) within `orientationTolerance`);
/// slices stacked along the normal n = row × column (PS3.3 C.7.6.2.1.1) with even gaps; the same
/// number of slices at every position. Several slices at one position, told apart by Temporal
/// Position Identifier (else Trigger Time, Acquisition Time, Instance Number), become phases.
/// The slice spacing is the mean gap between positions, not Slice Thickness.
public struct DICOMSeries: Sendable {
    /// Largest difference allowed between two slices' direction cosines.
    public static let orientationTolerance = 1e-3
    /// Largest relative deviation of one slice gap from the mean gap.
    public static let gapTolerance = 1e-2
    /// Positions closer than this (mm) along the normal are the same position.
    public static let samePositionTolerance = 1e-3

    /// One slice: its file and where it goes in the grid.
    public struct Slice: Sendable {
        public let url: URL
        /// Frame index within the file (0 for a single-frame file).
        public let frame: Int
        /// Slice index along the normal (k).
        public let k: Int
        /// Phase index (t).
        public let phase: Int
        /// The frame's modality LUT: value = stored × slope + intercept.
        public let rescaleSlope: Double
        /// See `rescaleSlope`.
        public let rescaleIntercept: Double
    }

    public let rows: Int
    public let columns: Int
    /// Slices in grid order (k fastest within a phase, then phase).
    public let slices: [Slice]
    public let slicesPerPhase: Int
    public let phases: Int
    /// LPS geometry of the grid: origin at the first slice's Image Position (Patient).
    public let geometry: Geometry

    /// One frame as the sorting sees it (a "virtual slice"): a single-frame file, or one frame
    /// of a multi-frame (Enhanced) file.
    struct Candidate {
        var url: URL
        var frame: Int
        /// For messages: the file name, with "frame n of" for a frame of a multi-frame file.
        var name: String
        var uid: String
        var rows: Int, columns: Int
        var spacing: [Double]
        var row: SIMD3<Double>, column: SIMD3<Double>
        var position: SIMD3<Double>
        /// Temporal Position Identifier / Index, Trigger Time, acquisition (date)time, Instance Number.
        var temporal: (Int, Double, String, Int)
        var thickness: Double?
        var between: Double?
        var slope: Double, intercept: Double
    }

    /// Reads the headers of `files` and checks that they form one series. A multi-frame
    /// (Enhanced MR) file contributes each of its frames as a slice, placed by its functional
    /// groups (`DICOMFrameAttributes`); one Enhanced file alone is a whole series.
    public init(files: [URL]) throws {
        let where_ = files.first?.deletingLastPathComponent().path ?? "<no files>"
        guard !files.isEmpty else { throw ImageIOError.inconsistentSeries(directory: where_, reason: "no files given") }
        var candidates: [Candidate] = []
        for url in files {
            let file = try DICOMReader.readHeader(url)
            guard file.hasPixelData else {
                throw ImageIOError.inconsistentSeries(directory: where_, reason: "\(url.lastPathComponent) has no pixel data")
            }
            candidates += try Self.candidates(of: file, url: url)
        }
        try self.init(candidates: candidates, directory: where_)
    }

    /// The virtual slices of one file, each checked to carry what series assembly needs.
    static func candidates(of file: DICOMFile, url: URL) throws -> [Candidate] {
        let ds = file.dataSet
        let path = url.path
        let frames = try DICOMFrameAttributes.frames(of: file)
        let multi = frames.count > 1 || ds.contains(.perFrameFunctionalGroupsSequence)
        let rows = try ds.integer(.rows), columns = try ds.integer(.columns)
        var result: [Candidate] = []
        result.reserveCapacity(frames.count)
        for a in frames {
            let name = multi ? "frame \(a.frame + 1) of \(url.lastPathComponent)" : url.lastPathComponent
            let whereFrom = multi ? " in frame \(a.frame + 1) (neither its Per-frame nor the Shared Functional Groups nor the data set has it)" : ""
            func require<T>(_ value: T?, _ tag: DICOMTag) throws -> T {
                guard let value else {
                    throw ImageIOError.invalidHeader(file: path, field: tag.description, reason: "missing\(whereFrom); series assembly needs it")
                }
                return value
            }
            func invalid(_ tag: DICOMTag, _ why: String) -> ImageIOError {
                .invalidHeader(file: path, field: tag.description, reason: (multi ? "frame \(a.frame + 1): " : "") + why)
            }
            let iop = try require(a.imageOrientationPatient, .imageOrientationPatient)
            let ipp = try require(a.imagePositionPatient, .imagePositionPatient)
            let ps = try require(a.pixelSpacing, .pixelSpacing)
            guard iop.count == 6 else { throw invalid(.imageOrientationPatient, "\(iop.count) values; 6 expected") }
            guard ipp.count == 3 else { throw invalid(.imagePositionPatient, "\(ipp.count) values; 3 expected") }
            guard ps.count == 2, ps[0] > 0, ps[1] > 0 else { throw invalid(.pixelSpacing, "\(ps) must be two positive values") }
            let row = SIMD3(iop[0], iop[1], iop[2]), column = SIMD3(iop[3], iop[4], iop[5])
            let rn = (row * row).sum().squareRoot(), cn = (column * column).sum().squareRoot()
            guard abs(rn - 1) < 1e-2, abs(cn - 1) < 1e-2, abs((row * column).sum()) < 1e-2 else {
                throw invalid(.imageOrientationPatient, "\(iop) are not two orthogonal unit vectors")
            }
            result.append(Candidate(
                url: url, frame: a.frame, name: name, uid: ds.string(.seriesInstanceUID) ?? "",
                rows: try require(rows, .rows), columns: try require(columns, .columns),
                spacing: ps, row: row / rn, column: column / cn, position: SIMD3(ipp[0], ipp[1], ipp[2]),
                temporal: (a.temporalPosition ?? Int.min, a.triggerTime ?? -.infinity,
                           a.acquisitionDateTime ?? "", a.instanceNumber ?? Int.min),
                thickness: a.sliceThickness, between: a.spacingBetweenSlices,
                slope: a.rescaleSlope, intercept: a.rescaleIntercept))
        }
        return result
    }

    /// The checks and the sort shared by files and frames: one grid, sorted along the normal.
    init(candidates headers: [Candidate], directory where_: String) throws {
        func refuse(_ why: String) -> ImageIOError { .inconsistentSeries(directory: where_, reason: why) }
        guard !headers.isEmpty else { throw refuse("no slices given") }

        let first = headers[0]
        let uids = Set(headers.map(\.uid))
        guard uids.count == 1 else {
            throw refuse("the files belong to \(uids.count) series (Series Instance UIDs \(uids.sorted().joined(separator: ", "))); group them with DICOMReader.groupSeries first")
        }
        for h in headers.dropFirst() {
            guard h.rows == first.rows, h.columns == first.columns else {
                throw refuse("mixed image sizes: \(first.name) is \(first.rows) × \(first.columns) but \(h.name) is \(h.rows) × \(h.columns)")
            }
            for c in 0..<2 where abs(h.spacing[c] - first.spacing[c]) > 1e-4 * max(h.spacing[c], first.spacing[c]) {
                throw refuse("mixed pixel spacing: \(first.name) has \(first.spacing) mm but \(h.name) has \(h.spacing) mm")
            }
            let d = max(Self.maxAbs(h.row - first.row), Self.maxAbs(h.column - first.column))
            guard d <= Self.orientationTolerance else {
                throw refuse("slices have different orientations: \(first.name) has Image Orientation (Patient) \(Self.text(first.row, first.column)) but \(h.name) has \(Self.text(h.row, h.column)) (a localizer or tri-planar series mixes planes; give the files of one plane)")
            }
        }

        // Positions along the normal n = row × column.
        let r = first.row, c = first.column
        let normal = SIMD3(r.y * c.z - r.z * c.y, r.z * c.x - r.x * c.z, r.x * c.y - r.y * c.x)
        let ordered = headers.map { (header: $0, d: ($0.position * normal).sum()) }.sorted { $0.d < $1.d }
        var clusters: [[(header: Candidate, d: Double)]] = []
        for item in ordered {
            if let last = clusters.last?.first, abs(item.d - last.d) <= Self.samePositionTolerance {
                clusters[clusters.count - 1].append(item)
            } else {
                clusters.append([item])
            }
        }
        let perPosition = clusters[0].count
        for cluster in clusters where cluster.count != perPosition {
            throw refuse("\(cluster.count) slice(s) at position \(Self.mm(cluster[0].d)) mm along the normal but \(perPosition) at \(Self.mm(clusters[0][0].d)) mm (a slice missing from a phase?)")
        }

        // Phases: order the slices at each position by their temporal key.
        var sortedClusters: [[Candidate]] = []
        for cluster in clusters {
            let hs = cluster.map(\.header).sorted { $0.temporal < $1.temporal }
            for (a, b) in zip(hs, hs.dropFirst()) where a.temporal == b.temporal {
                throw refuse("\(a.name) and \(b.name) are both at \(Self.mm(cluster[0].d)) mm along the normal and cannot be told apart (same Temporal Position Identifier, Trigger Time, Acquisition Time and Instance Number): duplicate slices?")
            }
            sortedClusters.append(hs)
        }
        if perPosition > 1 {
            // The phase of a slice is its rank at its position; check the keys agree across positions.
            for cluster in sortedClusters.dropFirst() {
                for t in 0..<perPosition where cluster[t].temporal.0 != sortedClusters[0][t].temporal.0 {
                    throw refuse("phases do not line up: \(cluster[t].name) has Temporal Position Identifier \(cluster[t].temporal.0) where \(sortedClusters[0][t].name) has \(sortedClusters[0][t].temporal.0)")
                }
            }
        }

        // Stacked along the normal, with even gaps.
        let d0 = clusters[0][0].d
        let p0 = clusters[0][0].header.position
        for cluster in clusters {
            let h = cluster[0].header
            let along = cluster[0].d - d0
            let offset = h.position - p0 - along * normal
            let off = (offset * offset).sum().squareRoot()
            guard off <= 1e-2 + 1e-3 * abs(along) else {
                throw refuse("slices are not stacked along their normal: \(h.name) is \(Self.mm(off)) mm off the line through \(clusters[0][0].header.name) (a sheared or tilted acquisition is not supported)")
            }
        }
        var sliceSpacing: Double
        if clusters.count > 1 {
            let gaps = zip(clusters.dropFirst(), clusters).map { $0[0].d - $1[0].d }
            sliceSpacing = (clusters[clusters.count - 1][0].d - d0) / Double(clusters.count - 1)
            if let worst = gaps.indices.max(by: { abs(gaps[$0] - sliceSpacing) < abs(gaps[$1] - sliceSpacing) }),
               abs(gaps[worst] - sliceSpacing) > Self.gapTolerance * sliceSpacing {
                throw refuse("uneven slice spacing: gaps range from \(Self.mm(gaps.min() ?? 0)) to \(Self.mm(gaps.max() ?? 0)) mm (mean \(Self.mm(sliceSpacing)) mm); the gap of \(Self.mm(gaps[worst])) mm between \(clusters[worst][0].header.name) and \(clusters[worst + 1][0].header.name) suggests a missing slice")
            }
        } else {
            sliceSpacing = first.between ?? first.thickness ?? 1
            if !(sliceSpacing > 0) { sliceSpacing = 1 }
        }

        var slices: [Slice] = []
        for t in 0..<perPosition {
            for (k, cluster) in sortedClusters.enumerated() {
                let h = cluster[t]
                slices.append(Slice(url: h.url, frame: h.frame, k: k, phase: t,
                                    rescaleSlope: h.slope, rescaleIntercept: h.intercept))
            }
        }
        var direction = Matrix(rows: 3, columns: 3)
        for i in 0..<3 {
            direction[i, 0] = r[i]
            direction[i, 1] = c[i]
            direction[i, 2] = normal[i]
        }
        self.rows = first.rows
        self.columns = first.columns
        self.slices = slices
        self.slicesPerPhase = clusters.count
        self.phases = perPosition
        self.geometry = Geometry(spacing: SIMD3(first.spacing[1], first.spacing[0], sliceSpacing), origin: p0, direction: direction)
    }

    /// Decodes every slice (rescaled to float32) into one volume: i = column, j = row, k = slice
    /// along the normal, then phase.
    public func volume() throws -> Volume {
        let size = SIMD3(columns, rows, slicesPerPhase)
        let (count, overflow) = Volume.voxelCount(size: size, phases: phases)
        guard !overflow, count <= ImageIOLimits.maximumPayloadBytes / 4 else {
            throw ImageIOError.tooLarge(file: slices.first?.url.deletingLastPathComponent().path ?? "",
                                        reason: "a \(columns) × \(rows) × \(slicesPerPhase) × \(phases) series exceeds \(ImageIOLimits.maximumPayloadBytes) bytes")
        }
        var samples = [Float](repeating: 0, count: count)
        let perSlice = rows * columns
        // Each file is decoded once (a multi-frame file holds many slices), in first-use order.
        var order: [URL] = []
        var byFile: [URL: [Slice]] = [:]
        for slice in slices {
            if byFile[slice.url] == nil { order.append(slice.url) }
            byFile[slice.url, default: []].append(slice)
        }
        for url in order {
            let file = try DICOMReader.readFile(url)
            let wanted = byFile[url] ?? []
            let highest = wanted.map(\.frame).max() ?? 0
            guard let pixels = file.pixels, pixels.rows == rows, pixels.columns == columns, pixels.frames > highest else {
                throw ImageIOError.inconsistentSeries(directory: url.deletingLastPathComponent().path,
                                                      reason: "\(url.lastPathComponent) changed while the series was read")
            }
            for slice in wanted {
                let base = perSlice * (slice.k + slicesPerPhase * slice.phase)
                let from = perSlice * slice.frame
                let slope = slice.rescaleSlope, intercept = slice.rescaleIntercept
                pixels.storedValues.withUnsafeBufferPointer { src in
                    samples.withUnsafeMutableBufferPointer { dst in
                        for n in 0..<perSlice { dst[base + n] = Float(Double(src[from + n]) * slope + intercept) }
                    }
                }
            }
        }
        do {
            return try Volume(size: size, phases: phases, geometry: geometry, samples: samples)
        } catch {
            throw ImageIOError.inconsistentSeries(directory: slices.first?.url.deletingLastPathComponent().path ?? "",
                                                  reason: "the slices do not form a valid grid: \(error)")
        }
    }

    private static func maxAbs(_ v: SIMD3<Double>) -> Double { max(abs(v.x), abs(v.y), abs(v.z)) }

    private static func mm(_ v: Double) -> String { String(format: "%.4g", v) }

    private static func text(_ r: SIMD3<Double>, _ c: SIMD3<Double>) -> String {
        "[" + [r.x, r.y, r.z, c.x, c.y, c.z].map { String(format: "%.4g", $0) }.joined(separator: ", ") + "]"
    }
}
