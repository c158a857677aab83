import Foundation
import ImageIO
import Volumes

/// One study as the chain sees it: the facts of `study.json` completed from the DICOM headers,
/// the T1, T2 and DCE volumes, the readers' tumour masks, and every automatic choice made while
/// loading (which series became T2, that T1 is the DCE's first phase, …).
public struct Study: Sendable {
    /// How the images were given.
    public enum Source: String, Sendable {
        case nifti
        case dicomFolders
        case dicomFlat
    }

    public let folder: URL
    public let manifest: StudyManifest
    public let source: Source
    /// Pre-contrast T1 (the DCE's first phase when the study has no separate T1; see `notes`).
    public let t1: Volume
    /// T2; nil when the study has none (oedema must then come from study.json).
    public let t2: Volume?
    /// DCE phases in time order (phase 0 pre-contrast).
    public let dce: Volume
    public let tumourMask: Volume?
    public let secondReaderMask: Volume?
    /// The DICOM classification, when the images were DICOM.
    public let classification: StudyClassification?
    /// Automatic choices and warnings, for the report.
    public let notes: [String]
    /// Seconds of each DCE phase after phase 0, when the files say: DICOM acquisition / content
    /// times, or a NIfTI's pixdim[4] time step (see `DCEPhaseTimes`); nil when they do not.
    public var dcePhaseSeconds: [Double]? = nil
}

extension Study {
    /// The name this study goes by in logs (see `StudyKey`).
    public func key(salt: [UInt8]) -> StudyKey {
        StudyKey(patientID: manifest.patient.id, accessionNumber: manifest.study.accessionNumber, salt: salt)
    }
}
