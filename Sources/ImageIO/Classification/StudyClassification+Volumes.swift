import Foundation
import Volumes

extension StudyClassification {
    /// The volumes the classification points at: T1 and T2 as 3-D volumes (nil when the study
    /// has none), and the DCE phases stacked in time order as one 4-D volume.
    public struct Volumes: Sendable {
        public let t1: Volume?
        public let t2: Volume?
        public let dce: Volume
    }

    /// Reads the pixels of the classified series. DCE phases may come from several series (one
    /// per phase) or from the temporal positions of one; all must share one grid.
    public func readVolumes(location: String) throws -> Volumes {
        func read(_ uid: String) throws -> Volume {
            guard let h = headers[uid] else { throw ImageIOError.unclassifiable(directory: location, reason: "series \(uid) was not read") }
            return try DICOMReader.readSeries(h.files)
        }
        var bySeries: [String: Volume] = [:]
        for uid in dceSeries { bySeries[uid] = try read(uid) }
        var phases: [Volume] = []
        for p in dce {
            let volume = bySeries[p.seriesInstanceUID]!, header = headers[p.seriesInstanceUID]!
            // The reader orders a series' phases by Temporal Position Identifier, else time, as
            // `SeriesHeader.temporalPositions` does; the counts must agree.
            guard volume.phases == header.temporalPositions.count,
                  let index = header.temporalPositions.firstIndex(where: { $0.identifier == p.temporalPosition }) else {
                throw ImageIOError.inconsistentSeries(directory: location, reason:
                    "DCE series \"\(header.description)\" reads as \(volume.phases) phases but its headers list \(header.temporalPositions.count) temporal positions")
            }
            phases.append(volume.phase(index))
        }
        let first = phases[0]
        for (i, v) in phases.enumerated().dropFirst() where v.size != first.size || !v.geometry.isClose(to: first.geometry) {
            throw ImageIOError.inconsistentSeries(directory: location, reason:
                "DCE phase \(i) (\(v.size.x)×\(v.size.y)×\(v.size.z)) does not share phase 0's grid (\(first.size.x)×\(first.size.y)×\(first.size.z))")
        }
        return Volumes(t1: try t1.map(read), t2: try t2.map(read), dce: try Volume.stacking(phases))
    }
}
